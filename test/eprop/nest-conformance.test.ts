/**
 * NEST's e-prop tests (nest-eprop.md §12) through the product path: the bundled e-prop models
 * compiled from runtime/models/eprop_*.spk, run by the Simulator with NEST's API.
 */
import { describe, expect, it } from "vitest";
import { runSineWaveTask } from "../../runtime/eprop/tasks/sine-wave.js";
import { IllegalConnectionError, InvalidParameterError } from "../../runtime/errors.js";
import { Simulator } from "../../runtime/simulator.js";
import { REGRESSION_CASES } from "./harness/regression-setup.js";
import { maxRelativeError, range } from "./harness/compare.js";


describe("test_eprop_regression (§12.1): four model/optimizer configurations, rtol 1e-8", () => {
  for (const c of REGRESSION_CASES) {
    it(`${c.model} + ${c.optimizer}: NEST's losses, identical with flush events (100 ms) on and off`, () => {
      const withFlush = runSineWaveTask({ preset: "nest-test", model: c.model, optimizer: { type: c.optimizer }, progress: false });
      const without = runSineWaveTask({
        preset: "nest-test",
        model: c.model,
        optimizer: { type: c.optimizer },
        recParams: { flush_event_send_interval: Infinity },
        progress: false,
      });
      expect(maxRelativeError(withFlush.loss, c.reference)).toBeLessThan(1e-8);
      expect(without.loss).toEqual(withFlush.loss);
      // Flush events reached every outgoing e-prop synapse (99 recurrent + 1 readout per neuron).
      const flushDeliveries = withFlush.simulator.eprop.synapseStores().get("eprop_synapse")!.flushEvents;
      expect(flushDeliveries).toBe(c.flushEvents * 100);
      expect(without.simulator.eprop.synapseStores().get("eprop_synapse")!.flushEvents).toBe(0);
    });
  }
});

describe("test_eprop_surrogate_gradients (§12.2)", () => {
  const references: Record<string, number[]> = {
    piecewise_linear: [0.21030100902759, 0.18933659619924, 0.170367211025, 0.15320300152221, 0.13767218251307],
    exponential: [0.28011776848615, 0.26861558105999, 0.25861553046549, 0.24988832085299, 0.24224569105944],
    fast_sigmoid_derivative: [0.20044113201621, 0.19020804299944, 0.1816093470395, 0.17432167613232, 0.16809903522604],
    arctan_derivative: [0.37433498786304, 0.36073812744784, 0.3485216507637, 0.33759316659435, 0.32784181049728],
  };
  for (const [fn, ref] of Object.entries(references)) {
    it(`${fn}: last five recorded values within rtol 1e-8`, () => {
      const sim = new Simulator({ resolution: 1.0, progress: false });
      const gen = sim.create("spike_generator", 1, { spike_times: [1.0, 2.0, 3.0, 5.0, 9.0, 11.0] });
      const parrot = sim.create("parrot_neuron", 1);
      const nrn = sim.create("eprop_iaf", 1, {
        C_m: 1.0,
        c_reg: 0.0,
        E_L: 0.0,
        I_e: 0.0,
        surrogate_gradient_height: 0.5,
        surrogate_gradient_width: 1 / 1.7,
        surrogate_gradient_function: fn,
        t_ref: 3.0,
        V_m: 0.0,
        V_th: 0.6,
      });
      const mm = sim.create("multimeter", 1, { interval: 1.0, record_from: ["surrogate_gradient", "V_m"] });
      sim.connect(gen, parrot, "one_to_one", { synapse_model: "static_synapse", delay: 1.0 });
      sim.connect(parrot, nrn, "one_to_one", { synapse_model: "eprop_synapse", delay: 1.0, weight: 0.3 });
      sim.connect(mm, nrn);
      sim.simulate(20.0);
      const psi = (mm.get("events") as Record<string, Float64Array>).surrogate_gradient;
      expect(psi.length).toBe(19);
      expect(maxRelativeError(psi.slice(-5), ref)).toBeLessThan(1e-8);
    });
  }
});

describe("test_eprop_history_cleaning (§12.3)", () => {
  const reference = [[1, 11], [2, 21], [12, 31], [12, 21], [12, 41], [32, 49]].flatMap(([a, b]) => range(a, b));
  for (const [model, cutoff] of [["eprop_iaf", 5.0], ["eprop_iaf", 100000.0], ["eprop_readout", 100000.0]] as const) {
    it(`${model} with eprop_isi_trace_cutoff ${cutoff}: eprop_history_duration equals NEST's`, () => {
      const sim = new Simulator({ resolution: 1.0, progress: false });
      const params: Record<string, number> = { eprop_isi_trace_cutoff: cutoff };
      if (model !== "eprop_readout") params.flush_event_send_interval = cutoff;
      const gens = sim.create("spike_generator", 3);
      const parrots = sim.create("parrot_neuron", 3);
      const nrn = sim.create(model, 1, params);
      const mm = sim.create("multimeter", 1, { interval: 1.0, record_from: ["eprop_history_duration"] });
      sim.connect(gens, parrots, "one_to_one", { synapse_model: "static_synapse", delay: 1.0 });
      sim.connect(parrots, nrn, { rule: "all_to_all", allow_autapses: false }, { synapse_model: "eprop_synapse", delay: 1.0, weight: 1.0 });
      sim.connect(mm, nrn);
      gens.set([{ spike_times: [10.0, 20.0, 50.0, 60.0] }, { spike_times: [10.0, 30.0, 50.0, 90.0] }, { spike_times: [40.0, 60.0] }]);
      sim.simulate(110.0);
      const duration = (mm.get("events") as Record<string, Float64Array>).eprop_history_duration;
      expect(Array.from(duration)).toEqual(reference);
    });
  }
});

describe("test_flush_event_filtering (§12.5)", () => {
  it("a parrot's flush events never reach a spike recorder", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const gen = sim.create("spike_generator", 1, { spike_times: [10.0] });
    const parrot = sim.create("parrot_neuron", 1, { flush_event_send_interval: 5.0 });
    const sr = sim.create("spike_recorder");
    sim.connect(gen, parrot, "one_to_one", { synapse_model: "static_synapse", delay: 1.0 });
    sim.connect(parrot, sr, "all_to_all", { synapse_model: "static_synapse", delay: 1.0 });
    sim.simulate(30.0);
    const ev = sr.get("events") as { times: Float64Array };
    expect(Array.from(ev.times)).toEqual([11.0]);
  });

  it("flush events do reach e-prop synapses (and are not delivered as PSPs)", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const gen = sim.create("spike_generator", 1, { spike_times: [10.0] });
    const parrot = sim.create("parrot_neuron", 1, { flush_event_send_interval: 5.0 });
    const nrn = sim.create("eprop_iaf", 1, { E_L: 0.0, V_m: 0.0, V_th: 100.0, C_m: 1.0 });
    const mm = sim.create("multimeter", 1, { interval: 1.0, record_from: ["V_m"] });
    sim.connect(gen, parrot, "one_to_one", { delay: 1.0 });
    sim.connect(parrot, nrn, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0, weight: 2.0 });
    sim.connect(mm, nrn);
    sim.simulate(30.0);
    const store = sim.eprop.synapseStores().get("eprop_synapse")!;
    expect(store.flushEvents).toBe(3); // steps 15, 20, 25
    const v = (mm.get("events") as Record<string, Float64Array>).V_m;
    // one PSP of 2 mV in step 11, then only leak: no jumps from the flush events
    expect(v[11]).toBeCloseTo(2.0, 12);
    for (let k = 12; k < v.length; k++) expect(v[k]).toBeLessThan(v[k - 1]);
  });
});

describe("NEST's e-prop API rules", () => {
  it("e-prop connections require a delay of one step", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const a = sim.create("parrot_neuron", 2);
    const b = sim.create("eprop_iaf", 2);
    expect(() => sim.connect(a, b, "all_to_all", { synapse_model: "eprop_synapse", delay: 2.0 })).toThrow(IllegalConnectionError);
    expect(() => sim.connect(a, b, "all_to_all", { synapse_model: "eprop_synapse", delay: 2.0 })).toThrow(/one simulation step/);
    expect(sim.getStatus().num_connections).toBe(0);
  });

  it("e-prop synapses need e-prop targets and neuron sources", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const gen = sim.create("spike_generator", 1);
    const p = sim.create("parrot_neuron", 1);
    const iaf = sim.create("iaf_psc_delta", 1);
    const e = sim.create("eprop_iaf", 1);
    expect(() => sim.connect(p, iaf, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0 })).toThrow(IllegalConnectionError);
    expect(() => sim.connect(gen, e, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0 })).toThrow(/parrot_neuron/);
  });

  it("eprop_learning_signal_connection goes from a readout to recurrent e-prop neurons only", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const rec = sim.create("eprop_iaf", 2);
    const out = sim.create("eprop_readout", 1);
    const iaf = sim.create("iaf_psc_delta", 1);
    expect(() => sim.connect(rec, out, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 1.0 })).toThrow(IllegalConnectionError);
    expect(() => sim.connect(out, iaf, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 1.0 })).toThrow(IllegalConnectionError);
    expect(() => sim.connect(out, rec, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 2.0 })).toThrow(/one simulation step/);
    sim.connect(out, rec, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 1.0, weight: [[0.5], [-0.25]] });
    const w = sim.getConnections({ synapse_model: "eprop_learning_signal_connection" }).get("weight") as Float64Array;
    expect(Array.from(w)).toEqual([0.5, -0.25]);
  });

  it("optimizer settings are synapse defaults; the type is fixed once synapses exist; bad values are rejected", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    sim.setDefaults("eprop_synapse", { optimizer: { type: "adam", eta: 1e-3, beta_1: 0.8 } });
    const d = sim.getDefaults("eprop_synapse").optimizer as Record<string, unknown>;
    expect(d).toMatchObject({ type: "adam", eta: 1e-3, beta_1: 0.8, beta_2: 0.999, epsilon: 1e-7, batch_size: 1 });
    expect(() => sim.setDefaults("eprop_synapse", { optimizer: { batch_size: 0 } })).toThrow(InvalidParameterError);
    expect(() => sim.setDefaults("eprop_synapse", { optimizer: { eta: -1 } })).toThrow(/eta/);
    const a = sim.create("parrot_neuron", 1);
    const b = sim.create("eprop_iaf", 1);
    sim.connect(a, b, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0, weight: 0.5 });
    expect(() => sim.setDefaults("eprop_synapse", { optimizer: { type: "gradient_descent" } })).toThrow(/cannot be changed/);
    expect((sim.getDefaults("eprop_synapse").optimizer as Record<string, unknown>).type).toBe("adam");
  });

  it("weight_recorder records the weight each spike was transmitted with, and the weights learn", () => {
    let recorder: ReturnType<Simulator["create"]> | undefined;
    const result = runSineWaveTask({
      preset: "nest-test",
      model: "eprop_iaf",
      optimizer: { type: "gradient_descent" },
      nIter: 2,
      progress: false,
      beforeSimulate: (sim, nodes) => {
        recorder = sim.create("weight_recorder");
        sim.setDefaults("eprop_synapse", { weight_recorder: recorder });
        // one more learned input -> readout synapse, created after the recorder was set
        sim.connect(nodes.inputs.slice(0, 1), nodes.readout, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0, weight: 0.01 });
      },
    });
    const ev = recorder!.get("events") as { senders: Int32Array; targets: Int32Array; times: Float64Array; weights: Float64Array };
    const input = result.nodes.inputs.ids[0];
    const readout = result.nodes.readout.ids[0];
    expect(ev.times.length).toBeGreaterThan(5);
    expect(new Set(ev.senders)).toEqual(new Set([input]));
    expect(new Set(ev.targets)).toEqual(new Set([readout]));
    expect(ev.weights[0]).toBe(0.01); // the first spike only registers its time
    expect(ev.weights[ev.weights.length - 1]).not.toBe(0.01);
    const conn = result.simulator.getConnections({ source: result.nodes.inputs.slice(0, 1), target: result.nodes.readout });
    expect((conn.get("weight") as Float64Array)[0]).toBe(ev.weights[ev.weights.length - 1]);
  });

  it("validates e-prop parameters like NEST (typed errors naming the parameter)", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const bad: Record<string, unknown>[] = [
      { flush_event_send_interval: 0 },
      { surrogate_gradient_function: "bogus" },
      { kappa: 1.5 },
      { kappa_reg: -0.1 },
      { c_reg: -1 },
      { f_target: -1 },
      { surrogate_gradient_width: 0 },
      { surrogate_gradient_height: 0 },
      { eprop_isi_trace_cutoff: -1 },
    ];
    for (const p of bad) {
      const key = Object.keys(p)[0];
      expect(() => sim.create("eprop_iaf", 1, p), key).toThrow(InvalidParameterError);
      expect(() => sim.create("eprop_iaf", 1, p), key).toThrow(new RegExp(key));
    }
    expect(() => sim.create("parrot_neuron", 1, { flush_event_send_interval: -1 })).toThrow(InvalidParameterError);
    // f_target is shown in Hz as set (NEST's GetStatus shows its internal spikes/ms; deliberate difference)
    expect((sim.create("eprop_iaf", 1, { f_target: 10 }).get("f_target") as Float64Array)[0]).toBe(10);
  });

  it("learning_signal recordable at step t is B·err(t − 1) (L(τ) = Σ_k B_jk err_k(τ + 1), recorded with lag 2)", () => {
    let mmRec: ReturnType<Simulator["create"]> | undefined;
    let mmOut: ReturnType<Simulator["create"]> | undefined;
    const result = runSineWaveTask({
      preset: "nest-test",
      model: "eprop_iaf",
      optimizer: { type: "gradient_descent" },
      nIter: 1,
      progress: false,
      beforeSimulate: (sim, nodes) => {
        mmRec = sim.create("multimeter", 1, { interval: 1.0, record_from: ["learning_signal", "eprop_history_duration"] });
        mmOut = sim.create("multimeter", 1, { interval: 1.0, record_from: ["error_signal"] });
        sim.connect(mmRec, nodes.recurrent.slice(0, 1));
        sim.connect(mmOut, nodes.readout);
      },
    });
    const b = (result.simulator.getConnections({ source: result.nodes.readout, target: result.nodes.recurrent.slice(0, 1) }).get("weight") as Float64Array)[0];
    const L = (mmRec!.get("events") as Record<string, Float64Array>).learning_signal;
    const err = (mmOut!.get("events") as Record<string, Float64Array>).error_signal;
    // sample k is the state after step k (multimeter from stamp 1): L(k) recorded = B·err(k − 1)
    let nonZero = 0;
    for (let k = 1; k < L.length; k++) {
      expect(L[k] === b * err[k - 1], `step ${k}`).toBe(true);
      if (L[k] !== 0) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(50);
    const hist = (mmRec!.get("events") as Record<string, Float64Array>).eprop_history_duration;
    expect(Math.max(...hist)).toBeLessThanOrEqual(101); // cutoff 100 + flush 100: bounded
  });

  it("readout rate inputs: the value listed at time T is used in readout step T (NEST overwrites state on delivery)", () => {
    const sim = new Simulator({ resolution: 1.0, progress: false });
    const ro = sim.create("eprop_readout", 1, { C_m: 1.0, E_L: 0.0, tau_m: 30.0 });
    const target = sim.create("step_rate_generator", 1, { amplitude_times: [2.0, 3.0, 4.0, 5.0], amplitude_values: [1.0, 2.0, 3.0, 4.0] });
    const window = sim.create("step_rate_generator", 1, { amplitude_times: [2.0], amplitude_values: [1.0] });
    sim.connect(target, ro, "one_to_one", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 2 });
    sim.connect(window, ro, "one_to_one", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 1 });
    const mm = sim.create("multimeter", 1, { interval: 1.0, record_from: ["target_signal", "error_signal", "readout_signal"] });
    sim.connect(mm, ro);
    sim.simulate(8.0);
    const ev = mm.get("events") as Record<string, Float64Array>;
    // sample at time T+1 = state after step T
    expect(Array.from(ev.times)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(ev.target_signal)).toEqual([0, 0, 1, 2, 3, 4, 4]);
    expect(Array.from(ev.error_signal)).toEqual([0, 0, -1, -2, -3, -4, -4]);
  });

  it("sine-wave example (1000-step sequences, per-spike GD, real sine target): first-iteration loss is NEST's 107.737", () => {
    const r = runSineWaveTask({ nIter: 1, progress: false });
    expect(Math.abs(r.loss[0] - 107.737) / 107.737).toBeLessThan(5e-6);
  });
});
