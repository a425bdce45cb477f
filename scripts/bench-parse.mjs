#!/usr/bin/env node
// Benchmark (not a test) of the front end: parse time of a ~150-line model after warm-up
// (target: well under 5 ms), split into scanning and parsing, plus parse+check when the checker
// is available. Also reports the one-time cost of building the Chevrotain parser.
//   npm run build && node scripts/bench-parse.mjs [iterations]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";

const root = new URL("../", import.meta.url);
async function load(rel) {
  try {
    return await import(new URL(rel, root).href);
  } catch (e) {
    console.error(`bench-parse: cannot load ${rel}: run 'npm run build' first (${e.message})`);
    process.exit(2);
  }
}

const t0 = performance.now();
const lang = await load("dist/language/index.js");
const { scan } = await load("dist/language/scanner/scan.js");
const { parse, parseModels } = lang;
// First parse builds the parser (grammar recording + lookahead analysis), once per process.
parse("model warmup:\n    state:\n        x real = 0\n", "warmup.spk");
const setupMs = performance.now() - t0;

// A realistic model from the test fixtures, grown to ~150 lines with more parameters and gating ODEs.
const base = readFileSync(new URL("test/language/fixtures/nestml-like/hh_gating.spk", root), "utf8").split("\n");
// Every added line is valid (declared states, existing functions), so "parse + check" times checking a
// model, not reporting errors about it.
const extraParams = [];
const extraState = [];
const extraOdes = [];
for (let i = 0; base.length + extraParams.length + extraState.length + extraOdes.length < 150; i++) {
  extraParams.push(`        tau_x${i} ms = ${1 + i} ms [[tau_x${i} > 0 ms]]`);
  extraState.push(`        x${i} real = 0`);
  extraOdes.push(`        x${i}' = (1 / (1 + exp(-(V_m + ${i} mV) / 5 mV)) - x${i}) / tau_x${i}`);
}
const lines = [];
for (const line of base) {
  lines.push(line);
  if (line.startsWith("    parameters:")) lines.push(...extraParams);
  if (line.startsWith("    state:")) lines.push(...extraState);
  if (line.startsWith("    equations:")) lines.push(...extraOdes);
}
const source = lines.join("\n");
const lineCount = source.split("\n").length;

const iterations = Number(process.argv[2] ?? 2000);
// Wall-clock percentiles, plus mean CPU time of this process (robust when other jobs share the cores).
function time(fn) {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  const samples = new Float64Array(iterations);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const s = performance.now();
    fn();
    samples[i] = performance.now() - s;
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort();
  return {
    median: samples[iterations >> 1],
    p95: samples[Math.floor(iterations * 0.95)],
    min: samples[0],
    cpu: (cpu.user + cpu.system) / 1000 / iterations,
  };
}

const first = parse(source, "bench.spk");
if (first.diagnostics.length > 0) {
  console.error("bench model has syntax errors:", first.diagnostics.map((d) => d.message));
  process.exit(1);
}
const fmt = (r) =>
  `median ${r.median.toFixed(3)} ms, p95 ${r.p95.toFixed(3)} ms, min ${r.min.toFixed(3)} ms, mean CPU ${r.cpu.toFixed(3)} ms`;
console.log(`model: ${lineCount} lines, ${source.length} chars, ${first.file.models[0].blocks.length} blocks`);
console.log(`parser construction (once per process): ${setupMs.toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)}`);
console.log(`scan only:      ${fmt(time(() => scan(source, "bench.spk")))}`);
console.log(`parse:          ${fmt(time(() => parse(source, "bench.spk")))}`);
const errors = parseModels(source, "bench.spk").diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) {
  console.error("bench model has check errors:", errors.map((d) => `${d.code}: ${d.message}`));
  process.exit(1);
}
console.log(`parse + check:  ${fmt(time(() => parseModels(source, "bench.spk")))}`);
