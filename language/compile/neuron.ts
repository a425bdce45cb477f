/**
 * Neuron code generation: one model -> one readable JavaScript factory that updates a whole
 * population per call over structure-of-arrays Float64Arrays.
 *
 * Step order per neuron (NEST's NESTML template, nestml.md §2.4):
 *   1. read this step's spike rings (weight sums; counts where needed)
 *   2. kernel (convolution) states: next values computed with their exact propagator
 *   3. `update:` block (integrate_odes -> exact propagators or RK45 for the listed states)
 *   4. `onReceive` handlers of ports that received spikes, by descending priority
 *   5. kernel states assigned, then this step's spikes applied (w × kernel initial values; delta jumps)
 *   6. e-prop point (ψ or readout signals), 7. `onCondition` blocks, 8. flush rule,
 *   9. continuous inputs read for the next step.
 */
import type { Expression } from "../ast.js";
import type { NeuronModel, NeuronPopulation, PopulationIO, PortSpec, VariableSpec } from "../../runtime/model-abi.js";
import { lowerBody, printCall, expr, localName, type BodyContext } from "./body.js";
import { applyExtensions, type EpropInfo } from "./extensions.js";
import { HELPERS } from "./helpers.js";
import { bin, mapRefs, mentions, num, ZERO, type Ir } from "./ir.js";
import { CompileError, storageName, tidy, toIr, typeInfo, walkStatements, type ModelInfo, type VarInfo } from "./model-info.js";
import { isDimensionless } from "../units/dimension.js";
import { toKernelScale } from "../units/kernel-scale.js";
import { analyzeOdes, linearize, resolveConvolutionsIn, type OdeSystem } from "./odes.js";
import { evalIr, printJs, type RefPrinter } from "./printer.js";
import { computeDefaults, makeValidator, safeName } from "./common.js";

interface Group {
  readonly id: number;
  readonly label: string;
  /** States written back. */
  readonly rows: string[];
  /** States the propagation reads (rows plus the kernel states they depend on). */
  readonly cols: string[];
  readonly exact: boolean;
  readonly A?: Ir[][];
  readonly c?: Ir[];
}

export function compileNeuron(m: ModelInfo, source?: string): NeuronModel {
  // Extension settings may refer to parameters: evaluate them against the plain model's defaults first.
  const pre = computeDefaults(m);
  const ext = applyExtensions(m, (x) => evalIr(x, (r) => pre.get(r.name) ?? NaN), source);
  const defaults = computeDefaults(m);
  const sys = analyzeOdes(m, (x) => evalIr(x, (r) => defaults.get(r.name) ?? NaN, { steps: (a) => HELPERS.steps(a, 0.1) }));
  for (const kv of sys.kernelVariables) {
    const v = m.vars.get(kv);
    if (v) m.vars.set(kv, { ...v, hidden: true });
  }
  const order = m.order.map((v) => m.vars.get(v.name)!);
  m.order.splice(0, m.order.length, ...order);
  return generate(m, sys, defaults, ext.eprop, ext.flush, source);
}

function generate(
  m: ModelInfo, sys: OdeSystem, defaults: Map<string, number>, eprop: EpropInfo | undefined, flush: boolean, source?: string,
): NeuronModel {
  const spikePorts = m.ports.filter((p) => p.kind === "spike");
  const currentPorts = m.ports.filter((p) => p.kind === "continuous");
  // (ABI v4) A readout's continuous ports with receptor >= 1 are NEST rate ports (learning window,
  // target): the value arriving for step t is used in step t, so they are read at the start of the step.
  const ratePorts = new Set(eprop?.role === "readout" ? currentPorts.slice(1).map((p) => p.name) : []);
  const handlerPorts = new Set(m.onReceive.map((h) => h.port.name));
  const kernelStates = sys.kernelCopies.flatMap((c) => c.states);
  const kernelSet = new Set(kernelStates);
  const isVector = (name: string) => m.vars.get(name)?.vectorSize !== undefined;
  const vectorSize = (name: string) => {
    const v = m.vars.get(name);
    if (!v?.vectorSize) return 1;
    const size = evalIr(toIr(v.vectorSize, { model: m, locals: new Set() }), (r) => defaults.get(r.name) ?? NaN);
    if (!Number.isInteger(size) || size < 1) throw new CompileError(`vector size of ${name} must be a positive integer`, v.range);
    return size;
  };
  const arr = (name: string) => safeName(name);

  // ---- right-hand sides of every integrable state (ODE + kernel) -----------------------------
  const rhsOf = new Map<string, Ir>(sys.rhs);
  const fittedInternals: string[] = [];
  const jumpArrays: { state: string; port: string; array: string }[] = [];
  for (const copy of sys.kernelCopies) {
    if (copy.fitted) {
      const fit = sys.fittedKernels.get(copy.kernel)!;
      const n = fit.order;
      copy.states.forEach((s, o) => {
        if (o < n - 1) rhsOf.set(s, { k: "ref", name: copy.states[o + 1]!, kind: "state" });
        else {
          let f: Ir = ZERO;
          for (let c = 0; c < n; c++) f = bin("+", f, bin("*", { k: "ref", name: `__kC_${copy.kernel}_${c}`, kind: "internal" }, { k: "ref", name: copy.states[c]!, kind: "state" }));
          rhsOf.set(s, f);
        }
        jumpArrays.push({ state: s, port: copy.port, array: `__kJ_${copy.kernel}_${o}` });
      });
      for (let c = 0; c < n; c++) if (!fittedInternals.includes(`__kC_${copy.kernel}_${c}`)) fittedInternals.push(`__kC_${copy.kernel}_${c}`);
      for (let o = 0; o < n; o++) if (!fittedInternals.includes(`__kJ_${copy.kernel}_${o}`)) fittedInternals.push(`__kJ_${copy.kernel}_${o}`);
    } else {
      copy.states.forEach((s, o) => {
        rhsOf.set(s, copy.rhs![o]!);
        jumpArrays.push({ state: s, port: copy.port, array: `__J_${s}` });
      });
    }
  }

  // ---- propagator groups ------------------------------------------------------------------
  const groups: Group[] = [];
  const kernelDeps = (rows: string[]): string[] => {
    const seen = new Set<string>();
    const stack = [...rows];
    while (stack.length) {
      const s = stack.pop()!;
      const f = rhsOf.get(s);
      if (!f) continue;
      mentions(f, (r) => {
        if (r.kind === "state" && kernelSet.has(r.name) && !seen.has(r.name)) {
          seen.add(r.name);
          stack.push(r.name);
        }
        return false;
      });
    }
    return kernelStates.filter((k) => seen.has(k) && !rows.includes(k));
  };
  const makeGroup = (rows: string[], label: string, forceExact: boolean): Group => {
    const cols = [...rows, ...kernelDeps(rows)];
    const lin = linearize((n) => rhsOf.get(n), cols);
    if (!lin && forceExact) throw new CompileError("kernel equations must be linear with constant coefficients", undefined);
    const g: Group = lin ? { id: groups.length, label, rows, cols, exact: true, A: lin.A, c: lin.c } : { id: groups.length, label, rows, cols, exact: false };
    groups.push(g);
    return g;
  };
  const kernelGroup = kernelStates.length ? makeGroup(kernelStates, "kernel (convolution) states", true) : undefined;
  const siteGroups = new Map<string, Group>();
  const groupFor = (args: readonly Expression[]): Group => {
    let rows: string[];
    if (args.length === 0) rows = [...sys.states];
    else {
      rows = [];
      for (const a of args) {
        if (a.kind !== "VariableRef") throw new CompileError("integrate_odes() takes state variable names", a.range);
        for (const s of sys.states) if (s === a.name || s.startsWith(`${a.name}__d`)) if (!rows.includes(s)) rows.push(s);
      }
      rows = sys.states.filter((s) => rows.includes(s));
    }
    const key = rows.join(",");
    let g = siteGroups.get(key);
    if (!g) {
      g = makeGroup(rows, `integrate_odes(${rows.join(", ")})`, false);
      siteGroups.set(key, g);
    }
    return g;
  };
  const numericGroups = () => groups.filter((g) => !g.exact);

  // ---- reference printing ------------------------------------------------------------------
  const sizeOf = new Map<string, number>();
  for (const v of m.vars.values()) if (v.vectorSize) sizeOf.set(v.name, vectorSize(v.name));
  /** Population-uniform values folded into a specialized update() (see specializer below); null = generic. */
  let consts = null as Map<string, number> | null;
  /** A per-neuron array read, or its folded value in a specialized kernel. */
  const cell = (name: string): string => {
    const v = consts?.get(name);
    return v !== undefined ? numberLit(v) : `${arr(name)}[i]`;
  };
  const baseRefs = (time: string): RefPrinter => (r, print) => {
    switch (r.kind) {
      case "state": case "parameter": case "internal": {
        if (!r.index && consts?.has(r.name)) return numberLit(consts.get(r.name)!);
        if (r.index) return `${arr(r.name)}[i * ${sizeOf.get(r.name) ?? 1} + ${print(r.index)}]`;
        return `${arr(r.name)}[i]`;
      }
      case "local": return r.index ? `${localName(r.name)}[${print(r.index)}]` : localName(r.name);
      case "spikePort": return `sp_${r.name}`;
      case "currentPort": return `in_${r.name}[i]`;
      case "time": return time;
      case "kernelTime": return "tk";
    }
  };
  const refs = baseRefs("t");
  const readRefs = baseRefs("NaN"); // read() runs between steps: an inline that uses t has no value there
  const userFunctions = [...m.functions.keys()];
  const calls = (fn: string, args: string[]): string | undefined => {
    switch (fn) {
      case "timestep": case "resolution": return "dt";
      case "steps": return `H.steps(${args[0]}, dt)`;
      case "random_normal": return `(${args[0]} + ${args[1]} * rng.normal())`;
      case "random_uniform": return `(${args[0]} + (${args[1]} - ${args[0]}) * rng.uniform())`;
      case "random_poisson": return `rng.poisson(${args[0]})`;
      case "delta": throw new CompileError("delta() may only define a kernel", undefined);
      default:
        if (userFunctions.includes(fn)) return `fn_${fn}(i${args.map((a) => `, ${a}`).join("")})`;
        return undefined;
    }
  };
  const resolve = (x: Ir) => {
    const y = resolveConvolutionsIn(sys, x);
    if (!consts) return y;
    const c = consts;
    return mapRefs(y, (r) => ((r.kind === "parameter" || r.kind === "internal") && !r.index && c.has(r.name) ? num(c.get(r.name)!) : r));
  };

  // ---- statement bodies ------------------------------------------------------------------------
  let handlerPort: string | undefined; // set while lowering an onReceive body
  let inFunction = false; // user functions are pure helpers: no events, no integration
  const needsCount = new Set<string>();
  const bodyCtx = (r: RefPrinter): BodyContext => ({
    model: m, refs: r, calls, resolve,
    target: (name, idx) => (idx !== undefined ? `${arr(name)}[i * ${sizeOf.get(name) ?? 1} + ${idx}]` : `${arr(name)}[i]`),
    statementCall: (fn, args, locals, indent) => {
      switch (fn) {
        case "integrate_odes":
          if (inFunction) throw new CompileError("integrate_odes() inside a function is not supported; call it in update", undefined);
          return integrateLines(groupFor(args), indent);
        case "emit_spike": {
          if (inFunction) throw new CompileError("emit_spike() inside a function is not supported; call it in update, onReceive or onCondition", undefined);
          if (!m.emitsSpikes) throw new CompileError("emit_spike() needs `output: spike`", undefined);
          // Inside onReceive(p) the handler stands for one run per received spike: one spike out per spike in.
          const mult = handlerPort !== undefined ? `n_${handlerPort}` : "1";
          if (handlerPort !== undefined) needsCount.add(handlerPort);
          return [`${indent}out.push(i, lag, ${mult}, false);`, `${indent}spiked = 1;`];
        }
        case "print": case "println":
          return [`${indent}${printCall(ctxMain, args, locals, fn === "println")};`];
        case "info": case "warning":
          return [`${indent}console.${fn === "info" ? "info" : "warn"}(${expr(ctxMain, args[0]!, locals)});`];
        default: return undefined;
      }
    },
  });
  const ctxMain = bodyCtx(refs);

  function integrateLines(g: Group, indent: string): string[] {
    const lines = [`${indent}{ // ${g.label}: ${g.exact ? "exact propagation (linear, constant coefficients)" : `numeric (${sys.solver})`}`];
    const ii = indent + "  ";
    const scaleOf = (s: string) => m.vars.get(s)?.storageScale ?? 1;
    const load = g.cols.map((s, k) => `x${k} = ${arr(s)}[i]${scaleOf(s) !== 1 ? ` * ${scaleOf(s)}` : ""}`);
    if (g.exact) {
      lines.push(`${ii}const ${load.join(", ")};`);
      const cNames: (string | undefined)[] = g.c!.map((c, k) => {
        if (c.k === "num" && c.v === 0) return undefined;
        lines.push(`${ii}const c${k} = ${printJs(resolve(c), refs, calls)};`);
        return `c${k}`;
      });
      const reach = reachability(g);
      g.rows.forEach((s, r) => {
        const terms: string[] = [];
        g.cols.forEach((_, c) => {
          if (reach[r]![c]) terms.push(`${cell(`__P${g.id}_${r}_${c}`)} * x${c}`);
        });
        g.cols.forEach((_, c) => {
          if (reach[r]![c] && cNames[c]) terms.push(`${cell(`__Q${g.id}_${r}_${c}`)} * ${cNames[c]}`);
        });
        const sc = scaleOf(s);
        lines.push(`${ii}${arr(s)}[i] = ${terms.join(" + ") || "0"}${sc !== 1 ? ` / ${sc}` : ""};`);
      });
    } else {
      lines.push(`${ii}const y = Y${g.id};`);
      g.cols.forEach((s, k) => lines.push(`${ii}y[${k}] = ${arr(s)}[i]${scaleOf(s) !== 1 ? ` * ${scaleOf(s)}` : ""};`));
      if (sys.solver === "rk45") lines.push(`${ii}HINT${g.id}[i] = H.rk45(deriv${g.id}, i, t, y, dt, HINT${g.id}[i], ${cell("gsl_abs_error_tol")}, ${cell("gsl_rel_error_tol")}, S${g.id});`);
      else lines.push(`${ii}H.${sys.solver}(deriv${g.id}, i, t, y, dt, S${g.id});`);
      g.rows.forEach((s, k) => lines.push(`${ii}${arr(s)}[i] = y[${k}]${scaleOf(s) !== 1 ? ` / ${scaleOf(s)}` : ""};`));
    }
    lines.push(`${indent}}`);
    return lines;
  }

  const sortedHandlers = [...m.onReceive].sort((a, b) => priority(b) - priority(a));
  /** Lowers update, onReceive and onCondition (again for each specialization: constants fold). */
  const lowerBodies = () => {
    const updateLines = m.update ? lowerBody(ctxMain, m.update.body, new Set(), "        ") : [];
    const handlerLines: string[] = [];
    for (const h of sortedHandlers) {
      const p = h.port.name;
      if (!spikePorts.some((s) => s.name === p)) throw new CompileError(`onReceive(${p}): not a spike port`, h.range);
      handlerPort = p;
      needsCount.add(p);
      handlerLines.push(`        if (n_${p} > 0) { // onReceive(${p})`);
      handlerLines.push(...lowerBody(ctxMain, h.body, new Set(), "          "));
      handlerLines.push("        }");
      handlerPort = undefined;
    }
    const conditionLines: string[] = [];
    for (const c of m.onCondition) {
      conditionLines.push(`        if (${expr(ctxMain, c.condition, new Set())}) { // onCondition`);
      conditionLines.push(...lowerBody(ctxMain, c.body, new Set(), "          "));
      conditionLines.push("        }");
    }
    return { updateLines, handlerLines, conditionLines };
  };
  lowerBodies(); // creates the propagator groups and port needs before anything is printed
  const functionLines: string[] = [];
  for (const [name, f] of m.functions) {
    const params = f.parameters.map((p) => p.name.name);
    functionLines.push(`  function fn_${name}(i${params.map((p) => `, ${localName(p)}`).join("")}) {`);
    inFunction = true;
    try {
      functionLines.push(...lowerBody(ctxMain, f.body, new Set(params), "    "));
    } finally {
      inFunction = false;
    }
    functionLines.push("  }");
  }
  // Recordable inlines and e-prop bindings.
  const recordableInlines = [...m.inlines.values()].filter((d) => d.recordable);

  // Every propagator group used must exist before prepare/update are printed.
  const numeric = numericGroups();
  const usesTolerances = numeric.some(() => sys.solver === "rk45");
  if (usesTolerances) {
    for (const [name, value] of [["gsl_abs_error_tol", 1e-6], ["gsl_rel_error_tol", 1e-6]] as const) {
      if (!m.vars.has(name)) {
        const v: VarInfo = { name, block: "parameters", type: "real", unit: undefined, unitName: "1", storageScale: 1, recordable: false, decorators: [], range: undefined, initIr: num(value) };
        m.vars.set(name, v);
        m.order.push(v);
        defaults.set(name, value);
      }
    }
  }

  // ---- assemble the source -------------------------------------------------------------------
  const L: string[] = [];
  const name = m.name;
  L.push(`// Spikelab kernel for neuron model \`${name}\` (generated, deterministic; do not edit).`);
  L.push("// Units: ms, mV, pA, pF, nS, GOhm; rates are stored in Hz and used in 1/ms.");
  L.push("// Per neuron and step: spike rings -> kernel states -> update -> onReceive -> spikes applied");
  L.push("// -> e-prop point -> onCondition -> flush rule -> continuous inputs for the next step.");
  L.push('"use strict";');
  L.push("return function instantiate(n) {");
  L.push("  const arrays = {};");
  L.push("  const vec = (name, size, value) => (arrays[name] = new Float64Array(n * size).fill(value));");
  const storage = [...m.order];
  for (const block of ["parameters", "state", "internals"] as const) {
    const vs = storage.filter((v) => v.block === block);
    if (!vs.length) continue;
    L.push(`  // ${block}`);
    for (const v of vs) {
      const d = defaults.get(v.name) ?? 0;
      L.push(`  const ${arr(v.name)} = vec(${JSON.stringify(v.name)}, ${sizeOf.get(v.name) ?? 1}, ${numberLit(d)});${v.unitName !== "1" ? ` // ${v.unitName}` : ""}`);
    }
  }
  const hidden: string[] = [];
  const hiddenArray = (nm: string, init = 0) => {
    hidden.push(nm);
    L.push(`  const ${arr(nm)} = vec(${JSON.stringify(nm)}, 1, ${numberLit(init)});`);
  };
  if (currentPorts.length) L.push("  // continuous inputs: the value read at the end of the previous step");
  for (const p of currentPorts) {
    hidden.push(`__in_${p.name}`);
    L.push(`  const in_${p.name} = vec("__in_${p.name}", 1, 0);`);
  }
  if (kernelStates.length) {
    L.push("  // kernel (convolution) states, one copy per (kernel, port)");
    for (const s of kernelStates) hiddenArray(s);
    for (const f of fittedInternals) hiddenArray(f);
    for (const j of jumpArrays) if (!fittedInternals.includes(j.array)) hiddenArray(j.array);
  }
  if (groups.length) L.push("  // propagators P = e^{A h} and Q = ∫₀ʰ e^{As} ds, per neuron (recomputed in prepare)");
  for (const g of groups) {
    if (!g.exact) continue;
    const reach = reachability(g);
    const cNonZero = g.c!.map((c) => !(c.k === "num" && c.v === 0));
    g.rows.forEach((_, r) => g.cols.forEach((__, c) => {
      if (!reach[r]![c]) return;
      L.push(`  const __P${g.id}_${r}_${c} = vec("__P${g.id}_${r}_${c}", 1, 0);`);
      hidden.push(`__P${g.id}_${r}_${c}`);
      if (cNonZero[c]) {
        L.push(`  const __Q${g.id}_${r}_${c} = vec("__Q${g.id}_${r}_${c}", 1, 0);`);
        hidden.push(`__Q${g.id}_${r}_${c}`);
      }
    }));
  }
  const scratchLines: string[] = [];
  for (const g of numeric) {
    scratchLines.push(`  // ${g.label}: numeric integration scratch (no allocation per step)`);
    scratchLines.push(`  const Y${g.id} = new Float64Array(${g.cols.length}), S${g.id} = new H.OdeScratch(${g.cols.length});`);
    if (sys.solver === "rk45") {
      hidden.push(`__hint${g.id}`);
      L.push(`  const HINT${g.id} = vec("__hint${g.id}", 1, 0);`);
    }
  }
  L.push(...scratchLines);
  if (flush) {
    L.push("  // flush events (NEST's FlushEventMechanism)");
    hiddenArray("__last_event_step");
    hiddenArray("__flush_steps", Infinity);
  }
  if (eprop) {
    L.push(`  // e-prop hook arrays (role ${eprop.role}), read by runtime/eprop after every step`);
    const names = eprop.role === "recurrent"
      ? ["__eprop_psi", "__eprop_z", "__eprop_learning_signal", "__eprop_history_duration"]
      : ["__eprop_readout", "__eprop_target", "__eprop_err", "__eprop_history_duration"];
    for (const nm of names) hiddenArray(nm);
  }
  L.push("  let dt = NaN;");
  L.push(...functionLines);

  // Derivative functions of numeric groups.
  const derivLines: string[] = [];
  for (const g of numeric) {
    const index = new Map(g.cols.map((s, k) => [s, k]));
    const dref: RefPrinter = (r, print) => {
      if (r.kind === "state" && index.has(r.name) && !r.index) return `y[${index.get(r.name)}]`;
      if (r.kind === "time") return "tt";
      return refs(r, print);
    };
    derivLines.push(`  // right-hand side of ${g.label}`);
    derivLines.push("  function deriv" + g.id + "(i, tt, y, dy) {");
    g.cols.forEach((s, k) => {
      const f = rhsOf.get(s)!;
      derivLines.push(`    dy[${k}] = ${printJs(resolve(f), dref, calls)};`);
    });
    derivLines.push("  }");
  }
  L.push(...derivLines);

  // prepare
  L.push("");
  L.push("  function prepare(h) {");
  L.push("    dt = h;");
  const internals = storage.filter((v) => v.block === "internals");
  if (internals.length || flush || jumpArrays.length || fittedInternals.length) {
    for (const [kname] of sys.fittedKernels) L.push(`    let fitIn_${kname} = null, fitC_${kname} = null, fitF0_${kname} = null; // reused while parameters repeat`);
    L.push("    for (let i = 0; i < n; i++) {");
    for (const v of internals) {
      if (!v.init) continue;
      const init = toIr(v.init, { model: m, locals: new Set() });
      L.push(`      ${arr(v.name)}[i] = ${printJs(resolve(init), refs, calls)}${v.storageScale !== 1 ? ` / ${v.storageScale}` : ""};`);
    }
    if (flush) L.push("      __flush_steps[i] = H.steps(flush_event_send_interval[i], dt);");
    for (const [kname, fit] of sys.fittedKernels) {
      const kref: RefPrinter = (r, print) => (r.kind === "kernelTime" ? "tk" : refs(r, print));
      const inputs: string[] = [];
      for (const d of fit.derivatives) {
        mentions(d, (r) => {
          if ((r.kind === "parameter" || r.kind === "internal") && !(r as { index?: unknown }).index) {
            const c = `${arr(r.name)}[i]`;
            if (!inputs.includes(c)) inputs.push(c);
          }
          return false;
        });
      }
      L.push(`      { // kernel ${kname}: fit F' = C·F for F = [f, f', ...] (order ${fit.order}) from its derivatives`);
      const same = inputs.length ? inputs.map((c, q) => `fitIn_${kname}[${q}] === ${c}`).join(" && ") : "true";
      L.push(`        if (fitIn_${kname} === null || !(${same})) {`);
      L.push(`          fitIn_${kname} = [${inputs.join(", ")}];`);
      L.push("          const F = (tk) => [");
      for (const d of fit.derivatives) L.push(`            ${printJs(d, kref, calls)},`);
      L.push("          ];");
      L.push(`          fitC_${kname} = H.fitCompanion(F, ${fit.order}, ${fit.spacing});`);
      L.push(`          fitF0_${kname} = F(0);`);
      L.push("        }");
      for (let c = 0; c < fit.order; c++) L.push(`        ${arr(`__kC_${kname}_${c}`)}[i] = fitC_${kname} ? fitC_${kname}[${(fit.order - 1) * fit.order + c}] : NaN;`);
      for (let o = 0; o < fit.order; o++) L.push(`        ${arr(`__kJ_${kname}_${o}`)}[i] = fitF0_${kname}[${o}];`);
      L.push("      }");
    }
    for (const copy of sys.kernelCopies) {
      if (copy.fitted) continue;
      copy.states.forEach((s, o) => L.push(`      ${arr(`__J_${s}`)}[i] = ${printJs(copy.jumps![o]!, refs, calls)};`));
    }
    L.push("    }");
  }
  for (const g of groups) {
    if (!g.exact) continue;
    const k = g.cols.length;
    const reach = reachability(g);
    const cNonZero = g.c!.map((c) => !(c.k === "num" && c.v === 0));
    L.push(`    { // propagators of ${g.label}; neurons with equal A share one matrix exponential`);
    L.push(`      const A = new Float64Array(${k * k}), previous = new Float64Array(${k * k});`);
    L.push("      let P = null, Q = null;");
    L.push("      for (let i = 0; i < n; i++) {");
    g.A!.forEach((row, r) => row.forEach((a, c) => {
      if (a.k === "num" && a.v === 0) return;
      L.push(`        A[${r * k + c}] = ${printJs(a, refs, calls)};`);
    }));
    L.push("        let same = P !== null;");
    L.push(`        for (let q = 0; same && q < ${k * k}; q++) same = A[q] === previous[q];`);
    L.push(`        if (!same) { ({ P, Q } = H.propagators(A, ${k}, h)); previous.set(A); }`);
    g.rows.forEach((_, r) => g.cols.forEach((__, c) => {
      if (!reach[r]![c]) return;
      L.push(`        __P${g.id}_${r}_${c}[i] = P[${r * k + c}];`);
      if (cNonZero[c]) L.push(`        __Q${g.id}_${r}_${c}[i] = Q[${r * k + c}];`);
    }));
    L.push("      }");
    L.push("    }");
  }
  L.push("  }");

  /** The update() function; with `consts` set, population-uniform values are folded in. */
  const updateFunction = (): string[] => {
    const { updateLines, handlerLines, conditionLines } = lowerBodies();
    const U: string[] = [];
    U.push("  function update(origin, from, to, io) {");
    U.push("    const slots = io.ringSlots, out = io.out, rng = io.rng;");
    spikePorts.forEach((p, k) => {
      U.push(`    const ring_${p.name} = io.spikeRings[${k}];`);
    });
    const countPorts = spikePorts.filter((p) => needsCount.has(p.name));
    for (const p of countPorts) U.push(`    const count_${p.name} = io.countRings[${spikePorts.indexOf(p)}];`);
    currentPorts.forEach((p, k) => U.push(`    const cur_${p.name} = io.currentRings[${k}];`));
    U.push("    for (let lag = from; lag < to; lag++) {");
    U.push("      const step = origin + lag, t = step * dt, base = (step % slots) * n;");
    U.push("      for (let i = 0; i < n; i++) {");
    U.push("        const j = base + i;");
    if (spikePorts.length) U.push("        // 1. spikes arriving in this step");
    for (const p of spikePorts) {
      U.push(`        const w_${p.name} = ring_${p.name}[j]; ring_${p.name}[j] = 0;`);
      U.push(`        const sp_${p.name} = ${p.scale === 1 ? `w_${p.name}` : `w_${p.name} * ${p.scale}`};${p.typed ? "" : " // untyped port: weight per second, in 1/ms"}`);
      if (needsCount.has(p.name)) U.push(`        const n_${p.name} = count_${p.name}[j]; count_${p.name}[j] = 0;`);
    }
    for (const p of currentPorts.filter((q) => ratePorts.has(q.name))) {
      U.push(`        in_${p.name}[i] = cur_${p.name}[j]${p.scale !== 1 ? ` * ${p.scale}` : ""}; cur_${p.name}[j] = 0; // rate port: used in this step`);
    }
    const emits = m.emitsSpikes || flush || eprop;
    if (emits) U.push("        let spiked = 0;");
    if (kernelGroup) {
      U.push("        // 2. kernel states: values at the end of this step (assigned after the handlers)");
      const g = kernelGroup;
      const reach = reachability(g);
      g.rows.forEach((s, r) => {
        const terms = g.cols.map((c, ci) => (reach[r]![ci] ? `${cell(`__P${g.id}_${r}_${ci}`)} * ${arr(c)}[i]` : undefined)).filter(Boolean);
        U.push(`        const next_${arr(s)} = ${terms.join(" + ")};`);
      });
    }
    if (updateLines.length) {
      U.push("        // 3. update block");
      U.push(...updateLines);
    }
    if (handlerLines.length) {
      U.push("        // 4. onReceive handlers (descending priority)");
      U.push(...handlerLines);
    }
    if (kernelGroup || sys.deltaJumps.length) {
      U.push("        // 5. kernel states assigned, then this step's spikes applied");
      for (const s of kernelStates) {
        const jump = jumpArrays.filter((j) => j.state === s);
        const port = m.ports.find((p) => p.name === jump[0]?.port);
        const w = port ? (port.typed ? `sp_${port.name}` : `w_${port.name}`) : "0";
        U.push(`        ${arr(s)}[i] = next_${arr(s)}${jump.length ? ` + ${w} * ${cell(jump[0]!.array)}` : ""};`);
      }
      for (const d of sys.deltaJumps) {
        const port = m.ports.find((p) => p.name === d.port)!;
        const w = port.typed ? `sp_${port.name}` : `w_${port.name}`;
        const sc = m.vars.get(d.state)?.storageScale ?? 1;
        U.push(`        ${arr(d.state)}[i] += ${w} * ${printJs(resolve(d.coefficient), refs, calls)}${sc !== 1 ? ` / ${sc}` : ""}; // delta kernel`);
      }
    }
    if (eprop) {
      U.push("        // 6. e-prop point (after the membrane update, before threshold/reset)");
      U.push(...epropLines(eprop, (x) => printJs(resolve(x), refs, calls)));
    }
    if (conditionLines.length) {
      U.push("        // 7. onCondition blocks");
      U.push(...conditionLines);
    }
    if (eprop?.role === "recurrent") U.push("        __eprop_z[i] = spiked;");
    if (flush) {
      U.push("        // 8. flush rule: after flush_event_send_interval without any event (only once spiked)");
      U.push("        if (spiked) __last_event_step[i] = step;");
      U.push(`        else if (__last_event_step[i] > 0 && step - __last_event_step[i] >= ${cell("__flush_steps")}) {`);
      U.push("          out.push(i, lag, 1, true);");
      U.push("          __last_event_step[i] = step;");
      U.push("        }");
    }
    if (currentPorts.some((p) => !ratePorts.has(p.name))) {
      U.push("        // 9. continuous inputs: used in the next step (NEST's CurrentEvent timing)");
      for (const p of currentPorts.filter((q) => !ratePorts.has(q.name))) U.push(`        in_${p.name}[i] = cur_${p.name}[j]${p.scale !== 1 ? ` * ${p.scale}` : ""}; cur_${p.name}[j] = 0;`);
    }
    U.push("      }");
    if (eprop) U.push("      if (io.eprop) io.eprop.afterStep(step);");
    U.push("    }");
    U.push("  }");
    return U;
  };
  L.push("");
  L.push(...updateFunction());

  // read
  L.push("");
  L.push("  function read(name, i) {");
  L.push("    switch (name) {");
  for (const inl of recordableInlines) {
    if (mentions(toIr(inl.expr, { model: m, locals: new Set() }), (r) => r.kind === "spikePort")) continue; // port values exist only inside a step
    const u = typeInfo(inl.type).unit;
    const v = u && !isDimensionless(u) ? tidy(toKernelScale(u, { ratesInHz: false }) / toKernelScale(u)) : 1;
    const ir = resolve(toIr(inl.expr, { model: m, locals: new Set() }));
    L.push(`      case ${JSON.stringify(inl.name.name)}: return ${printJs(ir, readRefs, calls)}${v !== 1 ? ` / ${v}` : ""};`);
  }
  const epropRecordables = eprop ? epropRecordableMap(eprop) : {};
  for (const [rec, a] of Object.entries(epropRecordables)) L.push(`      case ${JSON.stringify(rec)}: return ${arr(a)}[i];`);
  L.push("      default: { const a = arrays[name]; return a ? a[i] : NaN; }");
  L.push("    }");
  L.push("  }");
  L.push("");
  L.push("  return { n, arrays, prepare, update, read };");
  L.push("};");
  const generatedSource = L.join("\n");

  let factory: (n: number) => NeuronPopulation;
  try {
    factory = new Function("H", generatedSource)(HELPERS) as (n: number) => NeuronPopulation;
  } catch (e) {
    throw new CompileError(`internal: generated code for ${name} does not compile: ${(e as Error).message}`, m.decl.range, "INTERNAL");
  }

  // ---- specialization: fold population-uniform parameters, internals and propagators -------------
  // prepare() checks which of these arrays hold one value across the population; update() is then
  // re-generated with those values as literals (cached per value set), so `E_L / tau_m` and P·x with
  // constant P compile to constants. The generic kernel above stays the readable reference.
  const foldable = [
    ...storage.filter((v) => (v.block === "parameters" || v.block === "internals") && !sizeOf.has(v.name)).map((v) => v.name),
    ...hidden.filter((h) => /^__(P|Q|J_|kJ_|kC_|flush_steps)/.test(h)),
  ];
  const aliases = [
    ...storage.map((v) => v.name),
    ...hidden,
  ].map((nm) => `  const ${arr(nm)} = arrays[${JSON.stringify(nm)}];`);
  for (const p of currentPorts) aliases.push(`  const in_${p.name} = arrays["__in_${p.name}"];`);
  for (const g of numeric) if (sys.solver === "rk45") aliases.push(`  const HINT${g.id} = arrays["__hint${g.id}"];`);
  const specializedSource = (values: Map<string, number>, dt: number): string => {
    consts = values;
    try {
      return [
        `// ${name}: update() specialized for population-uniform values (${values.size} folded).`,
        '"use strict";',
        `const dt = ${numberLit(dt)};`,
        ...aliases,
        ...scratchLines,
        ...functionLines,
        ...derivLines,
        ...updateFunction(),
        "return update;",
      ].join("\n");
    } finally {
      consts = null;
    }
  };
  type UpdateFn = NeuronPopulation["update"];
  const cache = new Map<string, (H: unknown, arrays: Record<string, Float64Array>, n: number) => UpdateFn>();
  const sources = new Map<string, string>();
  const specialize = (
    arrays: Readonly<Record<string, Float64Array>>, n: number, dt: number, previousKey: string | undefined,
  ): { update?: UpdateFn; source: string; key: string } | undefined => {
    if (n === 0) return undefined;
    const values = new Map<string, number>();
    for (const nm of foldable) {
      const a = arrays[nm];
      if (!a) continue;
      const v = a[0]!;
      if (!Number.isFinite(v) && !(v === Infinity || v === -Infinity)) continue;
      let uniform = true;
      for (let i = 1; i < n; i++) {
        if (a[i] !== v) {
          uniform = false;
          break;
        }
      }
      if (uniform) values.set(nm, v);
    }
    const key = `${dt}|${[...values].map(([k, v]) => `${k}=${v}`).join(",")}`;
    // Same values as at the last prepare: keep the warm (already optimized) closure.
    if (key === previousKey && sources.has(key)) return { source: sources.get(key)!, key };
    let make = cache.get(key);
    if (!make) {
      if (cache.size >= 32) {
        cache.clear(); // parameters that keep changing: stay bounded
        sources.clear();
      }
      const src = specializedSource(values, dt);
      make = new Function("H", "arrays", "n", src) as (H: unknown, arrays: Record<string, Float64Array>, n: number) => UpdateFn;
      cache.set(key, make);
      sources.set(key, src);
    }
    return { update: make(HELPERS, arrays as Record<string, Float64Array>, n), source: sources.get(key)!, key };
  };

  const variables: VariableSpec[] = storage.map((v) => ({
    name: v.name,
    kind: v.block === "parameters" ? "parameter" : v.block === "state" ? "state" : "internal",
    type: v.type,
    unit: v.unitName,
    defaultValue: defaults.get(v.name) ?? 0,
    ...(v.vectorSize ? { vectorSize: sizeOf.get(v.name) } : {}),
    visible: v.block !== "internals" && !v.hidden && !v.name.startsWith("__"),
    ...(v.enumValues ? { enumValues: v.enumValues } : {}),
  }));
  const recordables = [
    ...storage.filter((v) => v.block === "state" && !v.hidden).map((v) => v.name),
    ...recordableInlines.map((d) => d.name.name),
    ...Object.keys(epropRecordables),
  ];
  // Receptors: qualified spike ports share receptor 0; a single unqualified spike port is receptor 0,
  // several are numbered from 1 (NESTML's receptor_types); continuous ports count from 0 separately.
  const unqualified = spikePorts.filter((p) => !p.qualifier);
  const many = unqualified.length > 1 || (unqualified.length > 0 && spikePorts.some((p) => p.qualifier));
  let sr = 0;
  let cr = 0;
  const fixedPorts: PortSpec[] = m.ports.map((p) => {
    const receptor = p.kind === "continuous" ? cr++ : p.qualifier ? 0 : many ? ++sr : sr++;
    return {
      name: p.name, kind: p.kind, receptor, ...(p.qualifier ? { qualifier: p.qualifier } : {}),
      needsCount: needsCount.has(p.name) || handlerPorts.has(p.name), unit: p.unitName,
      ...(ratePorts.has(p.name) ? { readAtStepStart: true } : {}),
    };
  });
  const validate = makeValidator(m, source, eprop !== undefined, flush);
  return {
    kind: "neuron",
    name,
    variables,
    recordables,
    validate,
    generatedSource,
    ports: fixedPorts,
    emitsSpikes: m.emitsSpikes,
    ...(eprop ? {
      eprop: {
        role: eprop.role, settings: eprop.settings, bindings: eprop.bindingText, bindingVariables: eprop.bindingVariables,
      },
    } : {}),
    ...(flush ? { flushParameter: "flush_event_send_interval" } : {}),
    receptorCount: Math.max(1, sr, cr),
    instantiate(n: number): NeuronPopulation {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`instantiate: n must be a non-negative integer, got ${n}`);
      const pop = factory(n);
      let current = pop.update;
      let source: string | undefined;
      let key: string | undefined;
      return {
        n: pop.n,
        arrays: pop.arrays,
        read: pop.read,
        get specializedSource() {
          return source;
        },
        prepare(dt: number): void {
          pop.prepare(dt);
          const s = specialize(pop.arrays, n, dt, key);
          if (!s) current = pop.update;
          else if (s.update) current = s.update;
          source = s?.source;
          key = s?.key;
        },
        update(origin: number, from: number, to: number, io: PopulationIO): void {
          current(origin, from, to, io);
        },
      };
    },
  };
}

function priority(h: { args: readonly { name: { name: string }; value: Expression }[] }): number {
  const a = h.args.find((x) => x.name.name === "priority");
  if (!a) return 0;
  return a.value.kind === "NumberLiteral" ? a.value.value : a.value.kind === "Unary" && a.value.operand.kind === "NumberLiteral" ? -a.value.operand.value : 0;
}

function numberLit(v: number): string {
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Number.isNaN(v)) return "NaN";
  return String(v);
}

/** reach[r][c]: P_rc (and Q_rc) can be non-zero, i.e. col c influences row r through A (or r = c). */
function reachability(g: Group): boolean[][] {
  const k = g.cols.length;
  const adj: boolean[][] = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => {
    if (r === c) return true;
    const a = g.A?.[r]?.[c];
    return a !== undefined && !(a.k === "num" && a.v === 0);
  }));
  // Transitive closure (Floyd–Warshall on booleans).
  for (let m = 0; m < k; m++) for (let r = 0; r < k; r++) if (adj[r]![m]) for (let c = 0; c < k; c++) if (adj[m]![c]) adj[r]![c] = true;
  return g.rows.map((_, r) => adj[r]!);
}

function epropRecordableMap(e: EpropInfo): Record<string, string> {
  return e.role === "recurrent"
    ? { surrogate_gradient: "__eprop_psi", learning_signal: "__eprop_learning_signal", eprop_history_duration: "__eprop_history_duration" }
    : { readout_signal: "__eprop_readout", target_signal: "__eprop_target", error_signal: "__eprop_err", eprop_history_duration: "__eprop_history_duration" };
}

function epropLines(e: EpropInfo, print: (x: Ir) => string): string[] {
  const L: string[] = [];
  if (e.role === "recurrent") {
    const refractory = e.bindings.get("refractory");
    L.push(`        { const d = ${print(e.bindings.get("membrane")!)} - (${print(e.bindings.get("threshold")!)});`);
    L.push("          const hgt = surrogate_gradient_height[i], wid = surrogate_gradient_width[i];");
    L.push("          let psi = 0;");
    L.push(`          if (!(${refractory ? print(refractory) : "false"})) {`);
    L.push("            switch (surrogate_gradient_function[i]) {");
    L.push("              case 0: psi = hgt * Math.max(0, 1 - Math.abs(d) / wid); break; // piecewise_linear");
    L.push("              case 1: psi = hgt * Math.exp(-Math.abs(d) / wid); break; // exponential");
    L.push("              case 2: { const q = 1 + Math.abs(d) / wid; psi = hgt / (q * q); break; } // fast_sigmoid_derivative");
    L.push("              default: psi = hgt / (1 + (d / wid) * (d / wid)); // arctan_derivative");
    L.push("            }");
    L.push("          }");
    L.push("          __eprop_psi[i] = psi;");
    L.push("        }");
  } else {
    const get = (k: string) => (e.bindings.has(k) ? print(e.bindings.get(k)!) : "0");
    L.push(`        __eprop_readout[i] = ${get("readout_signal")};`);
    L.push(`        __eprop_target[i] = ${get("target_signal")};`);
    L.push(`        __eprop_err[i] = ${get("error")};`);
  }
  return L;
}

export { walkStatements, storageName };
