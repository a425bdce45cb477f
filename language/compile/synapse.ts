/**
 * Synapse code generation: event-driven, as NEST runs NESTML synapses (nestml.md §2.6). Nothing runs
 * between events. When a presynaptic spike at t_spike crosses connection k:
 *   1. for every postsynaptic spike t_p in (t_last − d, t_spike − d] (d = dendritic delay): advance the
 *      synapse to t_p + d (the `update:` block with timestep() = the interval; ODEs integrated exactly
 *      with propagators for that interval) and run `onReceive(post_spikes)`;
 *   2. advance to t_spike and run `onReceive(pre_spikes)`; `emit_spike(w)` sets the weight transmitted.
 */
import type { Expression } from "../ast.js";
import type { EpropSynapseSpec, SynapseModel, SynapsePopulation, VariableSpec } from "../../runtime/model-abi.js";
import { lowerBody, printCall, expr, localName, type BodyContext } from "./body.js";
import { computeDefaults, makeValidator, safeName } from "./common.js";
import { HELPERS } from "./helpers.js";
import type { Ir } from "./ir.js";
import { CompileError, toIr, type ModelInfo, type VarInfo } from "./model-info.js";
import { analyzeOdes, linearize, resolveConvolutionsIn } from "./odes.js";
import { evalIr, printJs, type RefPrinter } from "./printer.js";

const EPS = 1e-6; // ms: NEST compares spike times on a 1 µs tic grid

export function compileSynapse(m: ModelInfo, source?: string): SynapseModel {
  const defaults = computeDefaults(m);
  const sys = analyzeOdes(m, (x) => evalIr(x, (r) => defaults.get(r.name) ?? NaN));
  if (sys.kernelCopies.length || sys.deltaJumps.length) {
    throw new CompileError("convolve() in synapse models is not supported yet; use an ODE for the trace", m.decl.range);
  }
  const weightVariable = findWeight(m);
  if (!m.vars.has(weightVariable)) {
    const v: VarInfo = { name: weightVariable, block: "parameters", type: "real", unit: undefined, unitName: "1", storageScale: 1, recordable: false, decorators: [], range: undefined, initIr: { k: "num", v: 1 } };
    m.vars.set(weightVariable, v);
    m.order.push(v);
    defaults.set(weightVariable, 1);
  }
  const arr = safeName;
  const pre = m.onReceive.find((h) => h.port.name === "pre_spikes");
  const post = m.onReceive.find((h) => h.port.name === "post_spikes");
  const portScale = new Map(m.ports.map((p) => [p.name, p.scale]));

  const refs: RefPrinter = (r, print) => {
    switch (r.kind) {
      case "state": case "parameter": case "internal": return r.index ? `${arr(r.name)}[k][${print(r.index)}]` : `${arr(r.name)}[k]`;
      case "local": return r.index ? `${localName(r.name)}[${print(r.index)}]` : localName(r.name);
      case "spikePort": return `${portScale.get(r.name) ?? 1}`; // one spike per handler run
      case "currentPort": throw new CompileError(`continuous port ${r.name} is not supported in synapses yet`, undefined);
      case "time": return "tNow";
      case "kernelTime": return "tk";
    }
  };
  const calls = (fn: string, args: string[]): string | undefined => {
    switch (fn) {
      case "timestep": return "hStep";
      case "resolution": return "dt";
      case "steps": return `H.steps(${args[0]}, dt)`;
      case "random_normal": return `(${args[0]} + ${args[1]} * rng.normal())`;
      case "random_uniform": return `(${args[0]} + (${args[1]} - ${args[0]}) * rng.uniform())`;
      case "random_poisson": return `rng.poisson(${args[0]})`;
      default: return m.functions.has(fn) ? `fn_${fn}(k${args.map((a) => `, ${a}`).join("")})` : undefined;
    }
  };
  const resolve = (x: Ir) => resolveConvolutionsIn(sys, x);
  const integrate = (rows: string[], indent: string): string[] => integrateLines(m, sys.rhs, rows, indent, refs, calls);
  const ctx: BodyContext = {
    model: m, refs, calls, resolve,
    target: (name, idx) => (idx !== undefined ? `${arr(name)}[k][${idx}]` : `${arr(name)}[k]`),
    statementCall: (fn, args, locals, indent) => {
      switch (fn) {
        case "integrate_odes": {
          const rows = args.length === 0 ? [...sys.states] : sys.states.filter((s) => args.some((a) => a.kind === "VariableRef" && (s === a.name || s.startsWith(`${a.name}__d`))));
          return integrate(rows, indent);
        }
        case "emit_spike":
          return [`${indent}emitted = ${args[0] ? expr(ctx, args[0], locals) : `${arr(weightVariable)}[k]`};`];
        case "print": case "println":
          return [`${indent}${printCall(ctx, args, locals, fn === "println")};`];
        default: return undefined;
      }
    },
  };
  const updateLines = m.update ? lowerBody(ctx, m.update.body, new Set(), "    ") : sys.states.length ? integrate([...sys.states], "    ") : [];

  const L: string[] = [];
  L.push(`// Spikelab event-driven synapse \`${m.name}\` (generated, deterministic; do not edit).`);
  L.push("// Runs only when a presynaptic spike crosses connection k: replay postsynaptic spikes in");
  L.push("// (t_last - d, t_spike - d], then onReceive(pre_spikes); ODEs are integrated exactly between events.");
  L.push('"use strict";');
  L.push("return function instantiate(count) {");
  L.push("  const arrays = {};");
  L.push("  const vec = (name, value) => (arrays[name] = new Float64Array(count).fill(value));");
  for (const v of m.order) L.push(`  const ${arr(v.name)} = vec(${JSON.stringify(v.name)}, ${num(defaults.get(v.name) ?? 0)});${v.unitName !== "1" ? ` // ${v.unitName}` : ""}`);
  L.push("  const __t_last = vec(\"__t_last\", 0); // ms, time of the previous presynaptic spike (NEST's t_lastspike_)");
  L.push("  let dt = NaN;");
  L.push("  // random_*() draw from the stream the kernel hands over (setRandom); a fixed-seed fallback keeps runs reproducible");
  L.push("  let rng = H.fallbackRandom();");
  for (const [name, f] of m.functions) {
    const params = f.parameters.map((p) => p.name.name);
    L.push(`  function fn_${name}(k${params.map((p) => `, ${localName(p)}`).join("")}) {`);
    L.push(...lowerBody(ctx, f.body, new Set(params), "    "));
    L.push("  }");
  }
  L.push("");
  L.push("  // update: block, run for the interval [tNow, tNow + hStep]");
  L.push("  function advance(k, tNow, hStep) {");
  L.push(...updateLines);
  L.push("  }");
  L.push("");
  L.push("  function prepare(h) {");
  L.push("    dt = h;");
  const internals = m.order.filter((v) => v.block === "internals" && v.init);
  if (internals.length) {
    L.push("    for (let k = 0; k < count; k++) {");
    for (const v of internals) L.push(`      ${arr(v.name)}[k] = ${printJs(resolve(toIr(v.init!, { model: m, locals: new Set() })), refs, calls)};`);
    L.push("    }");
  }
  L.push("  }");
  L.push("");
  L.push("  function onPreSpike(k, tSpike, post, postCount, d) {");
  L.push("    const tLast = __t_last[k], hStep = dt; // timestep() inside handlers: the resolution");
  L.push("    let tNow = tLast, emitted = NaN;");
  if (post) {
    L.push("    // postsynaptic spikes since the previous presynaptic spike, seen through the dendritic delay");
    L.push("    for (let q = 0; q < postCount; q++) {");
    L.push(`      const tp = post[q];`);
    L.push(`      if (tp <= tLast - d + ${EPS} || tp > tSpike - d + ${EPS}) continue;`);
    L.push("      if (tp + d > tNow) { advance(k, tNow, tp + d - tNow); tNow = tp + d; }");
    L.push("      { // onReceive(post_spikes)");
    L.push(...lowerBody(ctx, post.body, new Set(), "        "));
    L.push("      }");
    L.push("    }");
  }
  L.push("    if (tSpike > tNow) { advance(k, tNow, tSpike - tNow); }");
  L.push("    tNow = tSpike;");
  if (pre) {
    L.push("    { // onReceive(pre_spikes)");
    L.push(...lowerBody(ctx, pre.body, new Set(), "      "));
    L.push("    }");
  } else L.push(`    emitted = ${arr(weightVariable)}[k];`);
  L.push("    __t_last[k] = tSpike;");
  L.push("    return emitted;");
  L.push("  }");
  L.push("");
  L.push("  function reset(k) {");
  for (const v of m.order) if (v.block !== "internals") L.push(`    ${arr(v.name)}[k] = ${num(defaults.get(v.name) ?? 0)};`);
  L.push("    __t_last[k] = 0;");
  L.push("  }");
  L.push("");
  L.push("  function setRandom(r) { rng = r; }");
  L.push("  return { count, arrays, prepare, onPreSpike, reset, setRandom };");
  L.push("};");
  const generatedSource = L.join("\n");
  let factory: (count: number) => SynapsePopulation;
  try {
    factory = new Function("H", generatedSource)(HELPERS) as (count: number) => SynapsePopulation;
  } catch (e) {
    throw new CompileError(`internal: generated code for ${m.name} does not compile: ${(e as Error).message}`, m.decl.range, "INTERNAL");
  }
  const variables: VariableSpec[] = m.order.map((v) => ({
    name: v.name,
    kind: v.block === "parameters" ? "parameter" : v.block === "state" ? "state" : "internal",
    type: v.type,
    unit: v.unitName,
    defaultValue: defaults.get(v.name) ?? 0,
    visible: v.block !== "internals" && !v.name.startsWith("__"),
  }));
  return {
    kind: "synapse",
    name: m.name,
    variables,
    recordables: m.order.filter((v) => v.block === "state").map((v) => v.name),
    validate: makeValidator(m, source, false, false),
    generatedSource,
    weightVariable,
    needsPostSpikes: post !== undefined || m.ports.some((p) => p.name === "post_spikes"),
    isEprop: m.settings.has("eprop"),
    ...(m.settings.has("eprop") ? { eprop: epropSynapseSpec(m, weightVariable, defaults) } : {}),
    instantiate(count: number): SynapsePopulation {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`instantiate: count must be a non-negative integer, got ${count}`);
      return factory(count);
    },
  };
}

/** The `eprop:` block of a synapse: gradient kind, weight variable, optimizer defaults (NEST names). */
function epropSynapseSpec(m: ModelInfo, weightVariable: string, defaults: Map<string, number>): EpropSynapseSpec {
  const block = m.settings.get("eprop")!;
  let gradient = "eprop";
  const optimizer: Record<string, number | string | boolean> = {
    type: "gradient_descent", eta: 1e-4, batch_size: 1, optimize_each_step: true, Wmin: -100, Wmax: 100,
    beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7,
  };
  const value = (e: Expression): number | string | boolean => {
    if (e.kind === "VariableRef" && !m.vars.has(e.name)) return e.name;
    if (e.kind === "BooleanLiteral") return e.value;
    if (e.kind === "StringLiteral") return e.value;
    return evalIr(toIr(e, { model: m, locals: new Set() }), (r) => defaults.get(r.name) ?? NaN);
  };
  for (const e of block.entries) {
    if (e.kind === "Setting" && e.key.name === "gradient") gradient = String(value(e.value));
    if (e.kind === "SettingsBlock" && e.name.name === "optimizer") {
      for (const o of e.entries) if (o.kind === "Setting") optimizer[o.key.name] = value(o.value);
    }
  }
  return { gradient, weightVariable, optimizer };
}

function findWeight(m: ModelInfo): string {
  const ep = m.settings.get("eprop");
  const w = ep?.entries.find((e) => e.kind === "Setting" && e.key.name === "weight");
  if (w && w.kind === "Setting" && w.value.kind === "VariableRef") return w.value.name;
  for (const v of m.order) if (v.decorators.includes("nest::weight")) return v.name;
  if (m.vars.has("w")) return "w";
  return "weight";
}

function num(v: number): string {
  return v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : String(v);
}

/**
 * Exact propagation over a variable interval hStep: diagonal systems (independent decays, the usual
 * traces) get closed forms; coupled linear systems call the matrix exponential; others use RK45.
 */
function integrateLines(m: ModelInfo, rhs: Map<string, Ir>, rows: string[], indent: string, refs: RefPrinter, calls: (fn: string, args: string[]) => string | undefined): string[] {
  const arr = safeName;
  const lin = linearize((n) => rhs.get(n), rows);
  const L = [`${indent}{ // integrate_odes(${rows.join(", ")}) over hStep`];
  const ii = indent + "  ";
  if (lin) {
    const diagonal = lin.A.every((row, r) => row.every((a, c) => r === c || (a.k === "num" && a.v === 0)));
    if (diagonal) {
      rows.forEach((s, r) => {
        const a = printJs(lin.A[r]![r]!, refs, calls);
        const c = lin.c[r]!;
        const cZero = c.k === "num" && c.v === 0;
        L.push(`${ii}{ const a = ${a}, p = Math.exp(a * hStep);`);
        if (cZero) L.push(`${ii}  ${arr(s)}[k] = p * ${arr(s)}[k]; }`);
        else L.push(`${ii}  ${arr(s)}[k] = p * ${arr(s)}[k] + (a === 0 ? hStep : Math.expm1(a * hStep) / a) * (${printJs(c, refs, calls)}); }`);
      });
    } else {
      const n = rows.length;
      L.push(`${ii}const A = new Float64Array(${n * n});`);
      lin.A.forEach((row, r) => row.forEach((a, c) => {
        if (!(a.k === "num" && a.v === 0)) L.push(`${ii}A[${r * n + c}] = ${printJs(a, refs, calls)};`);
      }));
      L.push(`${ii}const { P, Q } = H.propagators(A, ${n}, hStep);`);
      L.push(`${ii}const x = [${rows.map((s) => `${arr(s)}[k]`).join(", ")}], c = [${lin.c.map((c) => printJs(c, refs, calls)).join(", ")}];`);
      rows.forEach((s, r) => {
        L.push(`${ii}${arr(s)}[k] = ${rows.map((_, c) => `P[${r * n + c}] * x[${c}] + Q[${r * n + c}] * c[${c}]`).join(" + ")};`);
      });
    }
  } else {
    const index = new Map(rows.map((s, i) => [s, i]));
    const dref: RefPrinter = (r, print) => (r.kind === "state" && index.has(r.name) ? `y[${index.get(r.name)}]` : r.kind === "time" ? "tt" : refs(r, print));
    L.push(`${ii}const y = Float64Array.of(${rows.map((s) => `${arr(s)}[k]`).join(", ")});`);
    L.push(`${ii}const f = (k, tt, y, dy) => { ${rows.map((s, i) => `dy[${i}] = ${printJs(rhs.get(s)!, dref, calls)};`).join(" ")} };`);
    L.push(`${ii}H.rk45(f, k, tNow, y, hStep, hStep, 1e-10, 1e-10, new H.OdeScratch(${rows.length}));`);
    rows.forEach((s, i) => L.push(`${ii}${arr(s)}[k] = y[${i}];`));
  }
  L.push(`${indent}}`);
  return L;
}

export type { ModelInfo };
