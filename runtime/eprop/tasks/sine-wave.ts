/**
 * NEST's e-prop sine-wave regression (pynest/examples/eprop_plasticity/
 * eprop_supervised_regression_sine-waves.py), translated line by line to the Simulator API, with
 * NumPy's RandomState(1) for identical weights, inputs and targets. With `preset: "nest-test"` it
 * is NEST's `test_eprop_regression` setup instead (100-step sequences, 5 iterations, per-step
 * optimization, no final spike): the conformance tests use that.
 *
 *   const result = runSineWaveTask();          // 100 in, 100 rec, 1 out, 200 × 1000 steps
 *   result.loss                                // one value per iteration
 */
import type { NodeCollection } from "../../node-collection.js";
import { Simulator } from "../../simulator.js";
import type { ProgressSetting } from "../../progress.js";
import { RandomState, toFloat32, transpose } from "../../random/numpy-random-state.js";

export type RecurrentModel = "eprop_iaf" | "eprop_iaf_adapt" | "eprop_iaf_psc_delta" | "eprop_iaf_psc_delta_adapt";

export interface SineWaveOptions {
  /** "example" (default): the PyNEST example; "nest-test": NEST's test_eprop_regression. */
  preset?: "example" | "nest-test";
  model?: RecurrentModel;
  nIter?: number;
  /** Steps per sequence (1000 in the example, 100 in the test). */
  sequence?: number;
  nIn?: number;
  nRec?: number;
  /** Optimizer settings merged over the preset's (`setDefaults("eprop_synapse", { optimizer })`). */
  optimizer?: Record<string, number | string | boolean>;
  /** Overrides of the recurrent neurons' parameters (e.g. flush_event_send_interval). */
  recParams?: Record<string, number | string | boolean>;
  /** NumPy seed (`np.random.seed`), 1 in NEST's scripts. */
  seed?: number;
  /** Progress bar ("auto": notebook or terminal). */
  progress?: ProgressSetting;
  /** Record the recurrent neurons' spikes (default true). */
  recordSpikes?: boolean;
  /** Called with the simulator and the populations before simulating (extra recorders, etc.). */
  beforeSimulate?: (sim: Simulator, nodes: SineWaveNodes) => void;
}

export interface SineWaveNodes {
  generators: NodeCollection;
  inputs: NodeCollection;
  recurrent: NodeCollection;
  readout: NodeCollection;
}

export interface SineWaveResult {
  /** 0.5·Σ_t (y − y*)² per iteration (NEST's loss). */
  loss: number[];
  /** readout_signal and target_signal samples (steps total_offset … total_offset + task − 1). */
  readout: Float64Array;
  target: Float64Array;
  /** Number of recurrent spikes in the recording window. */
  recurrentSpikes: number;
  /** Wall-clock seconds of `simulate`. */
  simulateSeconds: number;
  simulator: Simulator;
  nodes: SineWaveNodes;
}

/** NEST's `generate_superimposed_sines`, drawing amplitudes and phases from `rs`. */
export function superimposedSines(rs: RandomState, steps: number, periods: number[]): Float64Array {
  const amplitudes = rs.uniform(0.5, 2.0, periods.length);
  const phases = rs.uniform(0.0, 2.0 * Math.PI, periods.length);
  const out = new Float64Array(steps);
  periods.forEach((T, s) => {
    const phi = phases[s];
    const stop = phi + 2.0 * Math.PI * Math.floor(steps / T);
    for (let i = 0; i < steps; i++) {
      // np.linspace: start + i·step, with the last point exactly `stop`
      const x = steps === 1 ? phi : i === steps - 1 ? stop : phi + i * ((stop - phi) / (steps - 1));
      out[i] += amplitudes[s] * Math.sin(x);
    }
  });
  const first = out[0];
  let max = 0;
  for (let i = 0; i < steps; i++) {
    out[i] -= first;
    max = Math.max(max, Math.abs(out[i]));
  }
  const norm = Math.max(max, 1e-6);
  for (let i = 0; i < steps; i++) out[i] /= norm;
  return out;
}

export function runSineWaveTask(options: SineWaveOptions = {}): SineWaveResult {
  const test = options.preset === "nest-test";
  const model: RecurrentModel = options.model ?? "eprop_iaf";
  const nIter = options.nIter ?? (test ? 5 : 200);
  const sequence = options.sequence ?? (test ? 100 : 1000);
  const nIn = options.nIn ?? 100;
  const nRec = options.nRec ?? 100;
  const nOut = 1;
  const task = nIter * sequence;
  const offsetGen = 1;
  const delayInRec = 1;
  const totalOffset = offsetGen + delayInRec;
  const simSteps = task + totalOffset + 3;
  const rs = new RandomState(options.seed ?? 1);

  const sim = new Simulator({ resolution: 1.0, progress: options.progress ?? "auto" });
  const recParams: Record<string, number | string | boolean> = {
    C_m: 1.0,
    c_reg: 300.0 / sequence,
    E_L: 0.0,
    eprop_isi_trace_cutoff: 100,
    f_target: 10.0,
    flush_event_send_interval: sequence,
    I_e: 0.0,
    kappa: 0.97,
    kappa_reg: 0.97,
    surrogate_gradient_function: "piecewise_linear",
    surrogate_gradient_height: 10.0,
    surrogate_gradient_width: 1.0 / 33.3,
    t_ref: 0.0,
    tau_m: 30.0,
    V_m: 0.0,
    V_th: 0.03,
  };
  const scale = 1.0 - 0.97;
  if (model === "eprop_iaf_psc_delta" || model === "eprop_iaf_psc_delta_adapt") {
    recParams.V_reset = -0.5;
    recParams.c_reg = 2.0 / sequence / scale ** 2;
    recParams.V_th = 0.5;
  } else if (model === "eprop_iaf_adapt") {
    if (test) Object.assign(recParams, { adapt_beta: 0.0174, adapt_tau: 2000.0, adaptation: 0.0 });
    else recParams.adapt_beta = 0.0;
  }
  Object.assign(recParams, options.recParams ?? {});
  const outParams = { C_m: 1.0, E_L: 0.0, eprop_isi_trace_cutoff: 100, I_e: 0.0, tau_m: 30.0, V_m: 0.0 };

  const generators = sim.create("spike_generator", nIn);
  const inputs = sim.create("parrot_neuron", nIn);
  const recurrent = sim.create(model, nRec, recParams);
  const readout = sim.create("eprop_readout", nOut, outParams);
  const genTarget = sim.create("step_rate_generator", nOut);
  const genWindow = sim.create("step_rate_generator");
  const mmOut = sim.create("multimeter", 1, {
    interval: 1.0,
    record_from: ["readout_signal", "target_signal"],
    start: totalOffset,
    stop: totalOffset + task,
  });
  const srRec = options.recordSpikes === false ? null : sim.create("spike_recorder", 1, { start: offsetGen, stop: totalOffset + task });

  // Weights: same draws, order and float32 casts as the PyNEST scripts ([post][pre] row-major).
  const f32 = Math.fround;
  const s32 = f32(scale);
  const wInRec = toFloat32(transpose(rs.randn(nIn, nRec), nIn, nRec).map((x) => x / Math.sqrt(nIn)));
  const wRecRec = toFloat32(transpose(rs.randn(nRec, nRec), nRec, nRec).map((x) => x / Math.sqrt(nRec)));
  for (let i = 0; i < nRec; i++) wRecRec[i * nRec + i] = 0;
  const wRecOut = toFloat32(transpose(rs.randn(nRec, nOut), nRec, nOut).map((x) => x / Math.sqrt(nRec))).map((x) => f32(x * s32));
  const wOutRec = toFloat32(rs.randn(nRec, nOut).map((x) => x / Math.sqrt(nRec)));
  if (model === "eprop_iaf" || (model === "eprop_iaf_adapt" && test)) {
    for (const w of [wInRec, wRecRec, wOutRec]) for (let i = 0; i < w.length; i++) w[i] = f32(w[i] * s32);
  } else if (model === "eprop_iaf_psc_delta" || model === "eprop_iaf_psc_delta_adapt") {
    for (let i = 0; i < wOutRec.length; i++) wOutRec[i] = f32(wOutRec[i] / s32);
  }

  const optimizer: Record<string, number | string | boolean> = {
    type: "gradient_descent",
    batch_size: 1,
    eta: 1e-4 * scale ** 2,
    optimize_each_step: test,
    Wmin: -100.0,
    Wmax: 100.0,
    ...(options.optimizer ?? {}),
  };
  if (optimizer.type === "adam") optimizer.beta_1 ??= 0.9;
  if (optimizer.type === "adam") optimizer.beta_2 ??= 0.999;
  if (optimizer.type === "adam") optimizer.epsilon ??= 1e-7;
  sim.setDefaults("eprop_synapse", { optimizer });

  const allToAll = { rule: "all_to_all", allow_autapses: false };
  sim.connect(generators, inputs, "one_to_one", { synapse_model: "static_synapse", delay: 1.0 });
  sim.connect(inputs, recurrent, allToAll, { synapse_model: "eprop_synapse", delay: 1.0, weight: wInRec });
  sim.connect(recurrent, recurrent, allToAll, { synapse_model: "eprop_synapse", delay: 1.0, weight: wRecRec });
  sim.connect(recurrent, readout, allToAll, { synapse_model: "eprop_synapse", delay: 1.0, weight: wRecOut });
  sim.connect(readout, recurrent, allToAll, { synapse_model: "eprop_learning_signal_connection", delay: 1.0, weight: wOutRec });
  sim.connect(genTarget, readout, "one_to_one", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 2 });
  sim.connect(genWindow, readout, "all_to_all", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 1 });
  if (srRec !== null) sim.connect(recurrent, srRec, "all_to_all", { synapse_model: "static_synapse", delay: 1.0 });
  sim.connect(mmOut, readout);

  // Frozen input noise: (rand(sequence, n_in) < 0.05).swapaxes(0, 1), repeated every iteration.
  const r = rs.rand(sequence, nIn);
  const spikeTimes: { spike_times: number[] }[] = [];
  for (let j = 0; j < nIn; j++) {
    const times: number[] = [];
    for (let start = 0; start < task; start += sequence) {
      for (let s = 0; s < sequence; s++) if (r[s * nIn + j] < 0.05) times.push(s + start + offsetGen);
    }
    spikeTimes.push({ spike_times: times });
  }
  generators.set(spikeTimes);

  const target = superimposedSines(rs, sequence, [1000, 500, 333, 200]);
  const amplitudeTimes = Array.from({ length: task }, (_, k) => k + totalOffset);
  const amplitudeValues = Array.from({ length: task }, (_, k) => target[k % sequence]);
  genTarget.set({ amplitude_times: amplitudeTimes, amplitude_values: amplitudeValues });
  genWindow.set({ amplitude_times: [totalOffset], amplitude_values: [1.0] });

  if (!test) {
    // Force a final spike so that every synapse applies its pending update (as the example does).
    const final = sim.create("spike_generator", 1, { spike_times: [task + delayInRec] });
    sim.connect(final, inputs.concat(recurrent), "all_to_all", { weight: 1000.0 });
  }

  const nodes = { generators, inputs, recurrent, readout };
  options.beforeSimulate?.(sim, nodes);
  const t0 = performance.now();
  sim.simulate(simSteps);
  const simulateSeconds = (performance.now() - t0) / 1000;

  const ev = mmOut.get("events") as Record<string, Float64Array>;
  const y = ev.readout_signal;
  const yStar = ev.target_signal;
  const loss: number[] = [];
  for (let it = 0; it < nIter; it++) {
    let s = 0;
    for (let k = it * sequence; k < (it + 1) * sequence; k++) s += (y[k] - yStar[k]) ** 2;
    loss.push(0.5 * s);
  }
  const nEvents = srRec === null ? 0 : srRec.get("n_events");
  const recurrentSpikes = typeof nEvents === "number" ? nEvents : (nEvents as ArrayLike<number>)[0];
  return { loss, readout: y, target: yStar, recurrentSpikes, simulateSeconds, simulator: sim, nodes };
}
