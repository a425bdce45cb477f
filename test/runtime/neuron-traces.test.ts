/**
 * Single-neuron conformance: V_m traces and spike times of the bundled iaf_psc_delta/exp/alpha,
 * driven by spike generators (weights, delays) and a DC current switched on and off, against the
 * closed-form solutions in reference/iaf-analytic.ts (NEST's exact integration, refractoriness and
 * recorder stamps), to 1e-9 mV at resolutions 0.1 and 0.5 ms.
 */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../runtime/index.js";
import { referenceTrace, type Input, type Params, type Shape } from "./reference/iaf-analytic.js";

const models: Record<Shape, string> = { delta: "iaf_psc_delta", exp: "iaf_psc_exp", alpha: "iaf_psc_alpha" };
const params: Params = { C_m: 250, tau_m: 10, tau_syn: 2, t_ref: 2, E_L: -70, V_reset: -70, V_th: -55 };

function run(shape: Shape, h: number) {
  const sim = new Simulator({ resolution: h, seed: 1, progress: false });
  const { tau_syn, ...rest } = params;
  const nodeParams = shape === "delta" ? rest : { ...rest, tau_syn_ex: tau_syn, tau_syn_in: tau_syn };
  const neuron = sim.create(models[shape], 1, nodeParams);
  const sg1 = sim.create("spike_generator", 1, { spike_times: [2, 5, 12, 34] });
  const sg2 = sim.create("spike_generator", 1, { spike_times: [4] });
  const dc = sim.create("dc_generator", 1, { amplitude: 500, start: 20, stop: 60 });
  const w1 = shape === "delta" ? 3 : 300;
  const w2 = shape === "delta" ? -2 : -200;
  sim.connect(sg1, neuron, "one_to_one", { weight: w1, delay: 1 });
  sim.connect(sg2, neuron, "one_to_one", { weight: w2, delay: 2.5 });
  sim.connect(dc, neuron, "one_to_one", { delay: 1 });
  const mm = sim.create("multimeter", 1, { record_from: ["V_m"], interval: h });
  sim.connect(mm, neuron);
  const sr = sim.create("spike_recorder");
  sim.connect(neuron, sr);
  sim.simulate(100);
  const inputs: Input[] = [
    ...[2, 5, 12, 34].map((t) => ({ t: t + 1, w: w1 })),
    { t: 4 + 2.5, w: w2 },
  ];
  const ref = referenceTrace(shape, params, h, Math.round(100 / h), inputs, { amplitude: 500, on: 21, off: 61 });
  const mmEvents = mm.get("events") as { times: Float64Array; V_m: Float64Array; senders: Int32Array };
  const spikes = (sr.get("events") as { times: Float64Array }).times;
  return { ref, mmEvents, spikes };
}

describe.each([0.1, 0.5])("resolution %s ms", (h) => {
  it.each(["delta", "exp", "alpha"] as Shape[])("iaf_psc_%s matches the exact solution", (shape) => {
    const { ref, mmEvents, spikes } = run(shape, h);
    expect(ref.margin).toBeGreaterThan(1e-6); // no threshold crossing is borderline
    expect(ref.spikes.length).toBeGreaterThanOrEqual(2); // the DC drives it over threshold
    // Multimeter: samples at every h, stamped k·h = state after step k−1; the last min-delay slice
    // (1 ms) of the run is not read out yet, as in NEST.
    const n = mmEvents.times.length;
    expect(n).toBe(Math.round(99 / h));
    for (let k = 0; k < n; k++) {
      expect(mmEvents.times[k]).toBeCloseTo((k + 1) * h, 9);
      const diff = Math.abs(mmEvents.V_m[k] - ref.V[k]);
      if (diff > 1e-9) throw new Error(`V_m at ${mmEvents.times[k]} ms: got ${mmEvents.V_m[k]}, expected ${ref.V[k]} (diff ${diff})`);
    }
    expect(Array.from(spikes)).toEqual(ref.spikes.map((t) => expect.closeTo(t, 9)));
  });
});

describe("input during refractoriness", () => {
  it.each([0.1, 0.5])("the scenario puts an input into the refractory period (h = %s)", (h) => {
    const { ref, mmEvents } = run("delta", h);
    // The input acting at 35 ms falls into the refractory period after the first spike, so the
    // exact-match test above covers NEST's discarding of input during refractoriness.
    const first = ref.spikes[0];
    expect(35).toBeGreaterThan(first);
    expect(35).toBeLessThanOrEqual(first + 2);
    const k = Math.round(35 / h) - 1;
    expect(mmEvents.V_m[k]).toBe(-70);
  });
});
