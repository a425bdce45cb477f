/**
 * Poisson sampling by table inversion for the per-target Poisson drive: one uint32 draw, a guide
 * table jump, and on average one or two comparisons. Thresholds are the CDF scaled to 2^32, so
 * probabilities are resolved to 2^-32 (tail mass below that is folded into the last entry).
 */
import { logFactorial } from "./xoshiro.js";

const TWO_POW_32 = 4294967296;

export class PoissonTable {
  /** Smallest value the table can return. */
  readonly offset: number;
  /** thresholds[i] = P(X ≤ offset + i) · 2^32; the last entry is 2^32. */
  readonly thresholds: Float64Array;
  /** guide[j] = first i with thresholds[i] > j · 2^(32 - guideBits). */
  readonly guide: Int32Array;
  readonly guideShift: number;

  constructor(readonly lambda: number) {
    const sd = Math.sqrt(lambda);
    const lo = Math.max(0, Math.floor(lambda - 14 * sd - 12));
    const hi = Math.ceil(lambda + 14 * sd + 30);
    const len = hi - lo + 1;
    const pmf = new Float64Array(len);
    const logLambda = Math.log(lambda);
    let total = 0;
    for (let i = 0; i < len; i++) {
      const k = lo + i;
      pmf[i] = Math.exp(k * logLambda - lambda - logFactorial(k));
      total += pmf[i];
    }
    this.offset = lo;
    this.thresholds = new Float64Array(len);
    let cdf = 0;
    for (let i = 0; i < len; i++) {
      cdf += pmf[i] / total;
      this.thresholds[i] = Math.min(TWO_POW_32, Math.floor(cdf * TWO_POW_32));
    }
    this.thresholds[len - 1] = TWO_POW_32;
    // A fine guide table (≥ 4096 buckets) makes almost every bucket fall inside one value, so the
    // search loop below exits at its first comparison: no unpredictable branches in the hot loop.
    let bits = 12;
    while (1 << bits < 4 * len && bits < 20) bits++;
    this.guideShift = 32 - bits;
    const g = 1 << bits;
    this.guide = new Int32Array(g);
    let i = 0;
    for (let j = 0; j < g; j++) {
      const edge = j * 2 ** this.guideShift;
      while (this.thresholds[i] <= edge) i++;
      this.guide[j] = i;
    }
  }

  /** The Poisson value for one uniform uint32 `u`. */
  sample(u: number): number {
    let i = this.guide[u >>> this.guideShift];
    const t = this.thresholds;
    while (u >= t[i]) i++;
    return this.offset + i;
  }
}
