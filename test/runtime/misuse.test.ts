/** API misuse throws typed errors naming the argument and leaves the simulator unchanged. */
import { describe, expect, it } from "vitest";
import {
  IllegalConnectionError,
  InvalidDelayError,
  InvalidParameterError,
  ShapeMismatchError,
  Simulator,
  SpikelabError,
  UnknownModelError,
  UnknownParameterError,
} from "../../runtime/index.js";

function expectError(fn: () => unknown, type: new (...a: never[]) => SpikelabError, argument?: string | RegExp): SpikelabError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    expect(e).toBeInstanceOf(SpikelabError);
    const err = e as SpikelabError;
    if (argument !== undefined) {
      if (typeof argument === "string") expect(err.argument).toBe(argument);
      else expect(err.argument).toMatch(argument);
    }
    return err;
  }
  throw new Error("expected an error");
}

function snapshot(sim: Simulator) {
  return JSON.stringify(sim.getStatus());
}

describe("create", () => {
  it("unknown model", () => {
    const sim = new Simulator({ progress: false });
    const e = expectError(() => sim.create("iaf_psc_dleta", 1), UnknownModelError, "model");
    expect(e.message).toMatch(/iaf_psc_dleta/);
    expect(sim.getStatus().network_size).toBe(0);
  });
  it("negative or fractional counts", () => {
    const sim = new Simulator({ progress: false });
    expectError(() => sim.create("iaf_psc_delta", -1), InvalidParameterError, "n");
    expectError(() => sim.create("iaf_psc_delta", 2.5), InvalidParameterError, "n");
    expectError(() => sim.create("iaf_psc_delta", 0), InvalidParameterError, "n");
    expect(sim.getStatus().network_size).toBe(0);
  });
  it("unknown parameter, wrong type, NaN, guard violation", () => {
    const sim = new Simulator({ progress: false });
    expectError(() => sim.create("iaf_psc_delta", 2, { V_tht: 1 }), UnknownParameterError, "params.V_tht");
    expectError(() => sim.create("iaf_psc_delta", 2, { V_th: "high" }), InvalidParameterError, "params.V_th");
    expectError(() => sim.create("iaf_psc_delta", 2, { V_th: NaN }), InvalidParameterError, "params.V_th");
    expectError(() => sim.create("iaf_psc_delta", 2, { C_m: -1 }), InvalidParameterError, "params.C_m");
    expectError(() => sim.create("iaf_psc_delta", 3, { V_m: [1, 2] }), ShapeMismatchError, "params.V_m");
    expect(sim.getStatus().network_size).toBe(0);
    const n = sim.create("iaf_psc_delta", 3, { V_m: [-60, -61, -62] });
    expect(Array.from(n.get("V_m") as Float64Array)).toEqual([-60, -61, -62]);
  });
});

describe("set", () => {
  it("validates everything before changing anything", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 3);
    expectError(() => n.set({ V_m: -60, C_m: -5 }), InvalidParameterError, "params.C_m");
    expect(Array.from(n.get("V_m") as Float64Array)).toEqual([-70, -70, -70]);
    expectError(() => n.set([{ V_m: -60 }, { V_m: -61 }, { V_m: Number.NaN }]), InvalidParameterError, "params.V_m");
    expect(Array.from(n.get("V_m") as Float64Array)).toEqual([-70, -70, -70]);
    expectError(() => n.set({ V_m: [1, 2] }), ShapeMismatchError, "params.V_m");
    expectError(() => n.get("nope"), UnknownParameterError, "nope");
  });
  it("across blocks: a failure in the second block undoes the first", () => {
    const sim = new Simulator({ progress: false });
    const a = sim.create("iaf_psc_delta", 2);
    const b = sim.create("iaf_psc_exp", 2);
    expectError(() => a.concat(b).set({ V_m: -65, tau_syn_ex: 3 }), UnknownParameterError);
    expect(Array.from(a.get("V_m") as Float64Array)).toEqual([-70, -70]);
  });
  it("devices validate their parameters", () => {
    const sim = new Simulator({ progress: false });
    expectError(() => sim.create("spike_generator", 1, { spike_times: [3, 2] }), InvalidParameterError, "params.spike_times");
    expectError(() => sim.create("poisson_generator", 1, { rate: -1 }), InvalidParameterError, "params.rate");
    expectError(() => sim.create("dc_generator", 1, { amplitude: "x" }), InvalidParameterError, "params.amplitude");
    expectError(() => sim.create("multimeter", 1, { interval: 0.05 }), InvalidParameterError, "params.interval");
    expectError(() => sim.create("spike_recorder", 1, { start: 5, stop: 1 }), InvalidParameterError, "params.stop");
    expect(sim.getStatus().network_size).toBe(0);
  });
});

describe("connect", () => {
  function net() {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 10);
    return { sim, n };
  }
  it("bad delays", () => {
    const { sim, n } = net();
    const before = snapshot(sim);
    expectError(() => sim.connect(n, n, "all_to_all", { delay: 0.05 }), InvalidDelayError, "syn_spec.delay");
    expectError(() => sim.connect(n, n, "all_to_all", { delay: 0.15 }), InvalidDelayError, "syn_spec.delay");
    expectError(() => sim.connect(n, n, "all_to_all", { delay: 0 }), InvalidDelayError, "syn_spec.delay");
    expectError(() => sim.connect(n, n, "one_to_one", { delay: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.01] }), InvalidDelayError, /syn_spec\.delay/);
    expect(snapshot(sim)).toBe(before);
  });
  it("bad rule parameters", () => {
    const { sim, n } = net();
    const before = snapshot(sim);
    expectError(() => sim.connect(n, n, { rule: "fixed_indegree", indegree: -1 }), InvalidParameterError, "conn_spec.indegree");
    expectError(() => sim.connect(n, n, { rule: "fixed_indegree" }), InvalidParameterError, "conn_spec.indegree");
    expectError(() => sim.connect(n, n, { rule: "pairwise_bernoulli", p: 1.5 }), InvalidParameterError, "conn_spec.p");
    expectError(() => sim.connect(n, n, { rule: "all_to_one" }), InvalidParameterError, "conn_spec.rule");
    expectError(() => sim.connect(n, n, { rule: "all_to_all", indegree: 3 }), InvalidParameterError, "conn_spec.indegree");
    expectError(() => sim.connect(n, n.slice(0, 3), "one_to_one"), ShapeMismatchError, "post");
    expect(snapshot(sim)).toBe(before);
  });
  it("mismatched weight shapes and NaN weights", () => {
    const { sim, n } = net();
    const before = snapshot(sim);
    expectError(() => sim.connect(n, n, "all_to_all", { weight: [1, 2, 3] }), ShapeMismatchError, "syn_spec.weight");
    expectError(() => sim.connect(n.slice(0, 2), n.slice(0, 3), "all_to_all", { weight: [[1, 2, 3], [4, 5, 6]] }), ShapeMismatchError, "syn_spec.weight");
    expectError(() => sim.connect(n, n, "all_to_all", { weight: NaN }), InvalidParameterError, "syn_spec.weight");
    expectError(() => sim.connect(n, n, { rule: "pairwise_bernoulli", p: 0.5 }, { weight: [1] }), ShapeMismatchError, "syn_spec.weight");
    expectError(() => sim.connect(n, n, "all_to_all", { weight: { distribution: "gaussian" } }), InvalidParameterError, "syn_spec.weight.distribution");
    expect(snapshot(sim)).toBe(before);
  });
  it("unknown synapse model or parameter, wrong receptor, wrong direction", () => {
    const { sim, n } = net();
    const before = snapshot(sim);
    expectError(() => sim.connect(n, n, "all_to_all", { synapse_model: "stdp_synaps" }), UnknownModelError, "syn_spec.synapse_model");
    expectError(() => sim.connect(n, n, "all_to_all", { wieght: 1 }), UnknownParameterError, "syn_spec.wieght");
    expectError(() => sim.connect(n, n, "all_to_all", { receptor_type: 3 }), IllegalConnectionError, "syn_spec.receptor_type");
    const sr = sim.create("spike_recorder");
    expectError(() => sim.connect(sr, n), IllegalConnectionError, "pre");
    const pg = sim.create("poisson_generator");
    expectError(() => sim.connect(n, pg), IllegalConnectionError, "post");
    expectError(() => sim.connect(n, {} as never), InvalidParameterError, "post");
    expect(sim.getStatus().num_connections).toBe(JSON.parse(before).num_connections);
  });
});

describe("simulate and models", () => {
  it("rejects bad times and options", () => {
    const sim = new Simulator({ progress: false });
    expectError(() => sim.simulate(-1), InvalidParameterError, "t");
    expectError(() => sim.simulate(0.05), InvalidParameterError, "t");
    expectError(() => sim.simulate(NaN), InvalidParameterError, "t");
    expect(sim.time).toBe(0);
    expectError(() => new Simulator({ resolution: -0.1 }), InvalidParameterError, "resolution");
    expectError(() => new Simulator({ seed: 1.5 }), InvalidParameterError, "options.seed");
    expectError(() => new Simulator({ resolutoin: 0.1 } as never), UnknownParameterError, "options.resolutoin");
  });
  it("setDefaults / copyModel validate and apply", () => {
    const sim = new Simulator({ progress: false });
    expectError(() => sim.setDefaults("iaf_psc_delta", { C_m: 0 }), InvalidParameterError, "params.C_m");
    sim.setDefaults("iaf_psc_delta", { V_th: -50 });
    expect((sim.create("iaf_psc_delta").get("V_th") as Float64Array)[0]).toBe(-50);
    sim.copyModel("iaf_psc_delta", "my_neuron", { t_ref: 5 });
    const m = sim.create("my_neuron");
    expect((m.get("t_ref") as Float64Array)[0]).toBe(5);
    expect((m.get("V_th") as Float64Array)[0]).toBe(-50);
    expectError(() => sim.copyModel("iaf_psc_delta", "my_neuron"), InvalidParameterError, "newName");
    expectError(() => sim.setDefaults("static_synapse", { delay: 0.01 }), InvalidDelayError, "params.delay");
    expect(sim.models).toContain("my_neuron");
    expect(sim.getDefaults("static_synapse")).toMatchObject({ weight: 1, delay: 1 });
  });
});
