/**
 * Seeded mutation fuzzing of the front end + checker: valid fixtures and bundled models are mutated
 * (tokens and lines deleted, duplicated, swapped; random characters inserted; truncated) and each
 * mutant must parse and check without throwing, quickly, with every diagnostic located inside the
 * source (and its line/column agreeing with its offset).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModels } from "../../language/check.js";
import { positionAt } from "../../language/diagnostics.js";

const repo = join(import.meta.dirname, "..", "..");
const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Per-mutant bound; generous because the box is shared, far below what a hang would take. */
const PER_MUTANT_MS = 200;

/** mulberry32: tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(): string[] {
  const dirs = [join(repo, "test", "fixtures", "valid"), join(repo, "runtime", "models")];
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith(".spk")) out.push(readFileSync(join(d, f), "utf8"));
  }
  return out;
}

const INSERTS = ["(", ")", "[", "]", "[[", "]]", ":", "'", '"', "\t", "    ", "\n", "=", "+=", "**", "/", "-", "@", "#", "\\", ",", "...", "?", "<-", "$", "é", "\u00a0", "\u0000", "1e", "0x", " mV", " 1/ms", "not ", "and ", "inf", "model ", "eprop:", "flush:"];

type Mutation = (src: string, rnd: () => number) => string;

const pick = <T,>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;

function tokens(src: string): string[] {
  return src.match(/[A-Za-z_$][A-Za-z0-9_$]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\n|[ \t]+|\*\*|<-|\[\[|\]\]|\.\.\.|[+\-*/]=|[=!<>]=|./g) ?? [];
}

const mutations: Record<string, Mutation> = {
  deleteToken: (s, r) => {
    const t = tokens(s);
    t.splice(Math.floor(r() * t.length), 1);
    return t.join("");
  },
  duplicateToken: (s, r) => {
    const t = tokens(s);
    const i = Math.floor(r() * t.length);
    t.splice(i, 0, t[i] ?? "");
    return t.join("");
  },
  swapTokens: (s, r) => {
    const t = tokens(s);
    const i = Math.floor(r() * t.length);
    const j = Math.floor(r() * t.length);
    [t[i], t[j]] = [t[j]!, t[i]!];
    return t.join("");
  },
  deleteLine: (s, r) => {
    const l = s.split("\n");
    l.splice(Math.floor(r() * l.length), 1);
    return l.join("\n");
  },
  duplicateLine: (s, r) => {
    const l = s.split("\n");
    const i = Math.floor(r() * l.length);
    l.splice(i, 0, l[i] ?? "");
    return l.join("\n");
  },
  swapLines: (s, r) => {
    const l = s.split("\n");
    const i = Math.floor(r() * l.length);
    const j = Math.floor(r() * l.length);
    [l[i], l[j]] = [l[j]!, l[i]!];
    return l.join("\n");
  },
  insertChars: (s, r) => {
    const i = Math.floor(r() * (s.length + 1));
    return s.slice(0, i) + pick(INSERTS, r) + s.slice(i);
  },
  truncate: (s, r) => s.slice(0, Math.floor(r() * s.length)),
  // Syntax-preserving mutations, so the checker (not just the parser) sees odd but parseable models.
  replaceIdentifier: (s, r) => {
    const t = tokens(s);
    const ids = t.map((x, i) => [x, i] as const).filter(([x]) => /^[A-Za-z_]/.test(x));
    if (ids.length === 0) return s;
    const [, i] = pick(ids, r);
    t[i] = pick(ids, r)[0];
    return t.join("");
  },
  replaceUnit: (s, r) => {
    const units = ["mV", "pA", "ms", "nS", "pF", "Hz", "1/ms", "real", "integer", "boolean", "GOhm", "mV/ms", "s"];
    const t = tokens(s);
    const at = t.map((x, i) => [x, i] as const).filter(([x]) => units.includes(x));
    if (at.length === 0) return s;
    t[pick(at, r)[1]] = pick(units, r);
    return t.join("");
  },
  replaceNumber: (s, r) => {
    const t = tokens(s);
    const at = t.map((x, i) => [x, i] as const).filter(([x]) => /^\d/.test(x));
    if (at.length === 0) return s;
    t[pick(at, r)[1]] = pick(["0", "-1", "1.5", "1e9", "2", "0.0"], r);
    return t.join("");
  },
};

describe("fuzz: mutated model sources", () => {
  it(`${MUTANTS} seeded mutants never throw, finish fast, and locate every diagnostic`, () => {
    const sources = corpus();
    expect(sources.length).toBeGreaterThan(10);
    const rnd = prng(SEED);
    const names = Object.keys(mutations);
    const codeCounts = new Map<string, number>();
    const opCounts = new Map<string, number>();
    let slowest = 0;
    let slowestWhat = "";
    let totalDiagnostics = 0;
    let clean = 0;
    const mislocated = new Map<string, number>();
    const examples: string[] = [];
    // Warm up the JIT so the per-mutant bound measures steady-state speed.
    for (const s of sources.slice(0, 5)) parseModels(s, "warmup.spk");
    const started = performance.now();
    for (let n = 0; n < MUTANTS; n++) {
      let src = pick(sources, rnd);
      const steps = 1 + Math.floor(rnd() * 3);
      const applied: string[] = [];
      for (let k = 0; k < steps; k++) {
        const op = pick(names, rnd);
        applied.push(op);
        opCounts.set(op, (opCounts.get(op) ?? 0) + 1);
        src = mutations[op]!(src, rnd);
      }
      // Time is CPU time of this process (the box is shared by many jobs; wall time would measure the
      // others). A slow run is re-timed and the best of three counts: a real hang stays slow.
      let result: ReturnType<typeof parseModels> | undefined;
      let ms = Infinity;
      for (let attempt = 0; attempt < 3 && ms >= PER_MUTANT_MS; attempt++) {
        const c0 = process.cpuUsage();
        try {
          result = parseModels(src, `mutant${n}.spk`);
        } catch (e) {
          throw new Error(`mutant ${n} (${applied.join(", ")}) threw: ${(e as Error).stack}\n--- source ---\n${src}`);
        }
        const c = process.cpuUsage(c0);
        ms = Math.min(ms, (c.user + c.system) / 1000);
      }
      expect(ms, `mutant ${n} (${applied.join(", ")}) took ${ms.toFixed(1)} ms of CPU\n${src}`).toBeLessThan(PER_MUTANT_MS);
      if (ms > slowest) {
        slowest = ms;
        slowestWhat = `mutant ${n} (${applied.join(", ")}, ${src.length} chars)`;
      }
      const text = result!.source;
      if (result!.diagnostics.every((d) => d.severity !== "error")) clean++;
      for (const d of result!.diagnostics) {
        totalDiagnostics++;
        codeCounts.set(d.code, (codeCounts.get(d.code) ?? 0) + 1);
        const { start, end } = d.range;
        const p = positionAt(text, start.offset);
        const bad =
          !(start.line >= 1 && start.column >= 1) ? "line/column below 1" :
          !(start.offset >= 0 && start.offset <= text.length) ? "start offset outside the source" :
          !(end.offset >= start.offset && end.offset <= text.length) ? "end offset outside the source" :
          p.line !== start.line || p.column !== start.column ? `line:col disagrees with offset (${p.line}:${p.column})` :
          d.message.length === 0 ? "empty message" : undefined;
        if (bad) {
          mislocated.set(`${d.code}: ${bad}`, (mislocated.get(`${d.code}: ${bad}`) ?? 0) + 1);
          if (examples.length < 3 || (bad.startsWith("line:col") && examples.length < 6)) examples.push(`mutant ${n} (${applied.join(", ")}): ${d.code} ${bad}: ${start.line}:${start.column} offsets ${start.offset}..${end.offset} of ${text.length}\n${src.slice(Math.max(0, start.offset - 200))}`);
        }
      }
    }
    const elapsed = performance.now() - started;
    const byCount = [...codeCounts].sort((a, b) => b[1] - a[1]);
    console.log(
      `fuzz: ${MUTANTS} mutants from ${sources.length} sources (seed ${SEED}) in ${(elapsed / 1000).toFixed(1)} s; ` +
        `slowest ${slowest.toFixed(1)} ms CPU (${slowestWhat}); ${clean} without errors; ${totalDiagnostics} diagnostics\n` +
        `mutations: ${[...opCounts].map(([k, v]) => `${k} ${v}`).join(", ")}\n` +
        `codes: ${byCount.map(([k, v]) => `${k} ${v}`).join(", ")}`,
    );
    expect(Object.fromEntries(mislocated), examples.join("\n\n")).toEqual({});
    expect(codeCounts.get("INTERNAL_ERROR") ?? 0, "the checker never fails internally").toBe(0);
    expect(codeCounts.get("SYNTAX_ERROR") ?? 0).toBeGreaterThan(0);
    expect(codeCounts.size).toBeGreaterThan(10);
  }, 120_000); // ~5 s on an idle box; the bound only guards against a starved, shared one
});
