/** Devices with NEST's timing: generators, recorders, multimeter stamps, flush filtering. */
import { describe, expect, it } from "vitest";
import { Simulator, setModelCompiler, pairwiseCorrelations, type NeuronModel, type NeuronPopulation } from "../../runtime/index.js";

type Events = { senders: Int32Array; times: Float64Array; [k: string]: Int32Array | Float64Array };

describe("spike_generator", () => {
  it("emits at its spike times (recorded stamps) within (start, stop]", () => {
    const sim = new Simulator({ progress: false });
    const sg = sim.create("spike_generator", 1, { spike_times: [0.5, 1.0, 2.5, 4.0], start: 0.5, stop: 2.5 });
    const sr = sim.create("spike_recorder");
    sim.connect(sg, sr);
    sim.simulate(10);
    expect(Array.from((sr.get("events") as Events).times)).toEqual([1.0, 2.5]);
  });
  it("delivers after the delay, with spike_weights multiplying the weight", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 1, { tau_m: 1e9, C_m: 1e9 }); // no leak: V keeps every jump
    const sg = sim.create("spike_generator", 1, { spike_times: [1.0, 3.0], spike_weights: [1, 2.5] });
    sim.connect(sg, n, "one_to_one", { weight: 2, delay: 1.2 });
    const mm = sim.create("multimeter", 1, { record_from: ["V_m"], interval: 0.1 });
    sim.connect(mm, n);
    sim.simulate(10);
    const ev = mm.get("events") as Events;
    const at = (t: number) => ev.V_m[Math.round(t / 0.1) - 1];
    expect(at(2.1)).toBeCloseTo(-70, 6);
    expect(at(2.2)).toBeCloseTo(-68, 6); // 1.0 + 1.2: jump of 1·2
    expect(at(4.1)).toBeCloseTo(-68, 6);
    expect(at(4.2)).toBeCloseTo(-63, 6); // 3.0 + 1.2: jump of 2.5·2
  });
  it("rejects off-grid times unless allow_offgrid_times, which rounds up", () => {
    const sim = new Simulator({ progress: false });
    expect(() => sim.create("spike_generator", 1, { spike_times: [1.03] })).toThrow(/resolution/);
    const sg = sim.create("spike_generator", 1, { allow_offgrid_times: true, spike_times: [1.03] });
    const sr = sim.create("spike_recorder");
    sim.connect(sg, sr);
    sim.simulate(5);
    expect(Array.from((sr.get("events") as Events).times)).toEqual([1.1]);
  });
});

describe("poisson_generator", () => {
  it("drives every target with its own train at the set rate", () => {
    const sim = new Simulator({ seed: 3, progress: false });
    const parrots = sim.create("parrot_neuron", 100);
    const pg = sim.create("poisson_generator", 1, { rate: 200 });
    sim.connect(pg, parrots, "all_to_all", { delay: 0.1 });
    const sr = sim.create("spike_recorder");
    sim.connect(parrots, sr);
    sim.simulate(1000);
    const ev = sr.get("events") as Events;
    const expected = 100 * 200;
    expect(Math.abs(ev.times.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // independent trains: binned counts are uncorrelated and trains differ
    const r = pairwiseCorrelations(ev, parrots.ids, { binSize: 5, tStop: 1000, pairs: 300 });
    let mean = 0;
    for (const x of r) mean += x / r.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    const first = (id: number) => Array.from(ev.times.filter((_, i) => ev.senders[i] === id).slice(0, 5));
    expect(first(parrots.ids[0])).not.toEqual(first(parrots.ids[1]));
  });
  it("is silent outside (start, stop]", () => {
    const sim = new Simulator({ seed: 3, progress: false });
    const parrots = sim.create("parrot_neuron", 20);
    const pg = sim.create("poisson_generator", 1, { rate: 5000, start: 10, stop: 20 });
    sim.connect(pg, parrots, "all_to_all", { delay: 1 });
    const sr = sim.create("spike_recorder");
    sim.connect(parrots, sr);
    sim.simulate(50);
    const t = (sr.get("events") as Events).times;
    expect(t.length).toBeGreaterThan(500);
    // active steps s with 10 < s·dt ≤ 20; arrival s + delay, parrot spike stamped one step later
    for (const x of t) {
      expect(x).toBeGreaterThan(10 + 1 + 0.1 - 1e-9);
      expect(x).toBeLessThanOrEqual(20 + 1 + 0.1 + 1e-9);
    }
  });
});

describe("current generators", () => {
  it("step_current_generator equals a dc_generator with the same window", () => {
    const trace = (kind: "dc" | "step") => {
      const sim = new Simulator({ progress: false });
      const n = sim.create("iaf_psc_delta", 1, { V_th: 100 });
      const g =
        kind === "dc"
          ? sim.create("dc_generator", 1, { amplitude: 300, start: 10, stop: 20 })
          : sim.create("step_current_generator", 1, { amplitude_times: [10, 20], amplitude_values: [300, 0] });
      sim.connect(g, n);
      const mm = sim.create("multimeter", 1, { record_from: ["V_m"], interval: 0.1 });
      sim.connect(mm, n);
      sim.simulate(40);
      return (mm.get("events") as Events).V_m;
    };
    const dc = trace("dc");
    const step = trace("step");
    expect(Array.from(step)).toEqual(Array.from(dc));
    // on during (start + delay, stop + delay] = (11, 21]
    expect(dc[Math.round(11 / 0.1) - 1]).toBe(-70);
    expect(dc[Math.round(11.1 / 0.1) - 1]).toBeGreaterThan(-70);
  });
  it("rejects amplitude_times without amplitude_values", () => {
    const sim = new Simulator({ progress: false });
    expect(() => sim.create("step_current_generator", 1, { amplitude_times: [1] })).toThrow(/together/);
  });
});

describe("multimeter", () => {
  it("samples at multiples of interval, stamps = state after the previous step, last slice deferred", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 2, { I_e: 100, V_th: 1000 });
    const mm = sim.create("multimeter", 1, { record_from: ["V_m"], interval: 1 });
    sim.connect(mm, n);
    sim.simulate(10);
    let ev = mm.get("events") as Events;
    // no connections: min delay = one step; the sample stamped 10 lies in the last slice
    expect(Array.from(ev.times)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    sim.simulate(10);
    ev = mm.get("events") as Events;
    expect(ev.times.length).toBe(38);
    expect(ev.times[18]).toBe(10);
    // V_m after t ms of the constant current I_e from rest: E_L + I·τ/C·(1 − e^{−t/τ})
    for (let k = 0; k < ev.times.length; k++) {
      const t = ev.times[k];
      expect(ev.V_m[k]).toBeCloseTo(-70 + ((100 * 10) / 250) * (1 - Math.exp(-t / 10)), 9);
    }
  });
  it("honours start/stop and offset", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 1);
    const mm = sim.create("multimeter", 1, { record_from: ["V_m"], interval: 0.5, offset: 0.2, start: 2, stop: 4 });
    sim.connect(mm, n);
    sim.simulate(10);
    const t = Array.from((mm.get("events") as Events).times);
    expect(t.map((x) => Math.round(x * 10) / 10)).toEqual([2.2, 2.7, 3.2, 3.7]);
  });
  it("refuses recordables the model does not have", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 1);
    const mm = sim.create("multimeter", 1, { record_from: ["g_ex"] });
    expect(() => sim.connect(mm, n)).toThrow(/g_ex/);
  });
});

describe("spike_recorder", () => {
  it("records stamps in (origin + start, origin + stop] and can be cleared", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 1, { I_e: 1000 });
    const all = sim.create("spike_recorder");
    const window = sim.create("spike_recorder", 1, { start: 10, stop: 20 });
    sim.connect(n, all);
    sim.connect(n, window);
    sim.simulate(50);
    const a = (all.get("events") as Events).times;
    const w = (window.get("events") as Events).times;
    expect(Array.from(w)).toEqual(Array.from(a).filter((t) => t > 10 && t <= 20));
    expect(w.length).toBeGreaterThan(0);
    all.set({ n_events: 0 });
    expect((all.get("n_events") as Float64Array)[0]).toBe(0);
  });
});

describe("weight_recorder", () => {
  it("records one event per transmitted spike on synapses that name it", () => {
    const sim = new Simulator({ progress: false });
    const wr = sim.create("weight_recorder");
    sim.copyModel("static_synapse", "recorded_synapse", { weight_recorder: wr, weight: 4 });
    const n = sim.create("iaf_psc_delta", 2);
    const sg = sim.create("spike_generator", 1, { spike_times: [1, 2] });
    sim.connect(sg, n, "all_to_all", "recorded_synapse");
    sim.simulate(5);
    const ev = wr.get("events") as Events;
    expect(Array.from(ev.times)).toEqual([1, 1, 2, 2]);
    expect(Array.from(ev.weights)).toEqual([4, 4, 4, 4]);
    expect(Array.from(ev.targets)).toEqual([n.ids[0], n.ids[1], n.ids[0], n.ids[1]]);
  });
});

describe("flush events", () => {
  it("are dropped by static connections: no recorder sees them, no target receives them", () => {
    // A test-only model that emits a flush event every step and a real spike at step 5.
    const flusher: NeuronModel = {
      kind: "neuron",
      name: "flusher",
      variables: [],
      recordables: [],
      ports: [],
      emitsSpikes: true,
      generatedSource: "",
      validate: () => undefined,
      instantiate(n: number): NeuronPopulation {
        return {
          n,
          arrays: {},
          prepare() {},
          update(origin, from, to, io) {
            for (let lag = from; lag < to; lag++) for (let i = 0; i < n; i++) io.out.push(i, lag, 1, origin + lag !== 5);
          },
          read: () => NaN,
        };
      },
    };
    setModelCompiler(() => ({ models: [flusher], diagnostics: [] }));
    const sim = new Simulator({ progress: false });
    try {
      sim.install("model flusher: ...");
    } finally {
      setModelCompiler(undefined);
    }
    const f = sim.create("flusher", 1);
    const sr = sim.create("spike_recorder");
    const target = sim.create("iaf_psc_delta", 1, { tau_m: 1e9, C_m: 1e9 });
    sim.connect(f, sr);
    sim.connect(f, target, "all_to_all", { weight: 1 });
    sim.simulate(5);
    expect(Array.from((sr.get("events") as Events).times)).toEqual([0.6]);
    expect((target.get("V_m") as Float64Array)[0]).toBeCloseTo(-69, 6);
  });
});
