/**
 * Non-linear models: adaptive RK45 (Dormand–Prince) against closed forms and a fine-step reference,
 * and the declared fixed-step methods (`@solver::euler`, `@solver::rk4`).
 */
import { describe, expect, test } from "vitest";
import { compileSource, Driver, neuron } from "./harness.js";

const logistic = `
model logistic_neuron:
    parameters:
        tau ms = 5 ms
    state:
        x real = 0.01
    equations:
        x' = x * (1 - x) / tau
    update:
        integrate_odes()
`;

describe("RK45 on a non-linear model", () => {
  const m = neuron(compileSource(logistic));

  test("the system is classified non-linear and gets tolerance parameters", () => {
    expect(m.generatedSource).toContain("H.rk45(");
    expect(m.generatedSource).not.toContain("H.propagators(A, 1");
    const names = m.variables.map((v) => v.name);
    expect(names).toContain("gsl_abs_error_tol");
    expect(names).toContain("gsl_rel_error_tol");
  });

  test.each([0.1, 0.5])("logistic growth matches its closed form (dt = %s)", (dt) => {
    const d = new Driver(m, 1, dt, { gsl_abs_error_tol: 1e-12, gsl_rel_error_tol: 1e-12 });
    let maxErr = 0;
    const x0 = 0.01, tau = 5;
    d.run(Math.round(40 / dt), (s) => {
      const t = (s + 1) * dt;
      const exact = 1 / (1 + ((1 - x0) / x0) * Math.exp(-t / tau));
      maxErr = Math.max(maxErr, Math.abs(d.get("x") - exact));
    });
    expect(maxErr).toBeLessThan(1e-9);
  });

  test("default tolerances (1e-6) still track the solution closely", () => {
    const d = new Driver(m, 1, 0.1);
    d.run(200);
    const exact = 1 / (1 + 99 * Math.exp(-20 / 5));
    expect(Math.abs(d.get("x") - exact)).toBeLessThan(1e-5);
  });
});

const izhikevich = `
model izh_neuron:
    parameters:
        a real = 0.02
        b real = 0.2
        c mV = -65 mV
        d real = 8
        V_th mV = 30 mV
        I_e pA = 10 pA
    state:
        V_m mV = -65 mV
        U_m real = -13
    equations:
        V_m' = (0.04 * V_m * V_m / mV + 5 * V_m + (140 - U_m) * mV + I_e * mV / pA) / ms
        U_m' = a * (b * V_m / mV - U_m) / ms
    output:
        spike
    update:
        integrate_odes()
    onCondition(V_m >= V_th):
        V_m = c
        U_m += d
        emit_spike()
`;

/** Classic RK4 with a tiny fixed step: the high-accuracy reference. */
function reference(tEnd: number, hRef: number): { v: number; u: number; spikes: number[] } {
  let v = -65, u = -13;
  const spikes: number[] = [];
  const f = (vv: number, uu: number) => [0.04 * vv * vv + 5 * vv + 140 - uu + 10, 0.02 * (0.2 * vv - uu)];
  const dt = 0.1;
  const sub = Math.round(dt / hRef);
  for (let s = 0; s * dt < tEnd - 1e-9; s++) {
    for (let k = 0; k < sub; k++) {
      const [a1, b1] = f(v, u);
      const [a2, b2] = f(v + 0.5 * hRef * a1!, u + 0.5 * hRef * b1!);
      const [a3, b3] = f(v + 0.5 * hRef * a2!, u + 0.5 * hRef * b2!);
      const [a4, b4] = f(v + hRef * a3!, u + hRef * b3!);
      v += (hRef / 6) * (a1! + 2 * a2! + 2 * a3! + a4!);
      u += (hRef / 6) * (b1! + 2 * b2! + 2 * b3! + b4!);
    }
    if (v >= 30) {
      spikes.push(s);
      v = -65;
      u += 8;
    }
  }
  return { v, u, spikes };
}

test("izhikevich: RK45 spike steps and state agree with a fine-step RK4 reference", () => {
  const m = neuron(compileSource(izhikevich));
  const d = new Driver(m, 1, 0.1, { gsl_abs_error_tol: 1e-10, gsl_rel_error_tol: 1e-10 });
  d.run(1000);
  const ref = reference(100, 1e-4);
  expect(d.events.map((e) => e.step)).toEqual(ref.spikes);
  expect(ref.spikes.length).toBeGreaterThanOrEqual(3);
  expect(Math.abs(d.get("V_m") - ref.v)).toBeLessThan(1e-5);
  expect(Math.abs(d.get("U_m") - ref.u)).toBeLessThan(1e-6);
});

describe("declared fixed-step methods", () => {
  const src = (method: string) => `
model decay_neuron:
    parameters:
        tau ms = 4 ms
    state:
        x real = 1
    equations:
        x' = -x * x / tau @solver::${method}
    update:
        integrate_odes()
`;
  test("@solver::euler takes one forward Euler step per dt", () => {
    const d = new Driver(neuron(compileSource(src("euler"))), 1, 0.5);
    let x = 1;
    d.run(10, () => {
      x = x + 0.5 * (-x * x / 4);
      expect(d.get("x")).toBe(x);
    });
  });
  test("@solver::rk4 takes one classic Runge–Kutta step per dt", () => {
    const d = new Driver(neuron(compileSource(src("rk4"))), 1, 0.5);
    let x = 1;
    const f = (y: number) => -y * y / 4;
    d.run(10, () => {
      const h = 0.5;
      const k1 = f(x), k2 = f(x + h / 2 * k1), k3 = f(x + h / 2 * k2), k4 = f(x + h * k3);
      x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      expect(Math.abs(d.get("x") - x)).toBeLessThan(1e-15);
    });
  });
});

test("steps() follows NEST's Time(ms).get_steps(): tics rounded half up, steps rounded up", async () => {
  const { steps } = await import("../../language/compile/helpers.js");
  expect(steps(2, 0.1)).toBe(20);
  expect(steps(2, 0.5)).toBe(4);
  expect(steps(0.25, 0.1)).toBe(3);
  expect(steps(0.0004, 0.1)).toBe(0);
  expect(steps(0.0006, 0.1)).toBe(1);
  expect(steps(0, 0.1)).toBe(0);
  expect(steps(Infinity, 0.1)).toBe(Infinity);
});

test("a linear ODE driven by an explicit function of t goes to RK45 and is accurate", () => {
  const m = neuron(compileSource(`
model driven_neuron:
    parameters:
        tau ms = 2 ms
    state:
        x real = 0
    equations:
        x' = (-x + sin(t / ms)) / tau
    update:
        integrate_odes()
`));
  expect(m.generatedSource).toContain("H.rk45(");
  const d = new Driver(m, 1, 0.1, { gsl_abs_error_tol: 1e-12, gsl_rel_error_tol: 1e-12 });
  d.run(100);
  // x(t) = (sin t - 2 cos t + 2 e^{-t/2}) / 5 for tau = 2, x(0) = 0
  const t = 10;
  expect(Math.abs(d.get("x") - (Math.sin(t) - 2 * Math.cos(t) + 2 * Math.exp(-t / 2)) / 5)).toBeLessThan(1e-9);
});
