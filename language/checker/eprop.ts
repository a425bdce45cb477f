/**
 * Rules of the Spikelab extension blocks `eprop:` (neurons and synapses) and `flush:` (see the team
 * brief / grammar.md): known keys per role, enumerated values, units, ranges, and bindings to model
 * variables. Resolved values (in kernel units) are stored in `symbols.settings` under NEST's names.
 */
import type { Expression, Setting, SettingsBlock } from "../ast.js";
import { closestName } from "../binder/suggest.js";
import type { SettingValue } from "../binder/symbols.js";
import { hasDimension, isNumeric, typeToString, unitOfType } from "../binder/types.js";
import { isDimensionless, sameDimension, type Unit } from "../units/dimension.js";
import { kernelUnitOf } from "../units/kernel-scale.js";
import { lookupUnit } from "../units/registry.js";
import { evaluateConstant } from "./constant.js";
import type { Place } from "./context.js";
import type { ExpressionChecker } from "./expressions.js";

type Dim = "dimensionless" | "voltage" | "rate" | "time" | "any";

type Spec =
  | { readonly kind: "enum"; readonly values: readonly string[]; readonly nest?: string }
  | {
      readonly kind: "number";
      readonly dim: Dim;
      readonly nest?: string;
      readonly min?: number;
      readonly minExclusive?: boolean;
      readonly max?: number;
      readonly maxExclusive?: boolean;
      readonly integer?: boolean;
    }
  | { readonly kind: "boolean"; readonly nest?: string }
  | { readonly kind: "state" }
  | { readonly kind: "variable" }
  | { readonly kind: "expression"; readonly dim?: Dim | "membrane"; readonly boolean?: boolean }
  | { readonly kind: "block" };

export const SURROGATE_FUNCTIONS = ["piecewise_linear", "exponential", "fast_sigmoid_derivative", "arctan_derivative"] as const;

const NEURON_COMMON: Record<string, Spec> = {
  role: { kind: "enum", values: ["recurrent", "readout"], nest: "role" },
  membrane: { kind: "state" },
  eprop_isi_trace_cutoff: { kind: "number", dim: "time", min: 0, nest: "eprop_isi_trace_cutoff" },
};

const RECURRENT: Record<string, Spec> = {
  threshold: { kind: "expression", dim: "membrane" },
  refractory: { kind: "expression", boolean: true },
  surrogate_gradient_function: { kind: "enum", values: SURROGATE_FUNCTIONS, nest: "surrogate_gradient_function" },
  surrogate_gradient_height: { kind: "number", dim: "dimensionless", min: 0, minExclusive: true, nest: "surrogate_gradient_height" },
  surrogate_gradient_width: { kind: "number", dim: "voltage", min: 0, minExclusive: true, nest: "surrogate_gradient_width" },
  kappa: { kind: "number", dim: "dimensionless", min: 0, max: 1, nest: "kappa" },
  kappa_reg: { kind: "number", dim: "dimensionless", min: 0, max: 1, nest: "kappa_reg" },
  c_reg: { kind: "number", dim: "dimensionless", min: 0, nest: "c_reg" },
  f_target: { kind: "number", dim: "rate", min: 0, nest: "f_target" },
  adaptation: { kind: "state" },
  adapt_beta: { kind: "expression" },
  adapt_tau: { kind: "expression", dim: "time" },
};

const READOUT: Record<string, Spec> = {
  error: { kind: "expression" },
  readout_signal: { kind: "expression" },
  target_signal: { kind: "expression" },
};

const SYNAPSE: Record<string, Spec> = {
  gradient: { kind: "enum", values: ["eprop"], nest: "gradient" },
  weight: { kind: "variable" },
  optimizer: { kind: "block" },
};

const OPTIMIZER_COMMON: Record<string, Spec> = {
  type: { kind: "enum", values: ["gradient_descent", "adam"], nest: "optimizer.type" },
  eta: { kind: "number", dim: "dimensionless", min: 0, nest: "optimizer.eta" },
  batch_size: { kind: "number", dim: "dimensionless", min: 0, minExclusive: true, integer: true, nest: "optimizer.batch_size" },
  optimize_each_step: { kind: "boolean", nest: "optimizer.optimize_each_step" },
  Wmin: { kind: "number", dim: "any", nest: "optimizer.Wmin" },
  Wmax: { kind: "number", dim: "any", nest: "optimizer.Wmax" },
};

const ADAM: Record<string, Spec> = {
  beta_1: { kind: "number", dim: "dimensionless", min: 0, max: 1, maxExclusive: true, nest: "optimizer.beta_1" },
  beta_2: { kind: "number", dim: "dimensionless", min: 0, max: 1, maxExclusive: true, nest: "optimizer.beta_2" },
  epsilon: { kind: "number", dim: "dimensionless", min: 0, nest: "optimizer.epsilon" },
};

const FLUSH: Record<string, Spec> = {
  interval: { kind: "number", dim: "time", min: 0, minExclusive: true, nest: "flush_event_send_interval" },
};

const DIM_UNITS: Record<Exclude<Dim, "dimensionless" | "any">, { unit: Unit; name: string; kernel: string }> = {
  voltage: { unit: lookupUnit("mV")!, name: "a voltage", kernel: "mV" },
  rate: { unit: lookupUnit("Hz")!, name: "a rate", kernel: "Hz" },
  time: { unit: lookupUnit("ms")!, name: "a time", kernel: "ms" },
};

export function checkEpropSettings(x: ExpressionChecker): void {
  const s = x.ctx.symbols;
  const { eprop, flush } = s.blocks;
  if (flush) {
    if (s.isSynapse) {
      x.report.error("EPROP_NOT_APPLICABLE", flush.name, `'flush' is a neuron setting (flush_event_send_interval); synapse '${s.name}' cannot have it`);
    } else if (!s.hasSpikeOutput) {
      x.report.error("FLUSH_WITHOUT_SPIKE_OUTPUT", flush.name, `'flush' needs a model that emits spikes (add 'output:' with 'spike'): flush events travel along the spike connections`);
    }
    checkBlock(x, flush, FLUSH, {}, "flush");
  }
  if (!eprop) return;
  if (s.isSynapse) {
    const entries = checkBlock(x, eprop, SYNAPSE, {}, "eprop");
    if (!entries.has("weight")) x.report.error("EPROP_MISSING_KEY", eprop.name, `the eprop block of synapse '${s.name}' needs 'weight = <variable>' (the weight it learns)`);
    const opt = eprop.entries.find((e): e is SettingsBlock => e.kind === "SettingsBlock" && e.name.name === "optimizer");
    if (opt) {
      const typeSetting = opt.entries.find((e): e is Setting => e.kind === "Setting" && e.key.name === "type");
      const isAdam = typeSetting?.value.kind === "VariableRef" && typeSetting.value.name === "adam";
      checkBlock(x, opt, OPTIMIZER_COMMON, isAdam ? ADAM : {}, "optimizer", isAdam ? undefined : { keys: ADAM, why: "only for type = adam" });
      const wmin = s.settings.get("optimizer.Wmin");
      const wmax = s.settings.get("optimizer.Wmax");
      if (wmin?.kind === "number" && wmax?.kind === "number" && wmin.value > wmax.value) {
        x.report.error("SETTING_OUT_OF_RANGE", wmin.node, `Wmin (${wmin.value}) must not exceed Wmax (${wmax.value})`);
      }
    }
    return;
  }
  // The threshold is checked against the membrane's unit wherever the two keys appear in the block.
  const membrane = eprop.entries.find((e): e is Setting => e.kind === "Setting" && e.key.name === "membrane");
  if (membrane?.value.kind === "VariableRef") s.settings.set("membrane", { kind: "expression", node: membrane.value });
  const roleSetting = eprop.entries.find((e): e is Setting => e.kind === "Setting" && e.key.name === "role");
  const readout = roleSetting?.value.kind === "VariableRef" && roleSetting.value.name === "readout";
  const [own, other, otherName] = readout ? [READOUT, RECURRENT, "recurrent"] : [RECURRENT, READOUT, "readout"];
  if (!readout && !s.hasSpikeOutput) {
    x.report.error("EPROP_NOT_APPLICABLE", eprop.name, `a recurrent e-prop neuron must emit spikes: add 'output:' with 'spike' to model '${s.name}' (or set role = readout)`);
  }
  const entries = checkBlock(x, eprop, NEURON_COMMON, own, "eprop", { keys: other, why: `only for role = ${otherName}` });
  if (!entries.has("membrane")) x.report.error("EPROP_MISSING_KEY", eprop.name, `the eprop block needs 'membrane = <state variable>' (the membrane potential)`);
}

function checkBlock(
  x: ExpressionChecker,
  block: SettingsBlock,
  common: Record<string, Spec>,
  own: Record<string, Spec>,
  label: string,
  other?: { keys: Record<string, Spec>; why: string },
): Set<string> {
  const seen = new Map<string, Setting | SettingsBlock>();
  const place: Place = { kind: "settings", label: `the ${label} block` };
  // `surrogate_gradient_function = kind(height=..., width=...)` also sets those two keys.
  for (const entry of block.entries) {
    if (entry.kind !== "Setting" || entry.key.name !== "surrogate_gradient_function" || entry.value.kind !== "Call") continue;
    for (const kw of entry.value.keywordArgs) {
      const key = `surrogate_gradient_${kw.name.name}`;
      const explicit = block.entries.find((e): e is Setting => e.kind === "Setting" && e.key.name === key);
      if (explicit) x.report.error("EPROP_DUPLICATE_KEY", explicit.key, `'${key}' is set twice in the ${label} block (also as ${kw.name.name}= on line ${kw.range.start.line})`);
    }
  }
  for (const entry of block.entries) {
    const keyNode = entry.kind === "Setting" ? entry.key : entry.name;
    const key = keyNode.name;
    const spec = common[key] ?? own[key];
    const prev = seen.get(key);
    if (prev) {
      x.report.error("EPROP_DUPLICATE_KEY", keyNode, `'${key}' is set twice in the ${label} block (first at line ${prev.range.start.line})`);
      continue;
    }
    seen.set(key, entry);
    if (!spec) {
      if (other && key in other.keys) {
        x.report.error("EPROP_ROLE_KEY", keyNode, `'${key}' does not apply here: it is ${other.why}`);
        continue;
      }
      const guess = closestName(key, [...Object.keys(common), ...Object.keys(own)]);
      x.report.error("EPROP_UNKNOWN_KEY", keyNode, `unknown key '${key}' in the ${label} block` + (guess ? ` (did you mean '${guess}'?)` : ""));
      continue;
    }
    if (spec.kind === "block") {
      if (entry.kind !== "SettingsBlock") x.report.error("EPROP_UNKNOWN_VALUE", entry, `'${key}' is a block: write '${key}:' followed by indented settings`);
      continue;
    }
    if (entry.kind === "SettingsBlock") {
      x.report.error("EPROP_UNKNOWN_KEY", keyNode, `'${key}' is a setting, not a block: write '${key} = ...'`);
      continue;
    }
    checkValue(x, key, spec, entry.value, place);
  }
  return new Set(seen.keys());
}

function store(x: ExpressionChecker, nest: string | undefined, v: SettingValue): void {
  if (nest) x.ctx.symbols.settings.set(nest, v);
}

function checkValue(x: ExpressionChecker, key: string, spec: Spec, value: Expression, place: Place): void {
  const s = x.ctx.symbols;
  const report = x.report;
  switch (spec.kind) {
    case "enum": {
      let name: string | undefined;
      let call: import("../ast.js").Call | undefined;
      if (value.kind === "VariableRef" && value.order === 0 && !value.index) name = value.name;
      else if (value.kind === "StringLiteral") name = value.value;
      else if (value.kind === "Call" && key === "surrogate_gradient_function") {
        name = value.callee.name;
        call = value;
      }
      if (name === undefined || !spec.values.includes(name)) {
        const guess = name ? closestName(name, spec.values) : undefined;
        report.error("EPROP_UNKNOWN_VALUE", value, `'${name ?? "this expression"}' is not a valid ${key}; expected one of ${spec.values.join(", ")}` + (guess ? ` (did you mean '${guess}'?)` : ""));
        return;
      }
      store(x, spec.nest, { kind: "name", value: name, node: value });
      if (call) {
        if (call.args.length) report.error("ARGUMENT_COUNT", call, `${name}(...) takes only keyword arguments: height=..., width=...`);
        for (const kw of call.keywordArgs) {
          const k = `surrogate_gradient_${kw.name.name}`;
          const sub = RECURRENT[k];
          if (!sub || (kw.name.name !== "height" && kw.name.name !== "width")) {
            report.error("EPROP_UNKNOWN_KEY", kw.name, `unknown argument '${kw.name.name}' of ${name}() (height or width)`);
            continue;
          }
          checkValue(x, k, sub, kw.value, place);
        }
      }
      return;
    }
    case "boolean": {
      if (value.kind !== "BooleanLiteral") {
        report.error("EPROP_UNKNOWN_VALUE", value, `'${key}' must be true or false`);
        return;
      }
      store(x, spec.nest, { kind: "boolean", value: value.value, node: value });
      return;
    }
    case "state":
    case "variable": {
      if (value.kind !== "VariableRef" || value.order > 0 || value.index) {
        report.error("EPROP_NOT_STATE", value, `'${key}' must name a ${spec.kind === "state" ? "state variable" : "variable"}`);
        return;
      }
      const v = s.variables.get(value.name);
      if (!v) {
        x.resolveRef(value, place, undefined);
        return;
      }
      if (spec.kind === "state" ? v.kind !== "state" : v.kind !== "state" && v.kind !== "parameter") {
        report.error("EPROP_NOT_STATE", value, `'${key}' must be a state variable${spec.kind === "variable" ? " or parameter" : ""}, but '${value.name}' is ${v.kind === "inputPort" ? "an input port" : `a ${v.kind}`}`);
        return;
      }
      if (!isNumeric(v.type) && v.type.kind !== "error") report.error("TYPE_MISMATCH", value, `'${key}' must be numeric, but '${value.name}' is ${typeToString(v.type)}`);
      store(x, key, { kind: "expression", node: value });
      return;
    }
    case "expression": {
      const t = x.infer(value, place, undefined);
      if (t.kind === "error") return;
      if (spec.boolean) {
        if (t.kind !== "boolean") report.error("CONDITION_NOT_BOOLEAN", value, `'${key}' must be a boolean condition, but ${x.describe(value)} is ${typeToString(t)}`);
      } else if (!isNumeric(t)) {
        report.error("TYPE_MISMATCH", value, `'${key}' must be a number, not ${typeToString(t)}`);
      } else if (spec.dim === "membrane") {
        const m = s.settings.get("membrane");
        const mv = m && m.node.kind === "VariableRef" ? s.variables.get(m.node.name) : undefined;
        if (mv && isNumeric(mv.type) && hasDimension(mv.type) && hasDimension(t) && !sameDimension(unitOfType(mv.type)!, unitOfType(t)!)) {
          report.error("SETTING_UNIT", value, `'${key}' must be in the unit of the membrane '${mv.name}' (${typeToString(mv.type)}), not ${typeToString(t)}`);
        }
      } else if (spec.dim && spec.dim !== "any" && spec.dim !== "dimensionless") {
        const want = DIM_UNITS[spec.dim];
        if (hasDimension(t) && !sameDimension(unitOfType(t)!, want.unit)) {
          report.error("SETTING_UNIT", value, `'${key}' must be ${want.name}, but ${x.describe(value)} is in ${typeToString(t)}`);
        }
      }
      store(x, key, { kind: "expression", node: value });
      return;
    }
    case "number": {
      const t = x.infer(value, place, undefined);
      if (t.kind === "error") return;
      const c = evaluateConstant(value);
      if (!c) {
        report.error("SETTING_NOT_CONSTANT", value, `'${key}' must be a constant number${spec.dim === "dimensionless" ? "" : " with a unit"}`);
        return;
      }
      let kernelValue = c.si;
      if (spec.dim === "dimensionless") {
        if (!isDimensionless(c.unit)) {
          report.error("SETTING_UNIT", value, `'${key}' must be a plain number, but ${x.describe(value)} has a unit`);
          return;
        }
      } else if (spec.dim !== "any") {
        const want = DIM_UNITS[spec.dim];
        if (isDimensionless(c.unit)) {
          if (Number.isFinite(c.si) && c.si !== 0) report.warning("IMPLICIT_CAST", value, `'${key}' has no unit; it is taken as ${want.kernel}`, `write ${value.kind === "NumberLiteral" ? value.text : "the value"} ${want.kernel}`);
        } else if (!sameDimension(c.unit, want.unit)) {
          report.error("SETTING_UNIT", value, `'${key}' must be ${want.name} (e.g. in ${want.kernel}), but ${x.describe(value)} is in ${typeToString(t)}`);
          return;
        } else {
          kernelValue = c.si / kernelUnitOf(want.unit).scale;
        }
      } else if (!isDimensionless(c.unit)) {
        kernelValue = c.si / kernelUnitOf(c.unit).scale;
      }
      if (spec.integer && !(c.isInteger || Number.isInteger(c.si))) {
        report.error("SETTING_OUT_OF_RANGE", value, `'${key}' must be an integer`);
        return;
      }
      const tooLow = spec.min !== undefined && (spec.minExclusive ? !(c.si > spec.min) : !(c.si >= spec.min));
      const tooHigh = spec.max !== undefined && (spec.maxExclusive ? !(c.si < spec.max) : !(c.si <= spec.max));
      if (tooLow || tooHigh || Number.isNaN(c.si)) {
        const lo = spec.min === undefined ? "" : `${spec.minExclusive ? ">" : ">="} ${spec.min}`;
        const hi = spec.max === undefined ? "" : `${spec.maxExclusive ? "<" : "<="} ${spec.max}`;
        report.error("SETTING_OUT_OF_RANGE", value, `'${key}' must be ${[lo, hi].filter(Boolean).join(" and ")}, but it is ${kernelValue}`);
        return;
      }
      // 2 mV is 0.002 V in SI; back in mV it must be 2 exactly, not 2.0000000000000004.
      const tidy = Number.isFinite(kernelValue) ? Number(kernelValue.toPrecision(15)) : kernelValue;
      store(x, spec.nest, { kind: "number", value: tidy, node: value });
      return;
    }
  }
}
