/**
 * Whole-engine check against NEST's own figure: the 2,500-neuron brunel_delta network (NE 2000,
 * NI 500, CE 200, CI 50, J 0.1 mV, g 5, η 2, delay 1.5 ms, 20 kHz drive) fires at 52.7 Hz in
 * NEST 3.10 (performance.md, "NEST 3.10 measured"). Seeds differ, so the rate is compared within a
 * few percent.
 */
import { describe, expect, it } from "vitest";
import { meanRate, Simulator } from "../../runtime/index.js";

describe("brunel_delta_nest, order 500", () => {
  it("fires at NEST's rate", () => {
    const sim = new Simulator({ seed: 1, progress: false });
    sim.setDefaults("iaf_psc_delta", { C_m: 1, tau_m: 20, t_ref: 2, E_L: 0, V_reset: 0, V_m: 0, V_th: 20 });
    const E = sim.create("iaf_psc_delta", 2000);
    const I = sim.create("iaf_psc_delta", 500);
    const all = E.concat(I);
    const noise = sim.create("poisson_generator", 1, { rate: 1000 * 2 * (20 / (0.1 * 200 * 20)) * 200 });
    expect((noise.get("rate") as Float64Array)[0]).toBeCloseTo(20000, 9);
    sim.connect(noise, all, "all_to_all", { weight: 0.1, delay: 1.5 });
    sim.connect(E, all, { rule: "fixed_indegree", indegree: 200 }, { weight: 0.1, delay: 1.5 });
    sim.connect(I, all, { rule: "fixed_indegree", indegree: 50 }, { weight: -0.5, delay: 1.5 });
    const sr = sim.create("spike_recorder");
    sim.connect(all, sr);
    sim.simulate(1000);
    const ev = sr.get("events") as { senders: Int32Array; times: Float64Array };
    const rate = meanRate(ev, all.ids, { tStart: 0, tStop: 1000 });
    expect(Math.abs(rate - 52.7) / 52.7).toBeLessThan(0.04);
  });
});
