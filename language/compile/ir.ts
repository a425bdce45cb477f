/**
 * The compiler's expression IR: small, unit-free trees whose numbers are already in coherent kernel
 * units (ms, mV, pA, pF, nS, GOhm, 1/ms). Lowering from the AST folds unit literals (`1 s` -> 1000)
 * and expands inline expressions, so differentiation (for linearity detection and the A matrix),
 * simplification and printing to JavaScript work on plain algebra.
 */

export type RefKind =
  | "state" // model state (arrays), also ODE helper states such as x' and kernel convolution states
  | "parameter"
  | "internal"
  | "local" // a local variable of the statement body being compiled
  | "spikePort" // value of a spike port in this step
  | "currentPort" // continuous port value (the one read at the end of the previous step)
  | "time" // t
  | "kernelTime"; // t inside a kernel definition

export type Ir =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "ref"; readonly name: string; readonly kind: RefKind; readonly index?: Ir }
  | { readonly k: "bin"; readonly op: string; readonly a: Ir; readonly b: Ir }
  | { readonly k: "un"; readonly op: string; readonly a: Ir }
  | { readonly k: "call"; readonly fn: string; readonly args: readonly Ir[] }
  | { readonly k: "tern"; readonly c: Ir; readonly a: Ir; readonly b: Ir }
  /** A `convolve(kernel, port)` before it is replaced by the kernel state it stands for. */
  | { readonly k: "conv"; readonly kernel: string; readonly port: string };

export const num = (v: number): Ir => ({ k: "num", v });
export const ZERO = num(0);
export const ONE = num(1);

const isNum = (x: Ir, v?: number): x is { k: "num"; v: number } => x.k === "num" && (v === undefined || x.v === v);

/** Builds a binary node, folding constants and the neutral elements of + - * / **. */
export function bin(op: string, a: Ir, b: Ir): Ir {
  if (op === "&&" || op === "||") {
    const ca = a.k === "bool" ? a.v : a.k === "num" ? a.v !== 0 : undefined;
    if (ca !== undefined) {
      if (op === "&&") return ca ? b : { k: "bool", v: false };
      return ca ? { k: "bool", v: true } : b;
    }
    return { k: "bin", op, a, b };
  }
  if (a.k === "num" && b.k === "num") {
    const r = foldBinary(op, a.v, b.v);
    if (r !== undefined) return typeof r === "boolean" ? { k: "bool", v: r } : num(r);
  }
  switch (op) {
    case "+":
      if (isNum(a, 0)) return b;
      if (isNum(b, 0)) return a;
      break;
    case "-":
      if (isNum(b, 0)) return a;
      if (isNum(a, 0)) return neg(b);
      break;
    case "*":
      if (isNum(a, 0) || isNum(b, 0)) return ZERO;
      if (isNum(a, 1)) return b;
      if (isNum(b, 1)) return a;
      if (isNum(a, -1)) return neg(b);
      if (isNum(b, -1)) return neg(a);
      break;
    case "/":
      if (isNum(a, 0)) return ZERO;
      if (isNum(b, 1)) return a;
      break;
    case "**":
      if (isNum(b, 1)) return a;
      if (isNum(b, 0)) return ONE;
      break;
  }
  return { k: "bin", op, a, b };
}

export function neg(a: Ir): Ir {
  if (a.k === "num") return num(-a.v);
  if (a.k === "un" && a.op === "-") return a.a;
  return { k: "un", op: "-", a };
}

function foldBinary(op: string, x: number, y: number): number | boolean | undefined {
  switch (op) {
    case "+": return x + y;
    case "-": return x - y;
    case "*": return x * y;
    case "/": return x / y;
    case "%": return x % y;
    case "**": return Math.pow(x, y);
    case "<": return x < y;
    case "<=": return x <= y;
    case ">": return x > y;
    case ">=": return x >= y;
    case "==": return x === y;
    case "!=": return x !== y;
    default: return undefined;
  }
}

export function call(fn: string, args: readonly Ir[]): Ir {
  // max(x, -DBL_MAX) and min(x, DBL_MAX) are x (NEST's default V_min = -DBL_MAX folds away); only
  // x = ∓inf would differ, which no membrane reaches.
  if (args.length === 2 && (fn === "max" || fn === "min")) {
    const [a, b] = args as [Ir, Ir];
    const bound = (y: Ir) => y.k === "num" && (fn === "max" ? y.v <= -Number.MAX_VALUE : y.v >= Number.MAX_VALUE);
    if (bound(b) && a.k !== "num") return a;
    if (bound(a) && b.k !== "num") return b;
  }
  if (args.every((a) => a.k === "num")) {
    const f = PURE_MATH[fn];
    if (f) return num(f(...args.map((a) => (a as { v: number }).v)));
  }
  return { k: "call", fn, args };
}

/** Built-in math the compiler may fold at compile time (deterministic, no side effects). */
export const PURE_MATH: Readonly<Record<string, (...x: number[]) => number>> = {
  exp: Math.exp, ln: Math.log, log: Math.log, log10: Math.log10, expm1: Math.expm1, sin: Math.sin, cos: Math.cos,
  tan: Math.tan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, sqrt: Math.sqrt, ceil: Math.ceil,
  floor: Math.floor, round: Math.round, abs: Math.abs, min: Math.min, max: Math.max, pow: Math.pow,
  clip: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
  erf: erf, erfc: (x) => 1 - erf(x),
};

/** erf with |error| < 1.2e-16 relative, via erfc continued fraction / series (used only if a model calls erf). */
export function erf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : Math.sign(x);
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc (Lentz), accurate for |x| >= 2.5.
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? tiny : d;
    c = ax + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Does `x` mention any reference for which `pred` holds? */
export function mentions(x: Ir, pred: (r: { name: string; kind: RefKind }) => boolean): boolean {
  switch (x.k) {
    case "ref":
      return pred(x) || (x.index !== undefined && mentions(x.index, pred));
    case "bin":
      return mentions(x.a, pred) || mentions(x.b, pred);
    case "un":
      return mentions(x.a, pred);
    case "call":
      return x.args.some((a) => mentions(a, pred));
    case "tern":
      return mentions(x.c, pred) || mentions(x.a, pred) || mentions(x.b, pred);
    default:
      return false;
  }
}

/** Rewrites references bottom-up (used to substitute states by 0 or rename kernel copies). */
export function mapRefs(x: Ir, f: (r: Extract<Ir, { k: "ref" }>) => Ir): Ir {
  switch (x.k) {
    case "ref":
      return f(x.index ? { ...x, index: mapRefs(x.index, f) } : x);
    case "bin":
      return bin(x.op, mapRefs(x.a, f), mapRefs(x.b, f));
    case "un":
      return x.op === "-" ? neg(mapRefs(x.a, f)) : { k: "un", op: x.op, a: mapRefs(x.a, f) };
    case "call":
      return call(x.fn, x.args.map((a) => mapRefs(a, f)));
    case "tern": {
      const c = mapRefs(x.c, f);
      if (c.k === "bool") return c.v ? mapRefs(x.a, f) : mapRefs(x.b, f);
      return { k: "tern", c, a: mapRefs(x.a, f), b: mapRefs(x.b, f) };
    }
    default:
      return x;
  }
}

/** Marker for "not differentiable in closed form here": the system is then treated as non-linear. */
export const NOT_DIFFERENTIABLE: Ir = { k: "str", v: "<not differentiable>" };

/**
 * Symbolic derivative ∂x/∂(ref `name` of kind `kind`). Returns NOT_DIFFERENTIABLE for constructs
 * whose derivative depends on the variable through a non-smooth function (min, max, abs, ternary...).
 */
export function diff(x: Ir, name: string, kind: RefKind): Ir {
  const dep = (y: Ir) => mentions(y, (r) => r.name === name && r.kind === kind);
  if (!dep(x)) return ZERO;
  const d = (y: Ir) => diff(y, name, kind);
  const bad = (...ys: Ir[]) => ys.some((y) => y === NOT_DIFFERENTIABLE);
  switch (x.k) {
    case "ref":
      return x.index ? NOT_DIFFERENTIABLE : ONE;
    case "un": {
      if (x.op !== "-" && x.op !== "+") return NOT_DIFFERENTIABLE;
      const da = d(x.a);
      return bad(da) ? da : x.op === "-" ? neg(da) : da;
    }
    case "bin": {
      const da = d(x.a);
      const db = d(x.b);
      if (bad(da, db)) return NOT_DIFFERENTIABLE;
      switch (x.op) {
        case "+": return bin("+", da, db);
        case "-": return bin("-", da, db);
        case "*": return bin("+", bin("*", da, x.b), bin("*", x.a, db));
        case "/":
          if (!dep(x.b)) return bin("/", da, x.b);
          return bin("/", bin("-", bin("*", da, x.b), bin("*", x.a, db)), bin("**", x.b, num(2)));
        case "**":
          if (!dep(x.b)) return bin("*", bin("*", x.b, bin("**", x.a, bin("-", x.b, ONE))), da);
          return bin("*", x, bin("+", bin("*", db, call("ln", [x.a])), bin("/", bin("*", x.b, da), x.a)));
        default:
          return NOT_DIFFERENTIABLE;
      }
    }
    case "call": {
      if (x.args.length !== 1 && x.fn !== "pow") return NOT_DIFFERENTIABLE;
      if (x.fn === "pow") return diff(bin("**", x.args[0]!, x.args[1]!), name, kind);
      const a = x.args[0]!;
      const da = d(a);
      if (bad(da)) return da;
      const outer: Record<string, () => Ir> = {
        exp: () => x,
        expm1: () => call("exp", [a]),
        ln: () => bin("/", ONE, a),
        log: () => bin("/", ONE, a),
        log10: () => bin("/", ONE, bin("*", a, num(Math.LN10))),
        sin: () => call("cos", [a]),
        cos: () => neg(call("sin", [a])),
        tan: () => bin("+", ONE, bin("**", call("tan", [a]), num(2))),
        sinh: () => call("cosh", [a]),
        cosh: () => call("sinh", [a]),
        tanh: () => bin("-", ONE, bin("**", call("tanh", [a]), num(2))),
        sqrt: () => bin("/", num(0.5), call("sqrt", [a])),
        erf: () => bin("*", num(2 / Math.sqrt(Math.PI)), call("exp", [neg(bin("**", a, num(2)))])),
        erfc: () => bin("*", num(-2 / Math.sqrt(Math.PI)), call("exp", [neg(bin("**", a, num(2)))])),
      };
      const o = outer[x.fn];
      return o ? bin("*", o(), da) : NOT_DIFFERENTIABLE;
    }
    default:
      return NOT_DIFFERENTIABLE;
  }
}

/** Structural equality (used to deduplicate convolutions and kernel copies). */
export function irKey(x: Ir): string {
  return JSON.stringify(x);
}
