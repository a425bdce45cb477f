/**
 * The `eprop:` and `flush:` extension blocks of a neuron: NEST-named keys become parameters of the
 * model (with NEST's defaults when absent), binding keys become expressions the kernel evaluates at
 * the e-prop point of each step (see runtime/model-abi.ts, "E-prop hooks").
 */
import type { Expression, SettingsBlock } from "../ast.js";
import { DIMENSIONLESS } from "../units/dimension.js";
import { lookupUnit } from "../units/registry.js";
import { num, type Ir } from "./ir.js";
import { CompileError, toIr, type ModelInfo, type VarInfo } from "./model-info.js";

export const SURROGATE_FUNCTIONS = ["piecewise_linear", "exponential", "fast_sigmoid_derivative", "arctan_derivative"] as const;

interface ParamDef {
  readonly unit: string;
  readonly storageScale: number;
  readonly fallback: number;
}

const EPROP_PARAMS: Record<string, ParamDef> = {
  surrogate_gradient_height: { unit: "1", storageScale: 1, fallback: 0.3 },
  surrogate_gradient_width: { unit: "mV", storageScale: 1, fallback: 1 },
  kappa: { unit: "1", storageScale: 1, fallback: 0.97 },
  kappa_reg: { unit: "1", storageScale: 1, fallback: 0.97 },
  c_reg: { unit: "1", storageScale: 1, fallback: 0 },
  f_target: { unit: "Hz", storageScale: 1e-3, fallback: 10 },
  eprop_isi_trace_cutoff: { unit: "ms", storageScale: 1, fallback: Infinity },
};

const READOUT_PARAMS = new Set(["eprop_isi_trace_cutoff"]);

export const BINDING_KEYS = ["membrane", "threshold", "refractory", "adaptation", "adapt_beta", "adapt_tau", "error", "readout_signal", "target_signal"];

export interface EpropInfo {
  readonly role: "recurrent" | "readout";
  readonly settings: Record<string, number | string>;
  readonly bindings: Map<string, Ir>;
  readonly bindingText: Record<string, string>;
  readonly bindingVariables: Record<string, string>;
}

function synthParam(name: string, unit: string, storageScale: number, value: number, enumValues?: readonly string[]): VarInfo {
  return {
    name, block: "parameters", type: enumValues ? "integer" : "real", unit: unit === "1" ? DIMENSIONLESS : lookupUnit(unit === "Hz" ? "Hz" : unit),
    unitName: unit, storageScale, recordable: false, decorators: [], range: undefined, initIr: num(value), enumValues,
  };
}

function sourceText(source: string | undefined, e: Expression): string {
  return source ? source.slice(e.range.start.offset, e.range.end.offset) : "";
}

/** Adds the extension parameters to `m.vars`; returns the e-prop description (if any). */
export function applyExtensions(m: ModelInfo, evalConst: (x: Ir) => number, source?: string): { eprop?: EpropInfo; flush: boolean } {
  const add = (v: VarInfo) => {
    if (!m.vars.has(v.name)) {
      m.vars.set(v.name, v);
      m.order.push(v);
    }
  };
  let flush = false;
  const flushBlock = m.settings.get("flush");
  if (flushBlock) {
    flush = true;
    let interval = Infinity;
    for (const e of flushBlock.entries) {
      if (e.kind === "Setting" && e.key.name === "interval") interval = evalConst(toIr(e.value, { model: m, locals: new Set() }));
    }
    add(synthParam("flush_event_send_interval", "ms", 1, interval));
  }
  const block = m.settings.get("eprop");
  if (!block) return { flush };
  return { eprop: epropInfo(m, block, evalConst, add, source), flush };
}

function epropInfo(m: ModelInfo, block: SettingsBlock, evalConst: (x: Ir) => number, add: (v: VarInfo) => void, source?: string): EpropInfo {
  const scope = { model: m, locals: new Set<string>() };
  let role: "recurrent" | "readout" = "recurrent";
  let surrogate = "piecewise_linear";
  const values = new Map<string, number>();
  const bindings = new Map<string, Ir>();
  const bindingText: Record<string, string> = {};
  const bindingVariables: Record<string, string> = {};
  for (const e of block.entries) {
    if (e.kind !== "Setting") continue;
    const key = e.key.name;
    const v = e.value;
    if (key === "role") {
      if (v.kind === "VariableRef" && (v.name === "recurrent" || v.name === "readout")) role = v.name;
      else throw new CompileError("eprop role must be recurrent or readout", v.range);
    } else if (key === "surrogate_gradient_function") {
      const name = v.kind === "VariableRef" ? v.name : v.kind === "Call" ? v.callee.name : v.kind === "StringLiteral" ? v.value : "";
      if (!(SURROGATE_FUNCTIONS as readonly string[]).includes(name)) throw new CompileError(`unknown surrogate gradient function '${name}'`, v.range);
      surrogate = name;
      if (v.kind === "Call") {
        for (const kw of v.keywordArgs) {
          const k = kw.name.name === "height" || kw.name.name === "width" ? `surrogate_gradient_${kw.name.name}` : kw.name.name;
          const def = EPROP_PARAMS[k];
          if (def) values.set(k, evalConst(toIr(kw.value, scope)) / def.storageScale);
        }
      }
    } else if (EPROP_PARAMS[key]) {
      values.set(key, evalConst(toIr(v, scope)) / EPROP_PARAMS[key]!.storageScale);
    } else if (BINDING_KEYS.includes(key)) {
      bindings.set(key, toIr(v, scope));
      bindingText[key] = sourceText(source, v);
      if (v.kind === "VariableRef" && v.order === 0 && !v.index && m.vars.has(v.name)) bindingVariables[key] = v.name;
    }
  }
  const settings: Record<string, number | string> = { surrogate_gradient_function: surrogate };
  if (role === "recurrent") {
    add(synthParam("surrogate_gradient_function", "1", 1, SURROGATE_FUNCTIONS.indexOf(surrogate as never), SURROGATE_FUNCTIONS));
  } else delete settings.surrogate_gradient_function;
  for (const [k, def] of Object.entries(EPROP_PARAMS)) {
    if (role === "readout" && !READOUT_PARAMS.has(k)) continue;
    const value = values.get(k) ?? def.fallback;
    settings[k] = value;
    add(synthParam(k, def.unit, def.storageScale, value));
  }
  if (role === "recurrent") {
    for (const k of ["membrane", "threshold"]) {
      if (!bindings.has(k)) throw new CompileError(`eprop block of a recurrent neuron needs '${k} = ...'`, block.range);
    }
  } else {
    for (const k of ["error"]) if (!bindings.has(k)) throw new CompileError(`eprop block of a readout needs '${k} = ...'`, block.range);
  }
  return { role, settings, bindings, bindingText, bindingVariables };
}
