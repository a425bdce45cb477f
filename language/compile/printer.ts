/**
 * Prints IR as JavaScript with minimal parentheses, and evaluates IR at compile/prepare time.
 * Reference printing is delegated to the caller, because the same model variable reads as `V_m[i]`
 * in a population kernel, `y[0]` inside an RK stage, or `w[k]` in a synapse.
 */
import { erf, PURE_MATH, type Ir, type RefKind } from "./ir.js";

export type RefPrinter = (r: { name: string; kind: RefKind; index?: Ir }, print: (x: Ir) => string) => string;

const PREC: Record<string, number> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, "<=": 7, ">": 7, ">=": 7,
  "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
};

const MATH_NAMES: Record<string, string> = {
  exp: "Math.exp", ln: "Math.log", log: "Math.log", log10: "Math.log10", expm1: "Math.expm1", sin: "Math.sin",
  cos: "Math.cos", tan: "Math.tan", sinh: "Math.sinh", cosh: "Math.cosh", tanh: "Math.tanh", sqrt: "Math.sqrt",
  ceil: "Math.ceil", floor: "Math.floor", round: "Math.round", abs: "Math.abs", min: "Math.min", max: "Math.max",
  pow: "Math.pow", erf: "H.erf",
};

export function numberJs(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "0";
  return String(v);
}

/** JavaScript for `x`; `callPrinter` may handle model-specific calls (random, steps, user functions). */
export function printJs(
  x: Ir,
  refs: RefPrinter,
  callPrinter?: (fn: string, args: string[]) => string | undefined,
): string {
  const p = (y: Ir, parent: number, right = false): string => {
    switch (y.k) {
      case "num": {
        return numberJs(y.v);
      }
      case "bool":
        return y.v ? "true" : "false";
      case "str":
        return JSON.stringify(y.v);
      case "ref":
        return refs(y, (z) => p(z, 0));
      case "un": {
        const s = `${y.op}${p(y.a, 11)}`;
        return parent > 10 ? `(${s})` : s;
      }
      case "bin": {
        if (y.op === "**") return `Math.pow(${p(y.a, 0)}, ${p(y.b, 0)})`;
        const prec = PREC[y.op] ?? 0;
        const op = y.op;
        const s = `${p(y.a, prec)} ${op} ${p(y.b, prec + 1, true)}`;
        return prec < parent || (right && prec === parent) ? `(${s})` : s;
      }
      case "tern": {
        const s = `${p(y.c, 1)} ? ${p(y.a, 0)} : ${p(y.b, 0)}`;
        return parent > 0 ? `(${s})` : s;
      }
      case "call": {
        const args = y.args.map((a) => p(a, 0));
        const custom = callPrinter?.(y.fn, args);
        if (custom !== undefined) return custom;
        if (y.fn === "clip") return `Math.min(Math.max(${args[0]}, ${args[1]}), ${args[2]})`;
        const m = MATH_NAMES[y.fn];
        if (m) return `${m}(${args.join(", ")})`;
        throw new Error(`no JavaScript for call ${y.fn}()`);
      }
      case "conv":
        throw new Error(`unresolved convolve(${y.kernel}, ${y.port})`);
    }
  };
  return p(x, 0);
}

/** Evaluates IR numerically; `env` gives the value of a reference (booleans as 0/1). */
export function evalIr(
  x: Ir,
  env: (r: { name: string; kind: RefKind }) => number,
  calls: Record<string, (...a: number[]) => number> = {},
): number {
  const e = (y: Ir): number => {
    switch (y.k) {
      case "num": return y.v;
      case "bool": return y.v ? 1 : 0;
      case "str": return NaN;
      case "ref": return env(y);
      case "un": {
        const a = e(y.a);
        return y.op === "-" ? -a : y.op === "!" ? (a ? 0 : 1) : y.op === "~" ? ~a : a;
      }
      case "bin": {
        if (y.op === "&&") return e(y.a) && e(y.b) ? 1 : 0;
        if (y.op === "||") return e(y.a) || e(y.b) ? 1 : 0;
        const a = e(y.a);
        const b = e(y.b);
        switch (y.op) {
          case "+": return a + b;
          case "-": return a - b;
          case "*": return a * b;
          case "/": return a / b;
          case "%": return a % b;
          case "**": return Math.pow(a, b);
          case "<": return a < b ? 1 : 0;
          case "<=": return a <= b ? 1 : 0;
          case ">": return a > b ? 1 : 0;
          case ">=": return a >= b ? 1 : 0;
          case "==": return a === b ? 1 : 0;
          case "!=": return a !== b ? 1 : 0;
          case "&": return a & b;
          case "|": return a | b;
          case "^": return a ^ b;
          case "<<": return a << b;
          case ">>": return a >> b;
          default: return NaN;
        }
      }
      case "tern": return e(y.c) ? e(y.a) : e(y.b);
      case "call": {
        const args = y.args.map(e);
        const f = calls[y.fn] ?? PURE_MATH[y.fn];
        if (!f) throw new Error(`cannot evaluate ${y.fn}() here`);
        return f(...args);
      }
      case "conv": throw new Error("unresolved convolve()");
    }
  };
  return e(x);
}

export { erf };
