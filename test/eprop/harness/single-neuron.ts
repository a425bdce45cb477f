/**
 * Test oracle for NEST's surrogate-gradient test (nest-eprop.md §12.2): one eprop_iaf, time-driven as
 * in NEST's `eprop_iaf::update`, receiving weight-0.3 inputs in the given steps. Returns ψ per step.
 */
import { surrogateGradient, surrogateIndex } from "../../../runtime/eprop/surrogate.js";

export function eprop_iafSurrogateTrace(
  fn: string,
  p: { C_m: number; tau_m: number; t_ref: number; V_th: number; height: number; width: number },
  inputSteps: number[],
  weight: number,
  steps: number,
): number[] {
  const alpha = Math.exp(-1 / p.tau_m);
  const pIin = (p.tau_m / p.C_m) * (1 - alpha);
  const nRef = Math.round(p.t_ref);
  const f = surrogateIndex(fn);
  let v = 0;
  let r = 0;
  const psi: number[] = [];
  for (let t = 0; t < steps; t++) {
    if (r > 0) r--;
    const zIn = inputSteps.filter((s) => s === t).length * weight;
    v = pIin * 0 + zIn + alpha * v;
    psi.push(surrogateGradient(f, r, v, p.V_th, p.height, p.width));
    if (v >= p.V_th && r === 0) {
      v -= p.V_th;
      r = nRef;
    }
  }
  return psi;
}
