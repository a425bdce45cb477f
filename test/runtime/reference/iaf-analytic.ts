/**
 * Closed-form membrane potential of NEST's iaf_psc_delta / iaf_psc_exp / iaf_psc_alpha under
 * spike inputs and a switched DC current, with NEST's refractoriness, evaluated on the grid.
 *
 * Timing conventions (derived from NEST's kernel, see runtime/engine/kernel.ts):
 * - a spike_generator spike at ts with delay d acts at t_k = ts + d: delta models jump by w at t_k
 *   (the sample at t_k includes it); exp/alpha models start their current at t_k;
 * - a dc_generator with start/stop and delay d drives the neuron during (start + d, stop + d];
 * - a spike at grid time T (V(T) ≥ V_th) is recorded at T; V stays V_reset during (T, T + t_ref];
 *   delta input arriving in that interval is discarded, currents keep evolving.
 * Between events everything is the exact solution of dV/dt = −(V − E_L)/τ_m + I(t)/C_m.
 */

export type Shape = "delta" | "exp" | "alpha";

export interface Params {
  C_m: number;
  tau_m: number;
  tau_syn: number;
  t_ref: number;
  E_L: number;
  V_reset: number;
  V_th: number;
}

export interface Input {
  /** Time the input acts (spike time + delay), ms. */
  t: number;
  w: number;
}

export interface Dc {
  amplitude: number;
  on: number;
  off: number;
}

/** Response at time u ≥ 0 after t0 of the membrane (V0 = 0) to a current c·e^{−u/τs}. */
function expResponse(c: number, u: number, p: Params): number {
  const { tau_m: tm, tau_syn: ts, C_m: C } = p;
  return ((c * tm * ts) / (C * (tm - ts))) * (Math.exp(-u / tm) - Math.exp(-u / ts));
}

/** Response to a current c·u·e^{−u/τs}. */
function rampResponse(c: number, u: number, p: Params): number {
  const a = 1 / p.tau_syn - 1 / p.tau_m;
  return ((c / p.C_m) * Math.exp(-u / p.tau_m) * -Math.expm1(-a * u) - (c / p.C_m) * Math.exp(-u / p.tau_m) * a * u * Math.exp(-a * u)) / (a * a);
}

/** V(t) − E_L contributions from t0 on, given V(t0) = V0. */
function voltage(shape: Shape, p: Params, t0: number, V0: number, t: number, inputs: readonly Input[], dc: Dc, discard: (inp: Input) => boolean): number {
  const u = t - t0;
  let v = (V0 - p.E_L) * Math.exp(-u / p.tau_m);
  // DC: on during (on, off].
  const a = Math.max(dc.on, t0);
  const b = Math.min(dc.off, t);
  if (b > a) v += ((dc.amplitude * p.tau_m) / p.C_m) * (Math.exp(-(t - b) / p.tau_m) - Math.exp(-(t - a) / p.tau_m));
  for (const inp of inputs) {
    if (inp.t > t) continue;
    if (shape === "delta") {
      if (inp.t > t0 && !discard(inp)) v += inp.w * Math.exp(-(t - inp.t) / p.tau_m);
      continue;
    }
    // Current of this input at t0 (or its start), as combination of e^{-u/τs} and u·e^{-u/τs}.
    const start = Math.max(inp.t, t0);
    const uu = t - start;
    const delta = start - inp.t;
    if (shape === "exp") {
      v += expResponse(inp.w * Math.exp(-delta / p.tau_syn), uu, p);
    } else {
      const A = (inp.w * Math.E) / p.tau_syn;
      const decay = Math.exp(-delta / p.tau_syn);
      v += expResponse(A * delta * decay, uu, p) + rampResponse(A * decay, uu, p);
    }
  }
  return p.E_L + v;
}

/**
 * V at every grid time h, 2h, ..., n·h and the spike times. Inputs must act on grid times.
 */
export function referenceTrace(shape: Shape, p: Params, h: number, n: number, inputs: readonly Input[], dc: Dc): { V: Float64Array; spikes: number[]; margin: number } {
  const V = new Float64Array(n);
  const spikes: number[] = [];
  let t0 = 0;
  let V0 = p.E_L;
  let refractoryUntil = -Infinity;
  const refractoryWindows: [number, number][] = [];
  const discard = (inp: Input) => refractoryWindows.some(([a, b]) => inp.t > a + 1e-9 && inp.t <= b + 1e-9);
  let margin = Infinity;
  for (let k = 1; k <= n; k++) {
    const t = k * h;
    if (t <= refractoryUntil + 1e-9) {
      V[k - 1] = p.V_reset;
      if (Math.abs(t - refractoryUntil) < 1e-9) {
        t0 = t;
        V0 = p.V_reset;
      }
      continue;
    }
    const v = voltage(shape, p, t0, V0, t, inputs, dc, discard);
    margin = Math.min(margin, Math.abs(v - p.V_th));
    if (v >= p.V_th) {
      spikes.push(t);
      V[k - 1] = p.V_reset;
      refractoryUntil = t + p.t_ref;
      refractoryWindows.push([t, refractoryUntil]);
      if (p.t_ref === 0) {
        t0 = t;
        V0 = p.V_reset;
      }
      continue;
    }
    V[k - 1] = v;
  }
  return { V, spikes, margin };
}
