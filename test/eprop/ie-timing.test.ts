/**
 * NEST's eprop_iaf / eprop_iaf_adapt / eprop_readout integrate `i_in`, a state that starts at 0 and is
 * set to I_e + current input at the end of every step: a constant I_e acts from step 1, and a changed
 * I_e acts one step after the change. (eprop_iaf_psc_delta adds I_e directly, from step 0.)
 */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../runtime/simulator.js";

const alpha = Math.exp(-1 / 10); // dt 1 ms, tau_m 10 ms
const P_i_in = (10 / 250) * (1 - alpha); // tau_m / C_m * (1 - alpha)

/** v(k) relative to E_L after step k when I_e = I acts from step `from` on. */
function expected(I: number, from: number, steps: number): number[] {
  const v: number[] = [];
  let x = 0;
  for (let k = 0; k < steps; k++) {
    x = (k >= from ? P_i_in * I : 0) + alpha * x;
    v.push(x);
  }
  return v;
}

describe("I_e timing of the e-prop models (NEST's i_in)", () => {
  for (const model of ["eprop_iaf", "eprop_iaf_adapt", "eprop_readout"]) {
    it(`${model}: I_e acts from step 1, and a new I_e one step after it is set`, () => {
      const sim = new Simulator({ resolution: 1.0, progress: false });
      const n = sim.create(model, 1, { E_L: 0, V_m: 0, I_e: 100, ...(model === "eprop_readout" ? {} : { V_th: 1e9 }) });
      const mm = sim.create("multimeter", 1, { interval: 1.0, record_from: ["V_m"] });
      sim.connect(mm, n);
      sim.simulate(6);
      n.set({ I_e: 0 });
      sim.simulate(6);
      // Samples stamped T hold the state after step T-1 (T = 1 ... 11; the last slice is not read).
      const v = Array.from(mm.get("events").V_m);
      const on = expected(100, 1, 6);
      let x = on[5];
      const want = [...on];
      for (let k = 6; k < 11; k++) {
        x = (k === 6 ? P_i_in * 100 : 0) + alpha * x; // the old I_e still acts in the first step after the change
        want.push(x);
      }
      expect(v.length).toBe(want.length);
      v.forEach((got, k) => expect(got).toBeCloseTo(want[k], 12));
      expect(v[0]).toBe(0);
    });
  }
});
