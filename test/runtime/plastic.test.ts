/** Synapse models compiled from the language run event-driven through the runtime (stdp_synapse). */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../runtime/index.js";

describe("stdp_synapse", () => {
  it("updates the weight only when a presynaptic spike crosses it, with NEST's pair-based rule", () => {
    const sim = new Simulator({ progress: false });
    const pre = sim.create("parrot_neuron", 1);
    const post = sim.create("iaf_psc_delta", 1, { V_th: 20, E_L: 0, V_reset: 0, V_m: 0 });
    const sgPre = sim.create("spike_generator", 1, { spike_times: [10, 30] });
    const sgPost = sim.create("spike_generator", 1, { spike_times: [15] });
    sim.connect(sgPre, pre, "one_to_one", { delay: 1 });
    sim.connect(sgPost, post, "one_to_one", { weight: 100, delay: 1 });
    const w0 = 10;
    const wr = sim.create("weight_recorder");
    sim.copyModel("stdp_synapse", "stdp_rec", { weight_recorder: wr });
    sim.connect(pre, post, "one_to_one", { synapse_model: "stdp_rec", weight: w0, delay: 1 });
    const sr = sim.create("spike_recorder");
    sim.connect(pre.concat(post), sr);
    sim.simulate(40);
    const ev = sr.get("events") as { senders: Int32Array; times: Float64Array };
    const tPre = Array.from(ev.times.filter((_, i) => ev.senders[i] === pre.ids[0]));
    const tPost = Array.from(ev.times.filter((_, i) => ev.senders[i] === post.ids[0]));
    expect(tPre).toEqual([11, 31]);
    expect(tPost).toEqual([16]);
    // NEST: at the second pre spike, facilitation by the post spike seen at 16 + d with
    // Kplus = e^{-(17 - 11)/τ+}, then depression with Kminus(31 - d) = e^{-(30 - 16)/τ-}.
    const Wmax = 100;
    const lambda = 0.01;
    let w = w0;
    const kplus = Math.exp(-(16 + 1 - 11) / 20);
    w = Math.min(w / Wmax + lambda * (1 - w / Wmax) * kplus, 1) * Wmax;
    const kminus = Math.exp(-(30 - 16) / 20);
    w = Math.max(w / Wmax - lambda * (w / Wmax) * kminus, 0) * Wmax;
    const c = sim.getConnections({ synapse_model: "stdp_rec" });
    expect((c.get("weight") as Float64Array)[0]).toBeCloseTo(w, 12);
    const rec = wr.get("events") as { times: Float64Array; weights: Float64Array };
    expect(Array.from(rec.times)).toEqual([11, 31]);
    expect(rec.weights[0]).toBeCloseTo(w0, 12);
    expect(rec.weights[1]).toBeCloseTo(w, 12);
  });
});

describe("install", () => {
  it("sim.install compiles a model for one simulator; installModels for all", async () => {
    const { installModels } = await import("../../runtime/index.js");
    const source = [
      "model leaky_counter:",
      "    parameters:",
      "        tau ms = 5 ms",
      "    state:",
      "        x real = 0",
      "    equations:",
      "        x' = -x / tau",
      "    input:",
      "        spikes real <- spike",
      "    output:",
      "        spike",
      "    update:",
      "        integrate_odes()",
      "        x += spikes",
      "",
    ].join("\n");
    const a = new Simulator({ progress: false });
    expect(a.install(source, "counter.spk")).toEqual(["leaky_counter"]);
    const n = a.create("leaky_counter", 2, { tau: 10 });
    expect(Array.from(n.get("tau") as Float64Array)).toEqual([10, 10]);
    const b = new Simulator({ progress: false });
    expect(() => b.create("leaky_counter")).toThrow(/unknown model/);
    installModels(source.replace("leaky_counter", "leaky_counter_global"), "g.spk");
    expect(new Simulator({ progress: false }).models).toContain("leaky_counter_global");
    expect(() => a.install("model broken:\n    state:\n        x real = y\n", "broken.spk")).toThrow(/broken\.spk:\d+:\d+: error/);
  });
});

describe("postsynaptic spike archive", () => {
  it("keeps only spikes that a synapse can still ask for", () => {
    const sim = new Simulator({ progress: false });
    const pre = sim.create("parrot_neuron", 1);
    const post = sim.create("iaf_psc_delta", 1, { I_e: 1000 });
    const sg = sim.create("spike_generator", 1, { spike_times: Array.from({ length: 20 }, (_, i) => 10 + i * 50) });
    sim.connect(sg, pre);
    sim.connect(pre, post, "all_to_all", { synapse_model: "stdp_synapse", weight: 1, delay: 1 });
    const sr = sim.create("spike_recorder");
    sim.connect(post, sr);
    for (let k = 0; k < 10; k++) sim.simulate(100);
    const postSpikes = (sr.get("n_events") as Float64Array)[0];
    expect(postSpikes).toBeGreaterThan(100);
    const block = sim.kernel.blocks.find((b) => b.first === post.ids[0]) as unknown as { postArchive: { counts: Int32Array } };
    // everything up to the last presynaptic spike (−delay) was released
    expect(block.postArchive.counts[0]).toBeLessThan(postSpikes / 5);
  });
});
