// One benchmark network per process (so peak RSS is per network). Run by scripts/bench.mjs:
//   node scripts/bench-networks.mjs brunel|cuba [options as JSON]
// Prints one line "RESULT {json}".
import { performance } from "node:perf_hooks";

const which = process.argv[2] ?? "brunel";
const options = JSON.parse(process.argv[3] ?? "{}");
const { Simulator, Xoshiro128 } = await import(new URL("../dist/runtime/index.js", import.meta.url).href);

function rss() {
  return process.resourceUsage().maxRSS * 1024;
}

/** NEST's pynest/examples/brunel_delta_nest.py, line by line. */
function brunel({ order = 2500, simtime = 1000, seed = 1234, progress = false } = {}) {
  const dt = 0.1;
  const delay = 1.5;
  const g = 5.0;
  const eta = 2.0;
  const epsilon = 0.1;
  const NE = 4 * order;
  const NI = order;
  const N_rec = 50;
  const CE = Math.round(epsilon * NE);
  const CI = Math.round(epsilon * NI);
  const tauMem = 20.0;
  const theta = 20.0;
  const J = 0.1;
  const J_ex = J;
  const J_in = -g * J_ex;
  const nu_th = theta / (J * CE * tauMem);
  const nu_ex = eta * nu_th;
  const p_rate = 1000.0 * nu_ex * CE;
  const neuron_params = { C_m: 1.0, tau_m: tauMem, t_ref: 2.0, E_L: 0.0, V_reset: 0.0, V_m: 0.0, V_th: theta };

  const rssBefore = rss();
  const buildCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sim = new Simulator({ resolution: dt, seed, progress });
  sim.setDefaults("iaf_psc_delta", neuron_params);
  const nodes_ex = sim.create("iaf_psc_delta", NE);
  const nodes_in = sim.create("iaf_psc_delta", NI);
  const noise = sim.create("poisson_generator", 1, { rate: p_rate });
  const espikes = sim.create("spike_recorder");
  const ispikes = sim.create("spike_recorder");
  const allspikes = sim.create("spike_recorder");
  sim.copyModel("static_synapse", "excitatory", { weight: J_ex, delay });
  sim.copyModel("static_synapse", "inhibitory", { weight: J_in, delay });
  const all = nodes_ex.concat(nodes_in);
  sim.connect(noise, all, "all_to_all", "excitatory");
  sim.connect(nodes_ex.slice(0, N_rec), espikes, "all_to_all", "excitatory");
  sim.connect(nodes_in.slice(0, N_rec), ispikes, "all_to_all", "excitatory");
  sim.connect(all, allspikes, "all_to_all", "excitatory");
  sim.connect(nodes_ex, all, { rule: "fixed_indegree", indegree: CE }, "excitatory");
  sim.connect(nodes_in, all, { rule: "fixed_indegree", indegree: CI }, "inhibitory");
  sim.prepare();
  const buildTime = (performance.now() - t0) / 1000;
  const buildCpu = process.cpuUsage(buildCpu0);
  const status = sim.getStatus();

  sim.kernel.timing = new Map();
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  sim.simulate(simtime);
  const simTime = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);

  const ev = allspikes.get("events");
  let ne = 0;
  let ni = 0;
  const firstI = nodes_in.ids[0];
  for (const s of ev.senders) if (s < firstI) ne++; else ni++;
  const rec_e = espikes.get("n_events")[0];
  const rec_i = ispikes.get("n_events")[0];
  const N = NE + NI;
  const events = ne * ((N * CE) / NE) + ni * ((N * CI) / NI);
  const phases = Object.fromEntries([...sim.kernel.timing].map(([k, v]) => [k, v / 1000]));
  const deliverS = phases.deliver ?? NaN;
  return {
    network: "brunel_delta_nest",
    phases_s: phases,
    delivery_events_per_s: events / deliverS,
    order,
    neurons: N,
    synapses: status.num_connections,
    build_s: buildTime,
    build_cpu_s: (buildCpu.user + buildCpu.system) / 1e6,
    simulate_s: simTime,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    rtf: simTime / (simtime / 1000),
    rate_e: ne / NE / (simtime / 1000),
    rate_i: ni / NI / (simtime / 1000),
    rate_e_recorded: rec_e / N_rec / (simtime / 1000),
    rate_i_recorded: rec_i / N_rec / (simtime / 1000),
    spikes: ne + ni,
    events,
    events_per_s: events / simTime,
    bytes_per_synapse: status.connection_bytes / status.num_connections,
    peak_rss_mb: rss() / 2 ** 20,
    rss_before_mb: rssBefore / 2 ** 20,
  };
}

/**
 * The Brette et al. 2007 CUBA network in Brian's parametrisation (examples/CUBA.py, as the Brian2
 * replica in bench/brian2_brunel.py): 3200 E + 800 I, p = 0.02, exponential currents (5/10 ms),
 * V_th −50, V_reset −60, E_L −49, t_ref 5 ms, random initial V, 10 s. Brian's voltage jumps
 * (1.62 mV, −9 mV) are PSC amplitudes C_m·ΔV/τ_m in NEST units; the minimal delay is one step.
 */
function cuba({ simtime = 10000, seed = 1, progress = false } = {}) {
  const t0 = performance.now();
  const sim = new Simulator({ resolution: 0.1, seed, progress });
  const C = 250;
  const taum = 20;
  const params = { C_m: C, tau_m: taum, tau_syn_ex: 5, tau_syn_in: 10, t_ref: 5, E_L: -49, V_reset: -60, V_th: -50 };
  const P = sim.create("iaf_psc_exp", 4000, params);
  const rng = new Xoshiro128(seed, "cuba-init");
  P.set({ V_m: Float64Array.from({ length: 4000 }, () => -60 + rng.uniform() * 10) });
  const E = P.slice(0, 3200);
  const I = P.slice(3200);
  sim.connect(E, P, { rule: "pairwise_bernoulli", p: 0.02 }, { weight: (1.62 * C) / taum, delay: 0.1 });
  sim.connect(I, P, { rule: "pairwise_bernoulli", p: 0.02 }, { weight: (-9 * C) / taum, delay: 0.1 });
  const sr = sim.create("spike_recorder");
  sim.connect(P, sr);
  sim.prepare();
  const buildTime = (performance.now() - t0) / 1000;
  sim.kernel.timing = new Map();
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  sim.simulate(simtime);
  const simTime = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const n = sr.get("n_events")[0];
  return {
    network: "brette2007_cuba",
    phases_s: Object.fromEntries([...sim.kernel.timing].map(([k, v]) => [k, v / 1000])),
    cpu_s: (cpu.user + cpu.system) / 1e6,
    neurons: 4000,
    synapses: sim.getStatus().num_connections,
    build_s: buildTime,
    simulate_s: simTime,
    rtf: simTime / (simtime / 1000),
    rate: n / 4000 / (simtime / 1000),
    spikes: n,
    peak_rss_mb: rss() / 2 ** 20,
  };
}

const result = which === "cuba" ? cuba(options) : brunel(options);
console.log("RESULT " + JSON.stringify(result));
