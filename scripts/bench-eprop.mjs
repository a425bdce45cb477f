// E-prop benchmarks (not tests). Needs `npm run build` (imports dist/).
//   node scripts/bench-eprop.mjs memory   [--steps 1000000] [--json]
//   node scripts/bench-eprop.mjs scaling  [--json]
//   node scripts/bench-eprop.mjs sine     [--iterations 200]   (same as scripts/eprop-sine.mjs)
//   node scripts/bench-eprop.mjs all
// Times are process CPU seconds (robust on a shared machine) and wall seconds.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const which = args[0] && !args[0].startsWith("--") ? args[0] : "all";
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const json = args.includes("--json");
const dist = process.env.SPIKELAB_DIST ? pathToFileURL(process.env.SPIKELAB_DIST.replace(/\/?$/, "/")) : new URL("../dist/", import.meta.url);
const { Simulator } = await import(new URL("runtime/index.js", dist).href);
const { RandomState, runSineWaveTask } = await import(new URL("runtime/eprop/index.js", dist).href);

const cpuSeconds = (c) => (c.user + c.system) / 1e6;
const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

/**
 * NEST's motivating case for flush events (PR #3721): neurons fall silent during learning. Inputs
 * drive an e-prop network for the first `activeSteps`, then stop; the recurrent neurons fall silent
 * too. Without flush events every e-prop neuron keeps archiving one entry per step that no synapse
 * ever releases (its presynaptic partners are silent, cutoff ∞); with flush events the silent
 * partners send a flush every `interval`, which lets the synapses release the history.
 */
function memory({ steps, flushInterval, cutoff, nIn = 10, nRec = 10, checkpoints = 20, activeSteps = 2000 }) {
  const sim = new Simulator({ resolution: 1.0, progress: false });
  const rs = new RandomState(1);
  const rec = { C_m: 1.0, E_L: 0.0, V_m: 0.0, V_th: 0.03, tau_m: 30.0, t_ref: 0.0, c_reg: 0.3, f_target: 10.0, eprop_isi_trace_cutoff: cutoff, flush_event_send_interval: flushInterval };
  const gens = sim.create("spike_generator", nIn);
  const inputs = sim.create("parrot_neuron", nIn, { flush_event_send_interval: flushInterval });
  const nrns = sim.create("eprop_iaf", nRec, rec);
  const out = sim.create("eprop_readout", 1, { C_m: 1.0, E_L: 0.0, tau_m: 30.0, eprop_isi_trace_cutoff: cutoff });
  const window = sim.create("step_rate_generator", 1, { amplitude_times: [2.0], amplitude_values: [1.0] });
  const target = sim.create("step_rate_generator", 1, { amplitude_times: [2.0], amplitude_values: [0.5] });
  sim.setDefaults("eprop_synapse", { optimizer: { type: "gradient_descent", eta: 1e-5, optimize_each_step: false } });
  const w = (n, m, s) => Array.from(rs.randn(n * m), (x) => (x * s) / Math.sqrt(m));
  sim.connect(gens, inputs, "one_to_one", { delay: 1.0 });
  sim.connect(inputs, nrns, { rule: "all_to_all" }, { synapse_model: "eprop_synapse", delay: 1.0, weight: w(nRec, nIn, 0.06) });
  sim.connect(nrns, nrns, { rule: "all_to_all", allow_autapses: false }, { synapse_model: "eprop_synapse", delay: 1.0, weight: w(nRec, nRec, 0.01) });
  sim.connect(nrns, out, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0, weight: w(1, nRec, 0.01) });
  sim.connect(out, nrns, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 1.0, weight: w(nRec, 1, 0.1) });
  sim.connect(window, out, "all_to_all", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 1 });
  sim.connect(target, out, "all_to_all", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 2 });
  const sr = sim.create("spike_recorder");
  sim.connect(nrns, sr, "all_to_all", { delay: 1.0 });
  // 10 % input spike probability per step while active
  const r = rs.rand(activeSteps, nIn);
  gens.set(Array.from({ length: nIn }, (_, j) => ({ spike_times: Array.from({ length: activeSteps }, (_, s) => s + 1).filter((s) => r[(s - 1) * nIn + j] < 0.1) })));
  const series = [];
  const chunk = Math.round(steps / checkpoints);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let done = 0; done < steps; done += chunk) {
    sim.simulate(Math.min(chunk, steps - done));
    const f = sim.eprop.historyFootprint();
    series.push({ step: done + chunk, entriesPerNeuron: f.entries / f.neurons, maxEntries: f.maxEntries, historyBytes: f.bytes, rssMB: rssMB() });
  }
  const stores = sim.eprop.synapseStores().get("eprop_synapse");
  return {
    flushInterval,
    cutoff,
    steps,
    neurons: nRec + 1,
    recurrentSpikes: sr.get("n_events")[0] ?? sr.get("n_events"),
    flushDeliveries: stores.flushEvents,
    cpuSeconds: cpuSeconds(process.cpuUsage(c0)),
    wallSeconds: (performance.now() - t0) / 1000,
    series,
  };
}

/**
 * Work per iteration vs input spike rate and vs network size at 10 % connectivity: CPU time, events
 * handled by e-prop synapses, and history entries replayed. Event-driven e-prop costs ∝ events.
 */
function scalingPoint({ nIn, nRec, rate, steps = 1000, p = 0.1 }) {
  const sim = new Simulator({ resolution: 1.0, progress: false, seed: 7 });
  const rs = new RandomState(3);
  const rec = { C_m: 1.0, E_L: 0.0, V_m: 0.0, V_th: 0.03, tau_m: 30.0, t_ref: 0.0, c_reg: 0.3, f_target: 10.0, eprop_isi_trace_cutoff: 100.0, flush_event_send_interval: 1000.0 };
  const gens = sim.create("spike_generator", nIn);
  const inputs = sim.create("parrot_neuron", nIn);
  const nrns = sim.create("eprop_iaf", nRec, rec);
  const out = sim.create("eprop_readout", 1, { C_m: 1.0, E_L: 0.0, tau_m: 30.0, eprop_isi_trace_cutoff: 100.0 });
  const window = sim.create("step_rate_generator", 1, { amplitude_times: [2.0], amplitude_values: [1.0] });
  sim.setDefaults("eprop_synapse", { optimizer: { type: "gradient_descent", eta: 1e-7, optimize_each_step: false } });
  sim.connect(gens, inputs, "one_to_one", { delay: 1.0 });
  const scaleIn = 0.03 / Math.sqrt(p * nIn);
  const scaleRec = 0.03 / Math.sqrt(p * nRec);
  sim.connect(inputs, nrns, { rule: "pairwise_bernoulli", p }, { synapse_model: "eprop_synapse", delay: 1.0, weight: { distribution: "normal", mu: 0.0, sigma: scaleIn * 1.5 } });
  sim.connect(nrns, nrns, { rule: "pairwise_bernoulli", p, allow_autapses: false }, { synapse_model: "eprop_synapse", delay: 1.0, weight: { distribution: "normal", mu: 0.0, sigma: scaleRec } });
  sim.connect(nrns, out, "all_to_all", { synapse_model: "eprop_synapse", delay: 1.0, weight: 0.001 });
  sim.connect(out, nrns, "all_to_all", { synapse_model: "eprop_learning_signal_connection", delay: 1.0, weight: 0.1 });
  sim.connect(window, out, "all_to_all", { synapse_model: "rate_connection_delayed", delay: 1.0, receptor_type: 1 });
  const r = rs.rand(steps, nIn);
  gens.set(Array.from({ length: nIn }, (_, j) => ({ spike_times: Array.from({ length: steps }, (_, s) => s + 1).filter((s) => r[(s - 1) * nIn + j] < rate) })));
  const synapses = sim.getStatus().num_connections;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  sim.simulate(steps + 3);
  const cpu = cpuSeconds(process.cpuUsage(c0));
  const s = sim.eprop.synapseStores().get("eprop_synapse");
  return {
    nIn,
    nRec,
    inputRatePerStep: rate,
    synapses,
    events: s.events,
    replayedEntries: s.replayedEntries,
    cpuSeconds: cpu,
    wallSeconds: (performance.now() - t0) / 1000,
    nsPerEvent: (cpu * 1e9) / s.events,
    nsPerReplayedEntry: (cpu * 1e9) / s.replayedEntries,
  };
}

function scaling() {
  // warm-up (JIT) so the first point is not penalized
  scalingPoint({ nIn: 100, nRec: 100, rate: 0.05, steps: 300 });
  const byRate = [0.01, 0.02, 0.05, 0.1, 0.2].map((rate) => scalingPoint({ nIn: 200, nRec: 200, rate }));
  const bySize = [100, 200, 400, 800, 1600].map((n) => scalingPoint({ nIn: n, nRec: n, rate: 0.05 }));
  return { byRate, bySize };
}

function print(title, rows, cols) {
  console.log(`\n${title}`);
  console.log(cols.join("\t"));
  for (const r of rows) console.log(cols.map((c) => (typeof r[c] === "number" ? (Number.isInteger(r[c]) ? r[c] : r[c].toPrecision(4)) : r[c])).join("\t"));
}

const results = {};
if (which === "memory" || which === "all") {
  const steps = Number(opt("steps", "1000000"));
  results.memory = [
    memory({ steps, flushInterval: Infinity, cutoff: Infinity }),
    memory({ steps, flushInterval: 1000.0, cutoff: Infinity }),
    memory({ steps, flushInterval: 100.0, cutoff: Infinity }),
    memory({ steps, flushInterval: Infinity, cutoff: 100.0 }),
  ];
  if (!json) {
    for (const m of results.memory) {
      print(`memory: flush ${m.flushInterval} ms, cutoff ${m.cutoff} ms (${m.steps} steps, ${m.neurons} e-prop neurons, ${m.recurrentSpikes} spikes, ${m.flushDeliveries} flush deliveries, ${m.cpuSeconds.toFixed(1)} s CPU)`, m.series, ["step", "entriesPerNeuron", "maxEntries", "historyBytes", "rssMB"]);
    }
  }
}
if (which === "scaling" || which === "all") {
  results.scaling = scaling();
  if (!json) {
    const cols = ["nIn", "nRec", "inputRatePerStep", "synapses", "events", "replayedEntries", "cpuSeconds", "nsPerEvent", "nsPerReplayedEntry"];
    print("scaling vs input spike rate (200 in, 200 rec, 10 % connectivity, 1000 steps)", results.scaling.byRate, cols);
    print("scaling vs network size (N in, N rec, 10 % connectivity, rate 0.05/step, 1000 steps)", results.scaling.bySize, cols);
  }
}
if (which === "sine" || which === "all") {
  const nIter = Number(opt("iterations", "200"));
  const c0 = process.cpuUsage();
  const r = runSineWaveTask({ nIter, progress: process.stderr.isTTY ? true : "auto" });
  results.sine = { iterations: nIter, simulateSeconds: r.simulateSeconds, cpuSeconds: cpuSeconds(process.cpuUsage(c0)), lossFirst: r.loss[0], lossLast: r.loss[r.loss.length - 1], lossMin: Math.min(...r.loss), recurrentSpikes: r.recurrentSpikes, nestSeconds: "151-155", ratioToNest: r.simulateSeconds / 153 };
  if (!json) console.log("\nsine-wave task", JSON.stringify(results.sine));
}
if (json) console.log(JSON.stringify(results));
