import { describe, expect, it } from "vitest";
import { Simulator } from "../../runtime/index.js";

describe("engine smoke", () => {
  it("runs a small network of the bundled iaf_psc_delta", () => {
    const sim = new Simulator({ resolution: 0.1, seed: 1, progress: false });
    const n = sim.create("iaf_psc_delta", 100, { C_m: 1, tau_m: 20, E_L: 0, V_reset: 0, V_th: 20, V_m: 0 });
    const pg = sim.create("poisson_generator", 1, { rate: 20000 });
    sim.connect(pg, n, "all_to_all", { weight: 0.1, delay: 1.5 });
    sim.connect(n, n, { rule: "fixed_indegree", indegree: 10 }, { weight: -0.5, delay: 1.5 });
    const sr = sim.create("spike_recorder");
    sim.connect(n, sr);
    sim.simulate(200);
    const ev = sr.get("events") as { senders: Int32Array; times: Float64Array };
    expect(ev.senders.length).toBeGreaterThan(0);
    console.log(ev.senders.length, sim.getStatus());
    console.log(sim.models);
  });
});
