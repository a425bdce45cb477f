/** Pieces shared by the neuron and synapse generators: safe identifiers, defaults, guards. */
import { HELPERS } from "./helpers.js";
import { toIr, type ModelInfo } from "./model-info.js";
import { evalIr } from "./printer.js";
import type { Ir } from "./ir.js";

const RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
  "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "await",
  "implements", "interface", "package", "private", "protected", "public", "arguments", "eval", "undefined", "NaN",
  "Infinity", "Math", "H", "n", "i", "j", "k", "t", "dt", "lag", "step", "base", "out", "rng", "io", "arrays", "vec",
  "prepare", "update", "read", "slots", "spiked", "origin", "from", "to", "h", "y", "dy", "tt", "tk", "A", "P", "Q", "key",
  "now", "console", "process", "String", "Float64Array", "Object", "Number",
]);

/** A JavaScript identifier for a model variable (model names are NESTML identifiers; `$` is fine). */
export function safeName(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

const DEFAULT_DT = 0.1;

/** Default values (stored units) in declaration order: parameters, internals (at dt = 0.1 ms), state. */
export function computeDefaults(m: ModelInfo): Map<string, number> {
  const values = new Map<string, number>();
  const env = (r: { name: string; kind: string }) => {
    const v = values.get(r.name);
    return v === undefined ? NaN : v;
  };
  const calls = {
    steps: (x: number) => HELPERS.steps(x, DEFAULT_DT),
    resolution: () => DEFAULT_DT,
    timestep: () => DEFAULT_DT,
    random_normal: (mean: number) => mean,
    random_uniform: (lo: number) => lo,
    random_poisson: (rate: number) => rate,
  };
  for (const block of ["parameters", "internals", "state"] as const) {
    for (const v of m.order) {
      if (v.block !== block) continue;
      let value = 0;
      try {
        if (v.initIr) value = evalIr(v.initIr, env, calls);
        else if (v.init) value = evalIr(toIr(v.init, { model: m, locals: new Set() }), env, calls) / v.storageScale;
      } catch {
        value = NaN;
      }
      values.set(v.name, value);
    }
  }
  return values;
}

/**
 * A `validate(values)` for the model: guards `[[...]]` on parameters and state, plus the NEST rules
 * of the e-prop and flush parameters. Returns a message naming the offending variable.
 */
export function makeValidator(m: ModelInfo, source: string | undefined, eprop: boolean, flush: boolean) {
  const guards: { name: string; ir: Ir; text: string }[] = [];
  for (const v of m.order) {
    if (!v.invariant) continue;
    try {
      const ir = toIr(v.invariant, { model: m, locals: new Set() });
      const text = source ? source.slice(v.invariant.range.start.offset, v.invariant.range.end.offset) : "guard";
      guards.push({ name: v.name, ir, text });
    } catch {
      // A guard we cannot evaluate is the checker's business.
    }
  }
  const rules: { name: string; ok: (x: number) => boolean; text: string }[] = [];
  if (flush) rules.push({ name: "flush_event_send_interval", ok: (x) => x > 0, text: "flush_event_send_interval > 0 required" });
  if (eprop) {
    rules.push(
      { name: "surrogate_gradient_height", ok: (x) => x > 0, text: "surrogate_gradient_height > 0 required" },
      { name: "surrogate_gradient_width", ok: (x) => x > 0, text: "surrogate_gradient_width > 0 required" },
      { name: "kappa", ok: (x) => x >= 0 && x <= 1, text: "0 <= kappa <= 1 required" },
      { name: "kappa_reg", ok: (x) => x >= 0 && x <= 1, text: "0 <= kappa_reg <= 1 required" },
      { name: "c_reg", ok: (x) => x >= 0, text: "c_reg >= 0 required" },
      { name: "f_target", ok: (x) => x >= 0, text: "f_target >= 0 required" },
      { name: "eprop_isi_trace_cutoff", ok: (x) => x >= 0, text: "eprop_isi_trace_cutoff >= 0 required" },
      { name: "surrogate_gradient_function", ok: (x) => Number.isInteger(x) && x >= 0 && x < 4, text: "unknown surrogate_gradient_function" },
    );
  }
  return (values: Readonly<Record<string, number>>): string | undefined => {
    for (const r of rules) {
      const x = values[r.name];
      if (x !== undefined && m.vars.has(r.name) && !r.ok(x)) return `${r.name}: ${r.text} (got ${x})`;
    }
    for (const g of guards) {
      let ok: number;
      try {
        ok = evalIr(g.ir, (r) => values[r.name] ?? NaN);
      } catch {
        continue;
      }
      if (!ok) return `${g.name}: ${g.text} is required (got ${values[g.name]})`;
    }
    return undefined;
  };
}
