/** Population statistics: rates, CV of ISIs, pairwise correlations. */
import { describe, expect, it } from "vitest";
import { cvIsi, firingRates, meanRate, pairwiseCorrelations, Xoshiro128 } from "../../runtime/index.js";

describe("analysis", () => {
  it("firing rates and CV of a regular train", () => {
    const times = Float64Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    const ev = { senders: new Int32Array(100).fill(7), times };
    expect(Array.from(firingRates(ev, [7, 8], { tStart: 0, tStop: 1000 }))).toEqual([100, 0]);
    expect(meanRate(ev, [7, 8], { tStop: 1000 })).toBe(50);
    const cv = cvIsi(ev, [7, 8]);
    expect(cv[0]).toBeCloseTo(0, 12);
    expect(Number.isNaN(cv[1])).toBe(true);
  });
  it("CV of a Poisson train is about 1; identical trains correlate perfectly", () => {
    const r = new Xoshiro128(9);
    const t: number[] = [];
    let x = 0;
    for (;;) {
      x += r.exponential() * 10;
      if (x > 20000) break;
      t.push(x);
    }
    const senders: number[] = [];
    const times: number[] = [];
    for (const id of [1, 2]) for (const v of t) (senders.push(id), times.push(v));
    const ev = { senders: Int32Array.from(senders), times: Float64Array.from(times) };
    expect(cvIsi(ev, [1])[0]).toBeCloseTo(1, 1);
    const c = pairwiseCorrelations(ev, [1, 2], { binSize: 5, tStop: 20000 });
    expect(c.length).toBe(1);
    expect(c[0]).toBeCloseTo(1, 12);
  });
});
