#!/usr/bin/env node
// `npm run bench`: builds the library (tsc → dist/), runs NEST's brunel_delta_nest network and the
// Brette 2007 CUBA network in Spikelab (one process each, best of --reps), the Brian2 replicas
// (Debian python3-brian, cpp_standalone, one thread) when importable, prints the figures side by
// side and writes bench/RESULTS.md. Other areas' benchmarks (scripts/bench-*.mjs with a `main`
// export) run afterwards.
//   node scripts/bench.mjs [--quick] [--reps N] [--no-brian] [--only brunel|cuba]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const noBrian = args.includes("--no-brian");
const reps = Number(args[args.indexOf("--reps") + 1]) || (quick ? 1 : 2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

function log(msg) {
  process.stderr.write(msg + "\n");
}

log("building (tsc) ...");
try {
  // By path: tslab's TypeScript 5.0 fork can own node_modules/.bin/tsc.
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { cwd: root, stdio: "ignore" });
} catch {
  // Type errors elsewhere still emit JavaScript; only a missing runtime build is fatal.
}
if (!existsSync(`${root}/dist/runtime/index.js`)) {
  log("dist/runtime/index.js is missing: the build failed");
  process.exit(1);
}

function runNode(which, options) {
  const r = spawnSync(process.execPath, [`${root}/scripts/bench-networks.mjs`, which, JSON.stringify(options)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`${which} failed:\n${r.stderr}`);
  return JSON.parse(line.slice(7));
}

function best(which, options) {
  let bestResult = null;
  for (let i = 0; i < reps; i++) {
    const r = runNode(which, options);
    log(`  ${which} run ${i + 1}: simulate ${r.simulate_s.toFixed(2)} s`);
    if (bestResult === null || r.simulate_s < bestResult.simulate_s) bestResult = r;
  }
  return bestResult;
}

function brianAvailable() {
  if (noBrian) return false;
  const r = spawnSync("/usr/bin/python3", ["-c", "import brian2"], { encoding: "utf8" });
  return r.status === 0;
}

function runBrian(argv) {
  const r = spawnSync("/usr/bin/python3", [`${root}/bench/brian2_brunel.py`, ...argv], {
    cwd: `${root}/bench`,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) {
    log(`Brian2 failed:\n${(r.stderr ?? "").slice(-2000)}`);
    return null;
  }
  return JSON.parse(line.slice(7));
}

const brunelOptions = quick ? { order: 500, simtime: 1000 } : { order: 2500, simtime: 1000 };
const cubaOptions = quick ? { simtime: 2000 } : { simtime: 10000 };
const haveBrian = brianAvailable();
// Brian2's figures do not depend on Spikelab's code: keep the last ones, reuse them with --no-brian.
const brianCacheFile = `${root}/bench/brian2-last.json`;
const brianCache = existsSync(brianCacheFile) ? JSON.parse(readFileSync(brianCacheFile, "utf8")) : {};
const results = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, load: loadavg()[0] };

if (only !== "cuba") {
  log(`brunel_delta_nest (order ${brunelOptions.order}), ${reps} run(s) ...`);
  results.brunel = best("brunel", brunelOptions);
  if (haveBrian) {
    log("Brian2 replica (cpp_standalone, 1 thread; compiles first) ...");
    results.brian_brunel = runBrian([String(brunelOptions.order), String(brunelOptions.simtime), "brunel"]);
    if (results.brian_brunel) brianCache[`brunel-${brunelOptions.order}`] = { ...results.brian_brunel, measured: results.date };
  } else if (brianCache[`brunel-${brunelOptions.order}`]) {
    results.brian_brunel = brianCache[`brunel-${brunelOptions.order}`];
  }
}
if (only !== "brunel") {
  log(`Brette CUBA (${cubaOptions.simtime / 1000} s), ${reps} run(s) ...`);
  results.cuba = best("cuba", cubaOptions);
  if (haveBrian) {
    log("Brian2 CUBA (cpp_standalone) ...");
    results.brian_cuba = runBrian(["0", String(cubaOptions.simtime), "cuba"]);
    if (results.brian_cuba) brianCache[`cuba-${cubaOptions.simtime}`] = { ...results.brian_cuba, measured: results.date };
  } else if (brianCache[`cuba-${cubaOptions.simtime}`]) {
    results.brian_cuba = brianCache[`cuba-${cubaOptions.simtime}`];
  }
}

if (haveBrian) writeFileSync(brianCacheFile, JSON.stringify(brianCache, null, 2) + "\n");
const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? "—" : Number(x).toFixed(d));
const e = (x) => (x === undefined || x === null || Number.isNaN(x) ? "—" : Number(x).toExponential(2));
const lines = [];
lines.push(`# Benchmark results`, ``);
lines.push(`Measured ${results.date} with \`npm run bench${args.length ? " " + args.join(" ") : ""}\` on ${results.cpus} × ${results.cpu}, Node ${results.node}, load average ${f(results.load, 1)} at start. The machine is shared by several jobs, so processes get a fraction of a core: CPU times (process time for Spikelab; Brian2's own \`_last_run_time\`, which is \`std::clock\` CPU time around the network run in its binary) are the figures to compare; Spikelab's wall times depend on the load.`, ``);
if (results.brunel) {
  const b = results.brunel;
  const br = results.brian_brunel;
  lines.push(`## NEST brunel_delta_nest (${b.neurons} neurons, ${b.synapses.toLocaleString("en")} synapses, 1 s at dt 0.1 ms, 20 kHz Poisson drive per neuron)`, ``);
  lines.push(`| | Spikelab | Brian2 ${br ? "2.5.1 cpp_standalone, 1 thread" : "(not run)"} |`, `|---|---|---|`);
  lines.push(`| build (s) | ${f(b.build_s)} (CPU ${f(b.build_cpu_s)}) | ${br ? f(br.build_python_s) + " + compile/run " + f(br.compile_and_run_s) : "—"} |`);
  lines.push(`| simulation, wall (s) | ${f(b.simulate_s)} | — |`);
  lines.push(`| simulation, CPU (s) | **${f(b.cpu_s)}** | ${br ? "**" + f(br.cpu_s ?? br.simulate_s) + "**" : "—"} |`);
  lines.push(`| real-time factor (CPU) | ${f(b.cpu_s / (b.rtf ? b.simulate_s / b.rtf : 1))} | ${br && br.cpu_s ? f(br.cpu_s / (br.sim_ms / 1000)) : "—"} |`);
  lines.push(`| rates E / I (Hz) | ${f(b.rate_e)} / ${f(b.rate_i)} | ${br ? f(br.rate_e) + " / " + f(br.rate_i) : "—"} |`);
  lines.push(`| spikes | ${b.spikes} | ${br ? br.spikes : "—"} |`);
  lines.push(`| delivered synaptic events per CPU second (whole simulation) | ${e(b.events / b.cpu_s)} | ${br && br.cpu_s ? e(br.events / br.cpu_s) : "—"} |`);
  lines.push(`| delivery phase alone, CPU time (events / s) | ${e(b.delivery_events_per_s)} | — |`);
  lines.push(`| bytes per synapse (connectivity) | ${f(b.bytes_per_synapse)} | — |`);
  lines.push(`| peak RSS (MB) | ${f(b.peak_rss_mb, 0)} | — |`);
  if (br) {
    lines.push(``, `Ratio Spikelab / Brian2 simulation time: **${f(b.cpu_s / (br.cpu_s ?? br.simulate_s))}** in CPU time (goal ≤ 0.5).${br.measured && br.measured !== results.date ? ` Brian2 figures from its run at ${br.measured}.` : ""}`);
  }
  lines.push(``, `Spikelab phases (CPU s): ${Object.entries(b.phases_s).map(([k, v]) => `${k} ${f(v)}`).join(", ")}.`, ``);
}
if (results.cuba) {
  const c = results.cuba;
  const bc = results.brian_cuba;
  lines.push(`## Brette et al. 2007 CUBA (4000 neurons, ${c.synapses.toLocaleString("en")} synapses, ${c.rtf ? f(c.simulate_s / c.rtf, 0) : "?"} s)`, ``);
  lines.push(`| | Spikelab | Brian2 cpp_standalone |`, `|---|---|---|`);
  lines.push(`| simulation, wall (s) | ${f(c.simulate_s)} | — |`);
  lines.push(`| simulation, CPU (s) | **${f(c.cpu_s)}** | ${bc ? "**" + f(bc.cpu_s ?? bc.simulate_s) + "**" : "—"} |`);
  lines.push(`| rate (Hz) | ${f(c.rate)} | ${bc ? f(bc.rate) : "—"} |`);
  lines.push(`| build (s) | ${f(c.build_s)} | — |`, ``);
  if (bc) lines.push(`Ratio Spikelab / Brian2 simulation time: **${f(c.cpu_s / (bc.cpu_s ?? bc.simulate_s))}** in CPU time.${bc.measured && bc.measured !== results.date ? ` Brian2 figures from its run at ${bc.measured}.` : ""}`, ``);
  lines.push(`Spikelab phases (CPU s): ${Object.entries(c.phases_s).map(([k, v]) => `${k} ${f(v)}`).join(", ")}.`, ``);
}
lines.push(`Raw figures:`, "", "```json", JSON.stringify(results, null, 2), "```", "");
const md = lines.join("\n");
if (!quick && !only) writeFileSync(`${root}/bench/RESULTS.md`, md);
console.log(md);

// Other areas' benchmarks (e.g. the e-prop memory benchmark) live next to this script.
for (const file of readdirSync(`${root}/scripts`).filter((f) => /^bench-.+\.mjs$/.test(f) && f !== "bench-networks.mjs").sort()) {
  log(`running scripts/${file} ...`);
  spawnSync(process.execPath, [`${root}/scripts/${file}`], { cwd: root, stdio: "inherit" });
}
