/** The random streams: xoshiro128** moments, Poisson (inversion, PTRS, table), binomial. */
import { describe, expect, it } from "vitest";
import { PoissonTable, Xoshiro128 } from "../../runtime/index.js";

function moments(draw: () => number, n: number) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe("Xoshiro128", () => {
  it("is reproducible per seed and label, and independent across labels", () => {
    const a = new Xoshiro128(1, "x");
    const b = new Xoshiro128(1, "x");
    const c = new Xoshiro128(1, "y");
    const sa = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(sa);
  });
  it("uniform and normal have the right moments", () => {
    const r = new Xoshiro128(2);
    const u = moments(() => r.uniform(), 200000);
    expect(u.mean).toBeCloseTo(0.5, 2);
    expect(u.variance).toBeCloseTo(1 / 12, 3);
    const z = moments(() => r.normal(), 200000);
    expect(Math.abs(z.mean)).toBeLessThan(0.01);
    expect(z.variance).toBeCloseTo(1, 1);
  });
  it.each([0.5, 2, 9.5, 30, 1000])("poisson(%s) has mean = variance = λ", (lambda) => {
    const r = new Xoshiro128(3);
    const m = moments(() => r.poisson(lambda), 100000);
    expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / 100000));
    expect(m.variance / lambda).toBeCloseTo(1, 1);
  });
  it.each([
    [10, 0.3],
    [1000, 0.1],
    [5000, 0.7],
  ])("binomial(%s, %s) has the right moments", (n, p) => {
    const r = new Xoshiro128(4);
    const m = moments(() => r.binomial(n, p), 50000);
    expect(Math.abs(m.mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / 50000));
    expect(m.variance / (n * p * (1 - p))).toBeCloseTo(1, 1);
  });
});

describe("PoissonTable", () => {
  it.each([0.05, 2, 40])("samples the Poisson(%s) pmf", (lambda) => {
    const t = new PoissonTable(lambda);
    const r = new Xoshiro128(5);
    const n = 200000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = t.sample(r.uint32());
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let logp = -lambda;
    for (let k = 0; k < lambda + 5 * Math.sqrt(lambda) + 2; k++) {
      if (k > 0) logp += Math.log(lambda / k);
      const expected = n * Math.exp(logp);
      if (expected < 50) continue;
      expect(Math.abs((counts.get(k) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
  });
});
