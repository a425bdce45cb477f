/** Spike output, multiplicity, flush events and the e-prop hooks of generated neuron kernels. */
import { describe, expect, test } from "vitest";
import type { NeuronModel } from "../../runtime/model-abi.js";
import { compileSource, Driver, loadModel, neuron } from "./harness.js";

describe("parrot_neuron", () => {
  const parrot = neuron(loadModel("parrot_neuron"));

  test("re-emits every received spike in its arrival step with the same multiplicity, ignoring weights", () => {
    expect(parrot.ports).toEqual([{ name: "spikes", kind: "spike", receptor: 0, needsCount: true, unit: "1" }]);
    const d = new Driver(parrot, 2, 0.1);
    d.spike("spikes", 3, 0.7, 0, 3);
    d.spike("spikes", 3, -5, 1, 1);
    d.spike("spikes", 8, 0, 1, 2);
    d.run(12);
    expect(d.events).toEqual([
      { i: 0, step: 3, multiplicity: 3, flush: false },
      { i: 1, step: 3, multiplicity: 1, flush: false },
      { i: 1, step: 8, multiplicity: 2, flush: false },
    ]);
  });

  test("flush events: NEST's rule (interval 5 ms, spike at 10 ms -> flushes in steps 15, 20, 25)", () => {
    expect(parrot.flushParameter).toBe("flush_event_send_interval");
    const spec = parrot.variables.find((v) => v.name === "flush_event_send_interval")!;
    expect(spec).toMatchObject({ kind: "parameter", unit: "ms", defaultValue: Infinity, visible: true });
    const d = new Driver(parrot, 2, 1, { flush_event_send_interval: 5 });
    d.spike("spikes", 10, 1, 0);
    d.run(30);
    expect(d.events.filter((e) => e.i === 0)).toEqual([
      { i: 0, step: 10, multiplicity: 1, flush: false },
      { i: 0, step: 15, multiplicity: 1, flush: true },
      { i: 0, step: 20, multiplicity: 1, flush: true },
      { i: 0, step: 25, multiplicity: 1, flush: true },
    ]);
    // a neuron that never spiked never flushes
    expect(d.events.filter((e) => e.i === 1)).toEqual([]);
  });

  test("a spike restarts the flush interval; default interval (inf) never flushes", () => {
    const d = new Driver(parrot, 1, 0.1, { flush_event_send_interval: 1 }); // 10 steps
    d.spike("spikes", 5, 1);
    d.spike("spikes", 12, 1);
    d.run(40);
    expect(d.events.map((e) => [e.step, e.flush])).toEqual([[5, false], [12, false], [22, true], [32, true]]);
    const never = new Driver(parrot, 1, 0.1);
    never.spike("spikes", 5, 1);
    never.run(1000 % 64);
    expect(never.events.filter((e) => e.flush)).toEqual([]);
    expect(parrot.validate({ flush_event_send_interval: 0 })).toMatch(/flush_event_send_interval/);
    expect(parrot.validate({ flush_event_send_interval: 3 })).toBeUndefined();
  });
});

describe("e-prop hooks (eprop_iaf of runtime/models)", () => {
  const m = neuron(loadModel("eprop_iaf")) as NeuronModel;

  test("the eprop block becomes NEST-named parameters and a spec", () => {
    expect(m.eprop).toMatchObject({ role: "recurrent", bindingVariables: { membrane: "V_m", threshold: "V_th" } });
    const byName = Object.fromEntries(m.variables.map((v) => [v.name, v]));
    expect(byName.surrogate_gradient_function).toMatchObject({ kind: "parameter", defaultValue: 0, enumValues: ["piecewise_linear", "exponential", "fast_sigmoid_derivative", "arctan_derivative"] });
    expect(byName.surrogate_gradient_height!.defaultValue).toBe(0.3);
    expect(byName.surrogate_gradient_width).toMatchObject({ unit: "mV", defaultValue: 1 });
    expect(byName.f_target).toMatchObject({ unit: "Hz", defaultValue: 10 });
    expect(byName.eprop_isi_trace_cutoff!.defaultValue).toBe(Infinity);
    expect(m.recordables).toEqual(expect.arrayContaining(["V_m", "surrogate_gradient", "learning_signal", "eprop_history_duration"]));
    expect(m.validate({ kappa: 1.5 })).toMatch(/kappa/);
  });

  // NEST test_eprop_plasticity.py::test_eprop_surrogate_gradients (nest-eprop.md §12.2): ψ in steps 14..18.
  const reference: Record<string, number[]> = {
    piecewise_linear: [0.21030100902759, 0.18933659619924, 0.170367211025, 0.15320300152221, 0.13767218251307],
    exponential: [0.28011776848615, 0.26861558105999, 0.25861553046549, 0.24988832085299, 0.24224569105944],
    fast_sigmoid_derivative: [0.20044113201621, 0.19020804299944, 0.1816093470395, 0.17432167613232, 0.16809903522604],
    arctan_derivative: [0.37433498786304, 0.36073812744784, 0.3485216507637, 0.33759316659435, 0.32784181049728],
  };
  test.each(Object.keys(reference))("surrogate gradient %s reproduces NEST's reference (rtol 1e-8)", (fn) => {
    const d = new Driver(m, 1, 1, {
      C_m: 1, c_reg: 0, E_L: 0, I_e: 0, surrogate_gradient_height: 0.5, surrogate_gradient_width: 1 / 1.7,
      t_ref: 3, V_m: 0, V_th: 0.6, surrogate_gradient_function: m.variables.find((v) => v.name === "surrogate_gradient_function")!.enumValues!.indexOf(fn),
    });
    for (const s of [2, 3, 4, 6, 10, 12]) d.spike("spikes", s, 0.3);
    const psi: number[] = [];
    const z: number[] = [];
    let afterSteps = 0;
    (d.io as { eprop?: { afterStep(step: number): void } }).eprop = { afterStep: () => afterSteps++ };
    d.run(19, () => {
      psi.push(d.get("surrogate_gradient"));
      z.push(d.pop.arrays.__eprop_z![0]!);
    });
    expect(afterSteps).toBe(19);
    psi.slice(14, 19).forEach((v, k) => expect(Math.abs(v - reference[fn]![k]!) / reference[fn]![k]!).toBeLessThan(1e-8));
    expect(z.reduce((a, b) => a + b, 0)).toBe(d.events.filter((e) => !e.flush).length);
  });
});

test("readout role: readout/target/error bindings are evaluated every step into __eprop_* arrays", () => {
  const m = neuron(loadModel("eprop_readout"));
  expect(m.eprop?.role).toBe("readout");
  expect(m.ports.filter((p) => p.kind === "continuous").map((p) => [p.name, p.receptor])).toEqual([["I_stim", 0], ["learning_window", 1], ["target", 2]]);
  const d = new Driver(m, 1, 1, { C_m: 1, E_L: 0, tau_m: 30 });
  d.spike("spikes", 0, 2);
  d.current("learning_window", 0, 1);
  d.current("learning_window", 1, 1);
  d.current("target", 1, 0.5);
  d.run(3);
  const a = d.pop.arrays;
  expect(a.__eprop_readout![0]).toBe(d.get("readout_signal"));
  expect(a.__eprop_err![0]).toBe(a.__eprop_readout![0]! - a.__eprop_target![0]!);
});

test("emit_spike without flush/eprop: multiplicity 1, no flush events", () => {
  const m = neuron(compileSource(`
model ticker_neuron:
    state:
        k integer = 0
    output:
        spike
    update:
        k += 1
        if k % 3 == 0:
            emit_spike()
`));
  const d = new Driver(m, 1, 0.1);
  d.run(10);
  expect(d.events.map((e) => [e.step, e.multiplicity, e.flush])).toEqual([[2, 1, false], [5, 1, false], [8, 1, false]]);
});
