/** Matrix exponential and exact propagators against closed forms. */
import { describe, expect, test } from "vitest";
import { expm, matmul, propagators, solve } from "../../language/compile/linalg.js";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-13) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const scale = Math.abs(b[i]!) > 1e-300 ? Math.abs(b[i]!) : 1;
    expect(Math.abs(a[i]! - b[i]!) / scale, `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(rtol);
  }
};

describe("expm", () => {
  test.each([0.001, 0.1, 1, 7, 40])("diagonal 2x2 (norm %s: every Padé degree and the scaling path)", (s) => {
    const a = Float64Array.of(-s, 0, 0, s / 3);
    close(expm(a, 2), [Math.exp(-s), 0, 0, Math.exp(s / 3)]);
  });

  test.each([0.05, 0.9, 3, 25])("rotation generator [[0,-w],[w,0]] -> [[cos,-sin],[sin,cos]] (w = %s)", (w) => {
    close(expm(Float64Array.of(0, -w, w, 0), 2), [Math.cos(w), -Math.sin(w), Math.sin(w), Math.cos(w)], 1e-12);
  });

  test.each([-0.2, -3, 1.5])("2x2 Jordan block [[a,1],[0,a]] -> e^a [[1,1],[0,1]] (a = %s)", (a) => {
    const e = Math.exp(a);
    close(expm(Float64Array.of(a, 1, 0, a), 2), [e, e, 0, e]);
  });

  test("3x3 Jordan block -> e^a [[1,1,1/2],[0,1,1],[0,0,1]]", () => {
    const a = -0.7;
    const e = Math.exp(a);
    close(expm(Float64Array.of(a, 1, 0, 0, a, 1, 0, 0, a), 3), [e, e, e / 2, 0, e, e, 0, 0, e]);
  });

  test("3x3 upper triangular with distinct eigenvalues (divided differences)", () => {
    const [a, b, c] = [-0.5, -0.1, -2];
    const m = Float64Array.of(a, 1, 0, 0, b, 1, 0, 0, c);
    const ea = Math.exp(a), eb = Math.exp(b), ec = Math.exp(c);
    const dab = (ea - eb) / (a - b);
    const dbc = (eb - ec) / (b - c);
    const dabc = (dab - dbc) / (a - c);
    close(expm(m, 3), [ea, dab, dabc, 0, eb, dbc, 0, 0, ec], 1e-12);
  });

  test("e^{A} e^{-A} = I for a dense 4x4", () => {
    const a = Float64Array.from([0.3, -1.2, 0.5, 2, 0.1, -0.4, 1.1, -0.3, 2.2, 0.7, -1.5, 0.2, -0.6, 0.9, 0.4, -2.1]);
    const prod = matmul(expm(a, 4), expm(a.map((x) => -x), 4), 4);
    close(prod, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 1e-12);
  });

  test("solve()", () => {
    const x = solve(Float64Array.of(2, 1, 1, 3), Float64Array.of(3, 5), 2, 1)!;
    close(x, [0.8, 1.4]);
    expect(solve(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 1), 2, 1)).toBeUndefined();
  });
});

describe("propagators (x' = A x + c)", () => {
  test("scalar decay: P = e^{-h/τ}, Q = τ (1 - e^{-h/τ})", () => {
    const tau = 10, h = 0.1;
    const { P, Q } = propagators(Float64Array.of(-1 / tau), 1, h);
    close(P, [Math.exp(-h / tau)]);
    close(Q, [tau * -Math.expm1(-h / tau)]);
  });

  test("A = 0: Q = h (pure integration)", () => {
    const { P, Q } = propagators(Float64Array.of(0), 1, 0.25);
    close(P, [1]);
    close(Q, [0.25]);
  });

  test.each([[10, 2], [10, 10]])("iaf_psc_exp pair (τ_m = %s, τ_s = %s) matches NEST's closed-form P21 incl. τ_m = τ_s", (tm, ts) => {
    const C = 250, h = 0.1;
    // state [I, V]: I' = -I/τs, V' = I/C - V/τm
    const { P } = propagators(Float64Array.of(-1 / ts, 0, 1 / C, -1 / tm), 2, h);
    const p21 = tm === ts ? (h / C) * Math.exp(-h / tm) : ((ts * tm) / (C * (tm - ts))) * (Math.exp(-h / tm) - Math.exp(-h / ts));
    close(P, [Math.exp(-h / ts), 0, p21, Math.exp(-h / tm)], 1e-12);
  });
});
