#!/usr/bin/env node
// Compile-time benchmark of the model compiler (goal: < 20 ms per model, parse + check + compile).
// Usage: npm run build && node scripts/bench-compile.mjs [runs]
// Prints, per bundled model, the minimum and median wall time of parseModels + compileModel, and of
// compileModel alone (code generation + `new Function`), after warm-up.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let lang;
try {
  lang = await import(path.join(root, "dist/language/index.js"));
} catch (e) {
  console.error(`bench-compile: build first (npm run build): ${e.message}`);
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 50);
const dir = path.join(root, "runtime/models");
const files = readdirSync(dir).filter((f) => f.endsWith(".spk")).sort();
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};
console.log(`model compile times over ${runs} runs (ms)`);
console.log("model                        total min  total median  compile min  compile median");
for (const f of files) {
  const src = readFileSync(path.join(dir, f), "utf8");
  for (let k = 0; k < 5; k++) lang.compileModels(src, f);
  const total = [];
  const compile = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const parsed = lang.parseModels(src, f);
    const t1 = performance.now();
    for (const m of parsed.file.models) lang.compileModel(m, { source: parsed.source, fileName: f });
    const t2 = performance.now();
    total.push(t2 - t0);
    compile.push(t2 - t1);
  }
  const a = stats(total);
  const b = stats(compile);
  console.log(`${f.padEnd(28)} ${a.min.toFixed(2).padStart(9)}  ${a.median.toFixed(2).padStart(12)}  ${b.min.toFixed(2).padStart(11)}  ${b.median.toFixed(2).padStart(14)}`);
}
