/** Pieces shared by the neuron and synapse generators: safe identifiers, defaults, guards. */
import { HELPERS } from "./helpers.js";
import type { Expression, FunctionDecl, Statement } from "../ast.js";
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
  const calls: Record<string, (...a: number[]) => number> = {
    steps: (x: number) => HELPERS.steps(x, DEFAULT_DT),
    resolution: () => DEFAULT_DT,
    timestep: () => DEFAULT_DT,
    random_normal: (mean: number) => mean,
    random_uniform: (lo: number) => lo,
    random_poisson: (rate: number) => rate,
  };
  // User functions (NESTML's HH models call alpha_m(V_m_init) in initial values): interpreted here.
  for (const [name, f] of m.functions) {
    calls[name] = (...args: number[]) => interpretFunction(m, f, args, env, calls);
  }
  // Three passes: parameters and internals may read state initial values (NESTML HH models).
  for (const block of ["parameters", "internals", "state", "parameters", "internals", "state", "parameters", "internals", "state"] as const) {
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

class Returned {
  constructor(readonly value: number) {}
}

/** Runs a user function body at compile time (declarations, assignments, if, for, while, return). */
function interpretFunction(
  m: ModelInfo, f: FunctionDecl, args: number[], env: (r: { name: string; kind: string }) => number,
  calls: Record<string, (...a: number[]) => number>,
): number {
  const locals = new Map<string, number>();
  f.parameters.forEach((p, k) => locals.set(p.name.name, args[k] ?? NaN));
  const scope = () => ({ model: m, locals: new Set(locals.keys()) });
  const ev = (e: Expression) => evalIr(toIr(e, scope()), (r) => (r.kind === "local" ? locals.get(r.name) ?? NaN : env(r)), calls);
  const run = (body: readonly Statement[]): void => {
    for (const s of body) {
      switch (s.kind) {
        case "Declaration":
          for (const n of s.names) locals.set(n.name.name, s.init ? ev(s.init) : 0);
          break;
        case "Assignment": {
          const v = ev(s.value);
          const old = locals.get(s.target.name) ?? NaN;
          const ops: Record<string, number> = { "=": v, "+=": old + v, "-=": old - v, "*=": old * v, "/=": old / v };
          locals.set(s.target.name, ops[s.op]!);
          break;
        }
        case "Return":
          throw new Returned(s.value ? ev(s.value) : NaN);
        case "If": {
          const branch = s.branches.find((b) => ev(b.condition));
          if (branch) run(branch.body);
          else if (s.elseBody) run(s.elseBody);
          break;
        }
        case "While": {
          let guard = 0;
          while (ev(s.condition) && guard++ < 1e6) run(s.body);
          break;
        }
        case "For": {
          const step = s.step ? ev(s.step) : 1;
          for (locals.set(s.variable.name, ev(s.from)); step > 0 ? locals.get(s.variable.name)! < ev(s.to) : locals.get(s.variable.name)! > ev(s.to); locals.set(s.variable.name, locals.get(s.variable.name)! + step)) run(s.body);
          break;
        }
        default:
          break;
      }
    }
  };
  try {
    run(f.body);
  } catch (e) {
    if (e instanceof Returned) return e.value;
    throw e;
  }
  return NaN;
}
