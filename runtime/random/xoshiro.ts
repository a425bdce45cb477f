/**
 * The simulator's random numbers: xoshiro128** (Blackman & Vigna) in uint32 arithmetic, which V8
 * runs without boxing. Each use (a connect call, a generator, a population) gets its own stream
 * derived from the simulator seed and a label, so results do not depend on the order in which
 * unrelated parts draw numbers, and the same seed gives bit-identical runs.
 *
 * The state words are public so hot loops (the Poisson drive) can copy them into locals, draw
 * inline, and write them back.
 */
import type { RandomSource } from "../model-abi.js";

const TWO_POW_M32 = 1 / 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;

/** splitmix32: a good 32-bit mixer used only to expand seeds into state words. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the label's UTF-16 code units: turns stream names into 32-bit keys. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Xoshiro128 implements RandomSource {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  private cachedNormal = 0;
  private hasCachedNormal = false;
  private partnerStream: Xoshiro128 | null = null;
  private readonly seed: number;
  private readonly label: string;

  /** A stream for `seed` (any finite integer) and a stream `label` ("connect#3", "poisson:12", ...). */
  constructor(seed: number, label = "") {
    this.seed = seed;
    this.label = label;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = splitmix32(lo ^ splitmix32(hi ^ hashLabel(label)));
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x ^ 0x6a09e667);
    this.s2 = x = splitmix32(x ^ 0xbb67ae85);
    this.s3 = x = splitmix32(x ^ 0x3c6ef372);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    // Discard a few outputs so nearby seeds decorrelate fully.
    for (let i = 0; i < 8; i++) this.uint32();
  }

  /** A second, independent stream tied to this one (for hot loops that interleave two streams). */
  partner(): Xoshiro128 {
    if (this.partnerStream === null) this.partnerStream = new Xoshiro128(this.seed, `${this.label}#partner`);
    return this.partnerStream;
  }

  uint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) * TWO_POW_M53;
  }

  /** Uniform in (0, 1): never exactly 0, for logarithms. */
  uniformOpen(): number {
    return (this.uint32() + 0.5) * TWO_POW_M32;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32. */
  uniformInt(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal by Marsaglia's polar method (pairs; the second value is cached). */
  normal(): number {
    if (this.hasCachedNormal) {
      this.hasCachedNormal = false;
      return this.cachedNormal;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.cachedNormal = v * f;
    this.hasCachedNormal = true;
    return u * f;
  }

  exponential(): number {
    return -Math.log(this.uniformOpen());
  }

  /** Poisson: multiplication (inversion) for small means, Hörmann's PTRS for large ones. */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let prod = this.uniform();
      while (prod > limit) {
        k++;
        prod *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  }

  /** Binomial(n, p), exact: waiting times for small n·p, chop-down search from the mode otherwise. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    if (n * p < 30) {
      // Count geometric gaps between successes until they run past n.
      const logq = Math.log1p(-p);
      let k = 0;
      let pos = 0;
      for (;;) {
        pos += Math.floor(Math.log(this.uniformOpen()) / logq) + 1;
        if (pos > n) return k;
        k++;
      }
    }
    const mode = Math.floor((n + 1) * p);
    const logPmf = (k: number) =>
      logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    const r = p / (1 - p);
    const u = this.uniform();
    const pm = Math.exp(logPmf(mode));
    let sum = pm;
    if (u < sum) return mode;
    let lo = mode;
    let hi = mode;
    let plo = pm;
    let phi = pm;
    for (;;) {
      if (hi < n) {
        phi *= ((n - hi) / (hi + 1)) * r;
        hi++;
        sum += phi;
        if (u < sum) return hi;
      }
      if (lo > 0) {
        plo *= lo / ((n - lo + 1) * r);
        lo--;
        sum += plo;
        if (u < sum) return lo;
      }
      if (hi >= n && lo <= 0) return mode;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LOG_FACTORIAL_TABLE: number[] = (() => {
  const t = [0];
  for (let i = 1; i < 256; i++) t.push(t[i - 1] + Math.log(i));
  return t;
})();

/** log(k!) exactly from a table for small k, Stirling's series beyond. */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.9189385332046727 + 1 / (12 * x) - 1 / (360 * x * x * x);
}
