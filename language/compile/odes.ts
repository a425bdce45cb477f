/**
 * ODE analysis: turns a model's equations into first-order systems the code generators can integrate.
 *
 * - Higher-order ODEs `x'' = f` become x' = x__d, x__d' = f (states `x`, `x__d`).
 * - Every distinct `convolve(K, port)` becomes linear "kernel state": copies of an ODE-form kernel's
 *   variables, or for a kernel given as a function of t (`exp(-t/tau)`, `(e/tau)*t*exp(-t/tau)`) the
 *   vector [f, f', ..., f^(n-1)] whose companion matrix C is fitted from symbolic derivatives
 *   (C·F(s) = F'(s) at n sample times, recomputed from parameters in prepare). A spike of weight w adds
 *   w·F(0) (the kernel's initial values), as NESTML does. `delta(t)` kernels become jumps
 *   Δx = (∂f_x/∂convolve)·w applied to the ODE states they appear in.
 * - Linearity without a CAS: a system is linear with constant coefficients when every symbolic partial
 *   derivative ∂f_i/∂x_j (ir.ts `diff`) exists and mentions only parameters, internals and constants
 *   (no state, no t, no input). Then A_ij = ∂f_i/∂x_j and c_i = f_i(x = 0), and the exact step is
 *   x <- P·x + Q·c with P = e^{Ah}, Q = ∫₀ʰ e^{As} ds (linalg.ts `propagators`).
 */
import { bin, diff, mapRefs, mentions, NOT_DIFFERENTIABLE, num, ZERO, type Ir } from "./ir.js";
import { CompileError, storageName, toIr, type ModelInfo } from "./model-info.js";

export interface KernelCopy {
  /** Kernel name and port of the `convolve(K, port)` this copy stands for. */
  readonly kernel: string;
  readonly port: string;
  /** State names, first is the convolution value. */
  readonly states: string[];
  /** ODE-form kernels: right-hand sides over `states` (already renamed). Fitted kernels: undefined. */
  readonly rhs?: Ir[];
  /** ODE-form kernels: jump (initial value) expressions per state; fitted: use the fit's F(0). */
  readonly jumps?: Ir[];
  readonly fitted: boolean;
}

export interface FittedKernel {
  readonly name: string;
  readonly order: number;
  /** f, f', ..., f^(order) as IR over kernelTime `t`. */
  readonly derivatives: Ir[];
  /** Sample spacing (ms) that conditions the fit well for the default parameters. */
  readonly spacing: number;
}

export interface DeltaJump {
  readonly state: string;
  readonly port: string;
  readonly coefficient: Ir;
}

export interface OdeSystem {
  /** ODE states (non-kernel) in declaration order, with their right-hand sides (kernel refs resolved). */
  readonly states: string[];
  readonly rhs: Map<string, Ir>;
  readonly kernelCopies: KernelCopy[];
  readonly fittedKernels: Map<string, FittedKernel>;
  readonly deltaJumps: DeltaJump[];
  /** Names of kernel variables declared in `state` (ODE-form kernels): hidden, not integrated. */
  readonly kernelVariables: Set<string>;
  /** Maps `convolve(K, port)` to the IR that replaces it in statements and inlines. */
  convolution(kernel: string, port: string): Ir;
  /** Solver requested by an `@solver::NAME` decorator on any ODE (rk45 default for non-linear systems). */
  readonly solver: "rk45" | "rk4" | "euler";
}

export const copyName = (kernel: string, port: string) => `${kernel}__X__${port}`;

export function analyzeOdes(m: ModelInfo, evalDefault: (x: Ir) => number): OdeSystem {
  const scope = { model: m, locals: new Set<string>() };
  const kernelVariables = new Set<string>();
  for (const [, k] of m.kernels) {
    for (const d of k.decl.definitions) {
      if (d.lhs.order >= 1) for (let o = 0; o < d.lhs.order; o++) kernelVariables.add(storageName(d.lhs.name, o));
    }
  }
  const fittedKernels = new Map<string, FittedKernel>();
  const copies = new Map<string, KernelCopy>();
  const deltaJumps: DeltaJump[] = [];
  let solver: OdeSystem["solver"] = "rk45";

  const kernelKind = (name: string): "delta" | "fitted" | "ode" => {
    const k = m.kernels.get(name);
    if (!k) throw new CompileError(`'${name}' is not a kernel`, undefined);
    const d = k.decl.definitions[0]!;
    if (d.lhs.order === 0) {
      if (d.rhs.kind === "Call" && d.rhs.callee.name === "delta") return "delta";
      return "fitted";
    }
    return "ode";
  };

  const ensureCopy = (kernel: string, port: string): KernelCopy => {
    const key = `${kernel}\u0000${port}`;
    const existing = copies.get(key);
    if (existing) return existing;
    const kind = kernelKind(kernel);
    const base = copyName(kernel, port);
    let copy: KernelCopy;
    if (kind === "fitted") {
      const fit = fittedKernels.get(kernel) ?? fitKernel(m, kernel, evalDefault);
      fittedKernels.set(kernel, fit);
      const states = Array.from({ length: fit.order }, (_, o) => storageName(base, o));
      copy = { kernel, port, states, fitted: true };
    } else {
      const k = m.kernels.get(kernel)!;
      const stateOf = new Map<string, string>();
      const states: string[] = [];
      const rhsSources: { state: string; expr: Ir | "chain"; next?: string }[] = [];
      for (const d of k.decl.definitions) {
        for (let o = 0; o < d.lhs.order; o++) {
          const src = storageName(d.lhs.name, o);
          const dst = storageName(`${d.lhs.name}__X__${port}`, o);
          stateOf.set(src, dst);
          states.push(dst);
        }
      }
      for (const d of k.decl.definitions) {
        for (let o = 0; o < d.lhs.order; o++) {
          const dst = stateOf.get(storageName(d.lhs.name, o))!;
          if (o < d.lhs.order - 1) rhsSources.push({ state: dst, expr: "chain", next: stateOf.get(storageName(d.lhs.name, o + 1)) });
          else rhsSources.push({ state: dst, expr: toIr(d.rhs, scope) });
        }
      }
      const rename = (x: Ir) =>
        mapRefs(x, (r) => (r.kind === "state" && stateOf.has(r.name) ? { k: "ref", name: stateOf.get(r.name)!, kind: "state" } : r));
      const rhs = rhsSources.map((s) => (s.expr === "chain" ? ({ k: "ref", name: s.next!, kind: "state" } as Ir) : rename(s.expr)));
      const jumps = states.map((_, idx) => {
        const src = [...stateOf.entries()].find(([, d]) => d === states[idx])![0];
        const v = m.vars.get(src);
        if (!v?.init) throw new CompileError(`kernel variable ${src} needs an initial value in the state block`, k.decl.range);
        return toIr(v.init, scope);
      });
      // Put the kernel's own variable (order 0 of the first definition) first: it is the convolution value.
      copy = { kernel, port, states, rhs, jumps, fitted: false };
    }
    copies.set(key, copy);
    return copy;
  };

  const convolution = (kernel: string, port: string): Ir => {
    if (kernelKind(kernel) === "delta") throw new CompileError(`convolve(${kernel}, ${port}) with a delta kernel may only appear in an ODE right-hand side`, undefined);
    const copy = ensureCopy(kernel, port);
    return { k: "ref", name: copy.states[0]!, kind: "state" };
  };

  /** Replaces conv nodes; delta convolutions become placeholders `__delta__<port>`. */
  const resolveConvolutions = (x: Ir, allowDelta: boolean): Ir => {
    const walk = (y: Ir): Ir => {
      switch (y.k) {
        case "conv":
          if (kernelKind(y.kernel) === "delta") {
            if (!allowDelta) throw new CompileError(`delta kernel ${y.kernel} used outside an ODE`, undefined);
            return { k: "ref", name: `__delta__${y.port}`, kind: "spikePort" };
          }
          return convolution(y.kernel, y.port);
        case "bin": return bin(y.op, walk(y.a), walk(y.b));
        case "un": return { k: "un", op: y.op, a: walk(y.a) };
        case "call": return { k: "call", fn: y.fn, args: y.args.map(walk) };
        case "tern": return { k: "tern", c: walk(y.c), a: walk(y.a), b: walk(y.b) };
        default: return y;
      }
    };
    return walk(x);
  };

  const states: string[] = [];
  const rhs = new Map<string, Ir>();
  for (const ode of m.odes) {
    for (const d of ode.decorators) {
      const mm = /^solver::(rk45|rk4|euler)$/.exec(d);
      if (mm) solver = mm[1] as OdeSystem["solver"];
    }
    // x^(n) = f  ->  x' = x__d, ..., x__d^(n-1)' = f
    for (let o = 0; o < ode.order; o++) {
      const name = storageName(ode.name, o);
      if (!m.vars.has(name)) throw new CompileError(`ODE variable ${name} has no state declaration`, ode.range);
      states.push(name);
      if (o < ode.order - 1) rhs.set(name, { k: "ref", name: storageName(ode.name, o + 1), kind: "state" });
      else {
        let f = resolveConvolutions(toIr(ode.rhs, scope), true);
        // Delta kernels: the coefficient of each placeholder is the jump per unit weight.
        const ports = new Set<string>();
        mentions(f, (r) => {
          if (r.kind === "spikePort" && r.name.startsWith("__delta__")) ports.add(r.name);
          return false;
        });
        for (const p of ports) {
          const coefficient = diff(f, p, "spikePort");
          if (coefficient === NOT_DIFFERENTIABLE || mentions(coefficient, (r) => r.kind === "state" || r.kind === "time")) {
            throw new CompileError(`a delta-kernel convolution must enter the ODE of ${name} linearly`, ode.range);
          }
          deltaJumps.push({ state: name, port: p.slice("__delta__".length), coefficient });
          f = mapRefs(f, (r) => (r.name === p && r.kind === "spikePort" ? ZERO : r));
        }
        // A spike port used bare in an ODE contributes nothing between events (NESTML replaces it by 0).
        f = mapRefs(f, (r) => (r.kind === "spikePort" ? ZERO : r));
        rhs.set(name, f);
      }
    }
  }
  // convolve() used outside ODEs (recordable inlines, statements) needs its kernel state too, and
  // every copy must exist before code generation starts.
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const o = node as { kind?: string; callee?: { name: string }; args?: { kind: string; name?: string }[] };
    if (o.kind === "Call" && o.callee?.name === "convolve" && o.args?.[0]?.kind === "VariableRef" && o.args[1]?.kind === "VariableRef") {
      const k = o.args[0].name!;
      if (m.kernels.has(k) && kernelKind(k) !== "delta") ensureCopy(k, o.args[1].name!);
    }
    for (const [key, v] of Object.entries(o)) if (key !== "range") visit(v);
  };
  for (const b of m.decl.blocks) visit(b);
  return {
    states, rhs, kernelCopies: [...copies.values()], fittedKernels, deltaJumps, kernelVariables,
    convolution, solver,
    get resolve() {
      return resolveConvolutions;
    },
  } as OdeSystem & { resolve: typeof resolveConvolutions };
}

/** Replaces convolve() nodes in an expression used in statements/inlines. */
export function resolveConvolutionsIn(sys: OdeSystem, x: Ir): Ir {
  return (sys as OdeSystem & { resolve: (x: Ir, allowDelta: boolean) => Ir }).resolve(x, false);
}

/**
 * Finds the order n of the linear ODE a kernel f(t) satisfies (n = 1 for exp, 2 for alpha, ...) by
 * checking C·F(s) = F'(s) at points not used for the fit, with the default parameters.
 */
function fitKernel(m: ModelInfo, name: string, evalDefault: (x: Ir) => number): FittedKernel {
  const k = m.kernels.get(name)!;
  const f = toIr(k.decl.definitions[0]!.rhs, { model: m, locals: new Set(), kernelTime: true });
  const derivatives: Ir[] = [f];
  for (let order = 1; order <= 5; order++) {
    const next = diff(derivatives[order - 1]!, "t", "kernelTime");
    if (next === NOT_DIFFERENTIABLE) break;
    derivatives.push(next);
    for (const spacing of [1, 0.1, 10, 0.01, 100]) {
      const at = (x: Ir, t: number) => evalDefault(mapRefs(x, (r) => (r.kind === "kernelTime" ? num(t) : r)));
      const C = fitCompanion((t) => derivatives.map((d) => at(d, t)), order, spacing);
      if (!C) continue;
      let ok = true;
      for (const s of [0.37, 1.61, 2.9].map((x) => x * spacing)) {
        const F = derivatives.map((d) => at(d, s));
        for (let r = 0; r < order && ok; r++) {
          let pred = 0;
          for (let c = 0; c < order; c++) pred += C[r * order + c]! * F[c]!;
          const scale = Math.max(...F.map(Math.abs), 1e-300);
          if (!(Math.abs(pred - F[r + 1]!) <= 1e-7 * scale)) ok = false;
        }
      }
      if (ok) return { name, order, derivatives, spacing };
    }
  }
  throw new CompileError(`kernel ${name} is not the solution of a linear ODE of order <= 5 (cannot integrate it exactly)`, k.decl.range);
}

/**
 * Companion-like matrix C (order×order) with C·F(s_m) = F'(s_m) at s_m = m·spacing, where F(s) =
 * [f(s), ..., f^(order-1)(s)] and F' is the shifted vector. `values(t)` returns f..f^(order) at t.
 */
export function fitCompanion(values: (t: number) => number[], order: number, spacing: number): Float64Array | undefined {
  // Solve F^T · C^T = F'^T, one equation block per sample.
  const Ft = new Float64Array(order * order);
  const Gt = new Float64Array(order * order);
  for (let s = 0; s < order; s++) {
    const v = values(s * spacing);
    for (let c = 0; c < order; c++) {
      Ft[s * order + c] = v[c]!;
      Gt[s * order + c] = v[c + 1]!;
    }
  }
  if (![...Ft, ...Gt].every(Number.isFinite)) return undefined;
  const Ct = solveSmall(Ft, Gt, order);
  if (!Ct) return undefined;
  const C = new Float64Array(order * order);
  for (let r = 0; r < order; r++) for (let c = 0; c < order; c++) C[r * order + c] = Ct[c * order + r]!;
  return C;
}

function solveSmall(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  // Gaussian elimination with partial pivoting (n <= 5).
  const A = Float64Array.from(a);
  const B = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]!) > Math.abs(A[p * n + col]!)) p = r;
    if (A[p * n + col] === 0) return undefined;
    for (let j = 0; j < n; j++) {
      [A[col * n + j], A[p * n + j]] = [A[p * n + j]!, A[col * n + j]!];
      [B[col * n + j], B[p * n + j]] = [B[p * n + j]!, B[col * n + j]!];
    }
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col]! / A[col * n + col]!;
      for (let j = 0; j < n; j++) {
        A[r * n + j] -= f * A[col * n + j]!;
        B[r * n + j] -= f * B[col * n + j]!;
      }
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let j = 0; j < n; j++) {
      let s = B[r * n + j]!;
      for (let c = r + 1; c < n; c++) s -= A[r * n + c]! * B[c * n + j]!;
      B[r * n + j] = s / A[r * n + r]!;
    }
  }
  return B;
}

/**
 * Linear analysis of the subsystem `vars` (ODE states and kernel states): returns A (IR entries,
 * indexed [row][col] over `vars`) and c (IR, f(x_vars = 0)), or undefined when it is not linear with
 * constant coefficients. States outside `vars` that appear on the right are treated as inputs held
 * constant over the step (they end up in c).
 */
export function linearize(rhsOf: (name: string) => Ir | undefined, vars: readonly string[]):
  { A: Ir[][]; c: Ir[] } | undefined {
  const set = new Set(vars);
  const A: Ir[][] = [];
  const c: Ir[] = [];
  for (const v of vars) {
    const f = rhsOf(v);
    if (!f) return undefined;
    const row: Ir[] = [];
    for (const w of vars) {
      const d = diff(f, w, "state");
      if (d === NOT_DIFFERENTIABLE) return undefined;
      if (mentions(d, (r) => r.kind === "state" || r.kind === "time" || r.kind === "currentPort" || r.kind === "local" || r.kind === "spikePort")) return undefined;
      if (hasRandom(d)) return undefined;
      row.push(d);
    }
    A.push(row);
    const ci = mapRefs(f, (r) => (r.kind === "state" && set.has(r.name) ? ZERO : r));
    // An inhomogeneity that varies within the step (explicit t) is not constant over the step: such
    // systems go to the numeric solver, as ODE-toolbox does. Inputs and other states are held constant.
    if (mentions(ci, (r) => r.kind === "time")) return undefined;
    c.push(ci);
    if (hasRandom(f)) return undefined;
  }
  return { A, c };
}

function hasRandom(x: Ir): boolean {
  switch (x.k) {
    case "call": return x.fn.startsWith("random_") || x.args.some(hasRandom);
    case "bin": return hasRandom(x.a) || hasRandom(x.b);
    case "un": return hasRandom(x.a);
    case "tern": return hasRandom(x.c) || hasRandom(x.a) || hasRandom(x.b);
    default: return false;
  }
}
