// Benchmark (not a test): parse + semantic check of a 150-line model after warm-up. Target < 5 ms.
//   npm run build && node scripts/bench-check.mjs [iterations]
// Prints the model size, then median wall and CPU time of parse, check and parse+check (CPU time is
// the figure to judge on a shared machine, where wall time mostly measures the other jobs).
import { performance } from "node:perf_hooks";

const dist = new URL("../dist/language/index.js", import.meta.url);
let lang;
try {
  lang = await import(dist.href);
} catch (e) {
  console.error(`cannot load ${dist.pathname}: run 'npm run build' first (${e.message})`);
  process.exit(2);
}
const { parse, check, parseModels } = lang;

/** A realistic 150-line neuron: conductance-based, adaptive, with kernels, functions and handlers. */
function model150() {
  const L = [];
  L.push("# Benchmark model: adaptive conductance-based neuron with several synapse types.");
  L.push("model bench_neuron:");
  L.push("    parameters:");
  L.push("        C_m pF = 281 pF", "        g_L nS = 30 nS", "        E_L mV = -70.6 mV", "        V_th mV = -50.4 mV");
  L.push("        Delta_T mV = 2 mV", "        tau_w ms = 144 ms", "        a nS = 4 nS", "        b pA = 80.5 pA");
  L.push("        V_reset mV = -60 mV", "        refr_T ms = 2 ms", "        I_e pA = 0 pA", "        V_peak mV = 0 mV");
  for (let i = 0; i < 8; i++) {
    L.push(`        E_syn_${i} mV = ${i % 2 ? -85 : 0} mV`, `        tau_syn_${i} ms = ${1 + i} ms`, `        g_peak_${i} nS = ${1 + i / 10} nS`);
  }
  L.push("    state:");
  L.push("        V_m mV = E_L", "        w pA = 0 pA", "        refr_t ms = 0 ms", "        V_m_old mV = E_L");
  for (let i = 0; i < 8; i++) L.push(`        g_${i} nS = 0 nS`);
  L.push("    internals:");
  L.push("        h_exp real = exp(-1)", "        g_tot_max nS = g_peak_0 + g_peak_1 + g_peak_2 + g_peak_3");
  L.push("    equations:");
  for (let i = 0; i < 8; i++) L.push(`        g_${i}' = -g_${i} / tau_syn_${i}`);
  L.push("        kernel K_exc = (e / tau_syn_0) * t * exp(-t / tau_syn_0)");
  L.push("        kernel K_inh = exp(-t / tau_syn_1)");
  const syn = Array.from({ length: 8 }, (_, i) => `g_${i} * (V_m - E_syn_${i})`).join(" + ");
  L.push(`        inline I_syn pA = ${syn}`);
  L.push("        inline I_k pA = 1 pA * (convolve(K_exc, exc_spikes) - convolve(K_inh, inh_spikes))");
  L.push("        inline V_bounded mV = min(V_m, V_peak)");
  L.push("        inline I_spike pA = g_L * Delta_T * exp((V_bounded - V_th) / Delta_T)");
  L.push("        V_m' = (-g_L * (V_bounded - E_L) + I_spike - I_syn - w + I_e + I_stim + I_k) / C_m");
  L.push("        w' = (a * (V_bounded - E_L) - w) / tau_w");
  L.push("        refr_t' = -1e3 * ms / s");
  L.push("    input:");
  L.push("        exc_spikes <- excitatory spike", "        inh_spikes <- inhibitory spike");
  for (let i = 0; i < 8; i++) L.push(`        syn_${i} nS <- spike`);
  L.push("        I_stim pA <- continuous");
  L.push("    output:", "        spike");
  L.push("    function clamp_v(v mV, lo mV, hi mV) mV:");
  L.push("        if v < lo:", "            return lo", "        elif v > hi:", "            return hi", "        return v");
  L.push("    function rate_of(x ms) 1/ms:", "        y 1/ms = 1 / x", "        return y");
  L.push("    update:");
  L.push("        V_m_old = V_m");
  L.push("        if refr_t > 0 ms:", "            integrate_odes(w, refr_t)", "        else:", "            integrate_odes(V_m, w)");
  for (let i = 0; i < 8; i++) L.push(`        g_${i} += syn_${i}`);
  L.push("        V_m = clamp_v(V_m, -120 mV, V_peak)");
  L.push("        for i in 0 ... 4:", "            V_m += 0 mV * rate_of(tau_w) * timestep()");
  L.push("    onReceive(exc_spikes, priority=2):", "        V_m += 0 mV", "    onReceive(inh_spikes, priority=1):", "        V_m -= 0 mV");
  for (let i = 0; i < 8; i++) L.push(`    onReceive(syn_${i}, priority=${10 + i}):`, `        g_${i} += 0 nS`);
  L.push("    onCondition(refr_t <= 0 ms and V_m >= V_peak):");
  L.push("        refr_t = refr_T", "        V_m = V_reset", "        w += b", "        emit_spike()");
  while (L.length < 150) L.push(`    # padding comment ${L.length}`);
  return L.join("\n") + "\n";
}

const source = model150();
const lines = source.split("\n").length - 1;
const first = parseModels(source, "bench.spk");
const errors = first.diagnostics.filter((d) => d.severity === "error");
if (errors.length) {
  console.error("benchmark model has errors:", errors.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`));
  process.exit(1);
}

/** Median wall and CPU time per call; CPU time is what counts on a shared, loaded machine. */
function time(label, fn, n) {
  const wall = new Float64Array(n);
  const cpu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i] = (c.user + c.system) / 1000;
  }
  wall.sort();
  cpu.sort();
  const med = (a) => a[a.length >> 1];
  const p95 = (a) => a[Math.floor(a.length * 0.95)];
  console.log(`${label.padEnd(12)} wall median ${med(wall).toFixed(3)} ms (p95 ${p95(wall).toFixed(3)})   CPU median ${med(cpu).toFixed(3)} ms (p95 ${p95(cpu).toFixed(3)})`);
  return med(cpu);
}

const iterations = Number(process.argv[2] ?? 300);
for (let i = 0; i < 100; i++) parseModels(source, "bench.spk"); // warm-up
const parsed = parse(source, "bench.spk");
console.log(`model: ${lines} lines, ${source.length} chars, ${first.diagnostics.length} warnings; ${iterations} iterations after warm-up`);
time("parse", () => parse(source, "bench.spk"), iterations);
time("check", () => check(parsed.file, { source }), iterations);
const total = time("parse+check", () => parseModels(source, "bench.spk"), iterations);
const [load1] = (await import("node:os")).loadavg();
console.log(`load average ${load1.toFixed(1)}; ` + (total < 5 ? `OK: ${total.toFixed(2)} ms CPU < 5 ms target` : `SLOW: ${total.toFixed(2)} ms CPU >= 5 ms target`));
