/**
 * Helpers the generated kernels call (passed in as `H` to `new Function`): propagators, kernel
 * fits, ODE solvers for non-linear systems, NEST's time-to-steps conversion.
 */
import { propagators } from "./linalg.js";
import { fitCompanion } from "./odes.js";
import { erf } from "./ir.js";

/** Derivative callback: dy = f(t, y) for neuron/connection `i`. */
export type Derivative = (i: number, t: number, y: Float64Array, dy: Float64Array) => void;

/**
 * NEST's `Time(Time::ms(x)).get_steps()`: to tics (1 µs) rounding half up, then steps rounding *up*
 * (nest_time.h: `(tics + TICS_PER_STEP - 1) / TICS_PER_STEP`), so t_ref = 0.25 ms at dt = 0.1 is 3 steps.
 */
export function steps(ms: number, dt: number): number {
  if (!Number.isFinite(ms)) return Number.isNaN(ms) ? NaN : ms > 0 ? Infinity : -Infinity;
  const tics = Math.trunc(ms * 1000 + 0.5);
  const per = Math.round(dt * 1000);
  return Math.trunc((tics + per - 1) / per);
}

/**
 * Scratch space for one system size (no allocation per step). Stage buffers k1..k7 and a trial
 * vector are reused by every call with the same size.
 */
export class OdeScratch {
  readonly k: Float64Array[];
  readonly tmp: Float64Array;
  readonly y5: Float64Array;
  constructor(readonly size: number) {
    this.k = Array.from({ length: 7 }, () => new Float64Array(size));
    this.tmp = new Float64Array(size);
    this.y5 = new Float64Array(size);
  }
}

// Dormand–Prince 5(4) tableau (the RK45 of MATLAB's ode45 and SciPy's RK45).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/**
 * Adaptive Dormand–Prince 5(4) over [t0, t0 + h] with the error test |err_j| <= atol + rtol·max(|y_j|, |y_new_j|)
 * (max norm). `hInt` is the neuron's last accepted internal step (kept between calls, as NEST keeps
 * GSL's); returns the new one. `y` is advanced in place.
 */
export function rk45(
  f: Derivative, i: number, t0: number, y: Float64Array, h: number, hInt: number, atol: number, rtol: number, s: OdeScratch,
): number {
  const n = s.size;
  const [k1, k2, k3, k4, k5, k6, k7] = s.k as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const tmp = s.tmp;
  const y5 = s.y5;
  let t = 0;
  let step = hInt > 0 && Number.isFinite(hInt) ? Math.min(hInt, h) : h;
  const minStep = h * 1e-12;
  f(i, t0, y, k1);
  let guard = 0;
  while (t < h && guard++ < 1_000_000) {
    if (t + step > h) step = h - t;
    const ts = t0 + t;
    for (let j = 0; j < n; j++) tmp[j] = y[j]! + step * A21 * k1[j]!;
    f(i, ts + C2 * step, tmp, k2);
    for (let j = 0; j < n; j++) tmp[j] = y[j]! + step * (A31 * k1[j]! + A32 * k2[j]!);
    f(i, ts + C3 * step, tmp, k3);
    for (let j = 0; j < n; j++) tmp[j] = y[j]! + step * (A41 * k1[j]! + A42 * k2[j]! + A43 * k3[j]!);
    f(i, ts + C4 * step, tmp, k4);
    for (let j = 0; j < n; j++) tmp[j] = y[j]! + step * (A51 * k1[j]! + A52 * k2[j]! + A53 * k3[j]! + A54 * k4[j]!);
    f(i, ts + C5 * step, tmp, k5);
    for (let j = 0; j < n; j++) tmp[j] = y[j]! + step * (A61 * k1[j]! + A62 * k2[j]! + A63 * k3[j]! + A64 * k4[j]! + A65 * k5[j]!);
    f(i, ts + step, tmp, k6);
    for (let j = 0; j < n; j++) y5[j] = y[j]! + step * (B1 * k1[j]! + B3 * k3[j]! + B4 * k4[j]! + B5 * k5[j]! + B6 * k6[j]!);
    f(i, ts + step, y5, k7);
    let errRatio = 0;
    for (let j = 0; j < n; j++) {
      const e = step * (E1 * k1[j]! + E3 * k3[j]! + E4 * k4[j]! + E5 * k5[j]! + E6 * k6[j]! + E7 * k7[j]!);
      const sc = atol + rtol * Math.max(Math.abs(y[j]!), Math.abs(y5[j]!));
      const r = Math.abs(e) / sc;
      if (r > errRatio || Number.isNaN(r)) errRatio = r;
    }
    if (errRatio <= 1 || (step <= minStep && !Number.isNaN(errRatio))) {
      t += step;
      for (let j = 0; j < n; j++) {
        y[j] = y5[j]!;
        k1[j] = k7[j]!; // first-same-as-last
      }
      const grow = errRatio === 0 ? 5 : Math.min(5, 0.9 * Math.pow(errRatio, -0.2));
      if (t < h) step = step * Math.max(1, grow);
      else hInt = step * Math.max(1, grow);
    } else if (Number.isNaN(errRatio) || errRatio === Infinity) {
      // The trial left the domain (overflow, log of a negative...): retry much smaller; give up at minStep.
      if (step <= minStep) {
        for (let j = 0; j < n; j++) y[j] = NaN;
        return step;
      }
      step *= 0.1;
    } else {
      step = step * Math.max(0.2, 0.9 * Math.pow(errRatio, -0.25));
    }
  }
  return Math.min(hInt, h);
}

/** One classic Runge–Kutta 4 step (declared with `@solver::rk4`). */
export function rk4(f: Derivative, i: number, t0: number, y: Float64Array, h: number, s: OdeScratch): void {
  const n = s.size;
  const [k1, k2, k3, k4] = s.k as [Float64Array, Float64Array, Float64Array, Float64Array];
  const tmp = s.tmp;
  f(i, t0, y, k1);
  for (let j = 0; j < n; j++) tmp[j] = y[j]! + 0.5 * h * k1[j]!;
  f(i, t0 + 0.5 * h, tmp, k2);
  for (let j = 0; j < n; j++) tmp[j] = y[j]! + 0.5 * h * k2[j]!;
  f(i, t0 + 0.5 * h, tmp, k3);
  for (let j = 0; j < n; j++) tmp[j] = y[j]! + h * k3[j]!;
  f(i, t0 + h, tmp, k4);
  for (let j = 0; j < n; j++) y[j] = y[j]! + (h / 6) * (k1[j]! + 2 * k2[j]! + 2 * k3[j]! + k4[j]!);
}

/** One forward Euler step (declared with `@solver::euler`). */
export function euler(f: Derivative, i: number, t0: number, y: Float64Array, h: number, s: OdeScratch): void {
  const k1 = s.k[0]!;
  f(i, t0, y, k1);
  for (let j = 0; j < s.size; j++) y[j] = y[j]! + h * k1[j]!;
}

/** A reproducible stand-in for the kernel's random stream (xorshift32 with a fixed seed). */
export function fallbackRandom() {
  let x = 2463534242;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  return {
    uniform: next,
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0, v = 0, r = 0;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        r = u * u + v * v;
      } while (r >= 1 || r === 0);
      const f = Math.sqrt((-2 * Math.log(r)) / r);
      spare = v * f;
      return u * f;
    },
    poisson(lambda: number): number {
      // Knuth's method (small means) — synapse models rarely draw Poisson numbers.
      const l = Math.exp(-lambda);
      let k = 0, p = 1;
      do {
        k++;
        p *= next();
      } while (p > l);
      return k - 1;
    },
    uint32: () => Math.floor(next() * 4294967296),
  };
}

export const HELPERS = { propagators, fitCompanion, rk45, rk4, euler, steps, erf, OdeScratch, fallbackRandom };
export type Helpers = typeof HELPERS;
