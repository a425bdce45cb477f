/**
 * Checks one bound model: declarations, equations (ODEs, kernels, inlines), ports, handlers,
 * functions and the update block. e-prop / flush settings are in eprop.ts.
 */
import type { Declaration, HandlerArgument, KernelDecl, OdeEquation, VariableBlock } from "../ast.js";
import { TIME_TYPE } from "../binder/builtins.js";
import type { Reporter } from "../binder/reporter.js";
import { keyOf, type ModelSymbols } from "../binder/symbols.js";
import { ERROR, REAL, hasDimension, isNumeric, typeToString, unitOfType, unitType, type Type } from "../binder/types.js";
import { divideUnits, powerUnit, sameDimension } from "../units/dimension.js";
import { formatUnit } from "../units/format.js";
import { evaluateConstant } from "./constant.js";
import { Scope, type ModelContext, type Place } from "./context.js";
import { checkEpropSettings } from "./eprop.js";
import { ExpressionChecker } from "./expressions.js";
import { alwaysReturns, BodyChecker } from "./statements.js";

const MS_UNIT = unitOfType(TIME_TYPE)!;

export function checkModel(symbols: ModelSymbols, report: Reporter): void {
  const ctx: ModelContext = { symbols, report, integrateOdesCalled: false };
  const x = new ExpressionChecker(ctx);
  const b = symbols.blocks;

  for (const block of [b.parameters, b.internals, b.state]) if (block) checkVariableBlock(x, block);
  checkPorts(x);
  if (b.output?.portKind === "continuous") {
    report.error("CONTINUOUS_OUTPUT", b.output, `continuous output ports are not supported (models emit spikes: 'output:' with 'spike')`);
  } else if (b.output?.attributes?.length) {
    report.warning("LEGACY_SYNTAX", b.output, `output attributes such as spike(weight real, delay ms) are NESTML 8.0-8.2 syntax and are ignored`, "write just 'spike'");
  }
  checkEquations(x);
  for (const f of b.functions) {
    const fn = symbols.functions.get(f.name.name);
    if (!fn || fn.declaration !== f) continue;
    const place: Place = { kind: "function", label: `function ${f.name.name}`, functionName: f.name.name };
    const outer = new Scope(undefined);
    for (const p of fn.parameters) {
      outer.vars.set(p.name, { key: p.name, name: p.name, order: 0, kind: "functionParameter", type: p.type, block: place.label, declaration: p.node, nameNode: p.node.name, recordable: false });
    }
    new BodyChecker(x, place, { returnType: fn.returnType }).checkBody(f.body, outer);
    if (fn.returnType.kind !== "void" && fn.returnType.kind !== "error" && !alwaysReturns(f.body)) {
      report.error("MISSING_RETURN", f.name, `function '${f.name.name}' must return a ${typeToString(fn.returnType)} value on every path`);
    }
  }
  if (b.update) new BodyChecker(x, { kind: "update", label: "update" }).checkBody(b.update.body);
  checkHandlers(x);
  checkEpropSettings(x);

  checkDefinitionCycles(x);
  if (symbols.isSynapse) {
    const pre = symbols.variables.get("pre_spikes");
    if (!pre || pre.kind !== "inputPort" || pre.port?.portKind !== "spike") {
      report.error("SYNAPSE_WITHOUT_PRE_PORT", symbols.model.name, `synapse '${symbols.name}' needs a spike input port 'pre_spikes' (the presynaptic spikes it transmits)`, "add 'input:' with 'pre_spikes <- spike'");
    }
  }

  if (symbols.odes.size > 0 && !ctx.integrateOdesCalled && b.equations) {
    const first = [...symbols.odes.values()][0]!;
    report.error("MISSING_INTEGRATE_ODES", first.lhs, `model '${symbols.name}' defines ODEs but never calls integrate_odes(), so they are never integrated`, "call integrate_odes() in the update block");
  }
}

function checkVariableBlock(x: ExpressionChecker, block: VariableBlock): void {
  const report = x.report;
  const kind = block.blockKind;
  for (const decl of block.declarations) {
    const place: Place = { kind, label: `the ${kind} block`, declaration: decl, declarationOffset: decl.range.start.offset, block: kind };
    checkDeclarationValue(x, decl, place);
    for (const dn of decl.names) {
      if (dn.vectorSize) x.checkVectorSize(dn.vectorSize, place);
      if (kind !== "state" && dn.order > 0) {
        report.error("ODE_NOT_STATE", dn, `only state variables can have primes ('${dn.name.name}${"'".repeat(dn.order)}' is in ${kind})`);
      }
    }
    if (!decl.init) {
      const names = decl.names.map((n) => `'${keyOf(n.name.name, n.order)}'`).join(", ");
      report.error("MISSING_INITIAL_VALUE", decl, `${kind === "state" ? "state variable" : kind === "parameters" ? "parameter" : "internal"} ${names} needs ${kind === "state" ? "an initial" : "a"} value`, `write ${decl.names[0]!.name.name} ... = <value>`);
    }
  }
}

function checkDeclarationValue(x: ExpressionChecker, decl: Declaration, place: Place): void {
  const type = x.ctx.symbols.variables.get(keyOf(decl.names[0]!.name.name, decl.names[0]!.order))?.type ?? ERROR;
  if (decl.init) {
    const t = x.infer(decl.init, place, undefined);
    const names = decl.names.map((n) => `'${keyOf(n.name.name, n.order)}'`).join(", ");
    x.checkAssignable(type, t, decl.init, names);
  }
  if (decl.invariant) {
    const t = x.infer(decl.invariant, { ...place, kind: "invariant", label: "an invariant", declarationOffset: undefined, declaration: undefined }, undefined);
    if (t.kind !== "error" && t.kind !== "boolean") {
      x.report.error("INVARIANT_NOT_BOOLEAN", decl.invariant, `an invariant [[...]] must be a boolean condition, not ${typeToString(t)}`);
    }
  }
}

function checkPorts(x: ExpressionChecker): void {
  const input = x.ctx.symbols.blocks.input;
  if (!input) return;
  const report = x.report;
  for (const port of input.ports) {
    const seen = new Set<string>();
    for (const q of port.qualifiers) {
      if (port.portKind === "continuous") {
        report.error("INVALID_PORT_QUALIFIER", q, `a continuous port cannot be '${q.qualifier}'; qualifiers select spikes by weight sign`);
      } else if (seen.has(q.qualifier)) {
        report.error("INVALID_PORT_QUALIFIER", q, `'${q.qualifier}' is given twice for port '${port.name.name}'`);
      }
      seen.add(q.qualifier);
    }
    if (port.portKind === "continuous" && !port.type) {
      report.error("MISSING_PORT_TYPE", port.name, `continuous port '${port.name.name}' needs a type, e.g. '${port.name.name} pA <- continuous'`);
    }
    if (port.size) x.checkVectorSize(port.size, { kind: "size", label: "a port size" });
    if (port.attributes?.length) {
      report.warning("LEGACY_SYNTAX", port, `port attributes (...) are NESTML 8.0-8.2 syntax and are ignored`);
    }
  }
}

function checkEquations(x: ExpressionChecker): void {
  const s = x.ctx.symbols;
  const eq = s.blocks.equations;
  if (!eq) return;
  // Kernels first: inline expressions and ODEs use their types through convolve().
  for (const item of eq.items) if (item.kind === "KernelDecl") checkKernel(x, item);
  const place: Place = { kind: "equations", label: "the equations block" };
  for (const item of eq.items) {
    if (item.kind === "InlineDecl") {
      const sym = s.variables.get(item.name.name);
      const t = x.infer(item.expr, place, undefined);
      if (sym && sym.declaration === item) x.checkAssignable(sym.type, t, item.expr, `inline '${item.name.name}'`);
      if (containsRef(item.expr, item.name.name)) x.report.error("RECURSIVE_DEFINITION", item.name, `inline '${item.name.name}' is defined in terms of itself`);
    } else if (item.kind === "OdeEquation") {
      checkOde(x, item, place);
    }
  }
}

function containsRef(e: import("../ast.js").Expression, name: string): boolean {
  switch (e.kind) {
    case "VariableRef":
      return (e.name === name && e.order === 0) || (e.index ? containsRef(e.index, name) : false);
    case "Call":
      return e.args.some((a) => containsRef(a, name));
    case "Unary":
      return containsRef(e.operand, name);
    case "Binary":
      return containsRef(e.left, name) || containsRef(e.right, name);
    case "Ternary":
      return containsRef(e.condition, name) || containsRef(e.whenTrue, name) || containsRef(e.whenFalse, name);
    case "Paren":
      return containsRef(e.expr, name);
    default:
      return false;
  }
}

/** Checks the state declarations an order-n ODE (or kernel ODE) needs and returns the unit of its variable. */
function requireStateOrders(x: ExpressionChecker, lhs: import("../ast.js").VariableRef, what: string): Type | undefined {
  const s = x.ctx.symbols;
  const base = s.variables.get(lhs.name);
  if (!base || base.kind !== "state") {
    if (base) {
      x.report.error("ODE_NOT_STATE", lhs, `${what} for '${lhs.name}', which is ${base.kind === "parameter" ? "a parameter" : base.kind === "internal" ? "an internal" : `not a state variable`}; ODEs can only define state variables`);
    } else {
      x.report.error("ODE_NOT_STATE", lhs, `${what} for '${lhs.name}', which is not declared in the state block`, `declare it with an initial value: state: ${lhs.name} <type> = <value>`);
    }
    return undefined;
  }
  for (let k = 1; k < lhs.order; k++) {
    if (!s.variables.has(keyOf(lhs.name, k))) {
      x.report.error("MISSING_INITIAL_VALUE", lhs, `the ${lhs.order}${lhs.order === 2 ? "nd" : lhs.order === 3 ? "rd" : "th"}-order ODE for '${lhs.name}' needs an initial value for '${keyOf(lhs.name, k)}' in the state block`);
      return undefined;
    }
  }
  return base.type;
}

function checkOde(x: ExpressionChecker, ode: OdeEquation, place: Place): void {
  const s = x.ctx.symbols;
  const lhs = ode.lhs;
  const rhs = x.infer(ode.rhs, place, undefined);
  if (lhs.order === 0) {
    x.report.error("ODE_WITHOUT_PRIME", lhs, `'${lhs.name} = ...' in the equations block is not an ODE; write ${lhs.name}' = ... (or declare an inline expression)`);
    return;
  }
  if (s.kernels.has(lhs.name)) return; // also a kernel ODE: checked with the kernel
  const baseType = requireStateOrders(x, lhs, "ODE");
  if (!baseType || baseType.kind === "error" || rhs.kind === "error") return;
  const top = s.variables.get(keyOf(lhs.name, lhs.order - 1));
  const topUnit = top && top.order === lhs.order - 1 && top.type.kind !== "error" && (top.type.kind === "unit" || lhs.order === 1) ? unitOfType(top.type) : undefined;
  const baseUnit = unitOfType(baseType);
  if (!baseUnit) {
    x.report.error("TYPE_MISMATCH", lhs, `'${lhs.name}' is ${typeToString(baseType)} and cannot have an ODE`);
    return;
  }
  const expected = topUnit ? divideUnits(topUnit, MS_UNIT) : divideUnits(baseUnit, powerUnit(MS_UNIT, lhs.order));
  const expectedType = unitType(expected);
  if (!isNumeric(rhs)) {
    x.report.error("TYPE_MISMATCH", ode.rhs, `the right-hand side of an ODE must be a number, not ${typeToString(rhs)}`);
    return;
  }
  const ru = unitOfType(rhs)!;
  if (sameDimension(ru, expected)) return;
  if (hasDimension(rhs) && hasDimension(expectedType)) {
    x.report.error("ODE_UNIT_MISMATCH", ode.rhs, `the ODE for '${keyOf(lhs.name, lhs.order)}' must have unit ${formatUnit(expected)}, but its right-hand side is in ${typeToString(rhs)}`, `${lhs.name} is in ${typeToString(baseType)}, so its derivative is in ${formatUnit(expected)}`);
    return;
  }
  x.report.warning("IMPLICIT_CAST", ode.rhs, `implicit cast: the right-hand side (${typeToString(rhs)}) of the ODE for '${keyOf(lhs.name, lhs.order)}' is taken as ${formatUnit(expected)}`);
}

function checkKernel(x: ExpressionChecker, k: KernelDecl): void {
  const s = x.ctx.symbols;
  for (const def of k.definitions) {
    const rhsIsDelta = def.rhs.kind === "Call" && def.rhs.callee.name === "delta";
    const place: Place = { kind: "kernel", label: "a kernel", deltaAllowed: rhsIsDelta && def.lhs.order === 0 };
    const t = x.infer(def.rhs, place, undefined);
    const sym = s.kernels.get(def.lhs.name);
    if (!sym) continue;
    if (def.lhs.order === 0) {
      if (sym.declaration === k) sym.type = t.kind === "unit" && !hasDimension(t) ? REAL : t;
      if (t.kind !== "error" && !isNumeric(t)) x.report.error("TYPE_MISMATCH", def.rhs, `a kernel must be a number, not ${typeToString(t)}`);
    } else {
      const baseType = requireStateOrders(x, def.lhs, "kernel ODE");
      if (baseType && def.lhs.name === sym.name && sym.declaration === k) sym.type = baseType;
      if (baseType) checkKernelOde(x, def.lhs, def.rhs, t);
      continue;
    }
    if (t.kind === "unit" && !isKernelUnit(t)) {
      x.report.error("KERNEL_TYPE", def.rhs, `kernel '${def.lhs.name}' must be real (untyped) or a power of 1/time, not ${typeToString(t)}`, "scale where the kernel is used: convolve(K, port) * 1 nS");
    }
  }
}

/** Model-level variables whose values are defined in terms of each other (a = b, b = a). */
function checkDefinitionCycles(x: ExpressionChecker): void {
  const s = x.ctx.symbols;
  const edges = new Map<string, string[]>();
  for (const v of s.variables.values()) {
    const d = v.declaration;
    const value = d.kind === "Declaration" ? d.init : d.kind === "InlineDecl" ? d.expr : undefined;
    if (!value) continue;
    const refs: string[] = [];
    const stack: import("../ast.js").Expression[] = [value];
    while (stack.length) {
      const e = stack.pop()!;
      switch (e.kind) {
        case "VariableRef": {
          const k = keyOf(e.name, e.order);
          if (k !== v.key && s.variables.has(k) && s.variables.get(k)!.kind !== "inputPort") refs.push(k);
          if (e.index) stack.push(e.index);
          break;
        }
        case "Call":
          stack.push(...e.args);
          break;
        case "Unary":
          stack.push(e.operand);
          break;
        case "Binary":
          stack.push(e.left, e.right);
          break;
        case "Ternary":
          stack.push(e.condition, e.whenTrue, e.whenFalse);
          break;
        case "Paren":
          stack.push(e.expr);
          break;
      }
    }
    edges.set(v.key, refs);
  }
  // Tarjan's strongly connected components; recursion depth is bounded by the number of variables.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) {
        const members = component.map((k) => s.variables.get(k)!).sort((a, b) => a.nameNode.range.start.offset - b.nameNode.range.start.offset);
        const names = members.map((m) => `'${m.key}'`);
        x.report.error("RECURSIVE_DEFINITION", members[0]!.nameNode, `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are defined in terms of each other`, "one of them must not depend on the others");
      }
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
}

/**
 * A kernel ODE `g' = ...` (order n): g, g', ... hold kernel values, so they must be real (untyped,
 * as NESTML writes them) or powers of 1/time; the right-hand side must be in the unit of g^(n-1)
 * per time, or in 1/time**n (NESTML's kernel_type rule), a plain number being cast with a warning.
 */
function checkKernelOde(x: ExpressionChecker, lhs: import("../ast.js").VariableRef, rhs: import("../ast.js").Expression, t: Type): void {
  const s = x.ctx.symbols;
  let ok = true;
  for (let order = 0; order < lhs.order; order++) {
    const v = s.variables.get(keyOf(lhs.name, order));
    if (!v || v.type.kind === "error") {
      ok = false;
      continue;
    }
    if (!isKernelUnit(v.type)) {
      ok = false;
      x.report.error("KERNEL_TYPE", v.nameNode, `'${v.key}' holds values of kernel '${lhs.name}', so its type must be real (untyped) or a power of 1/time (such as ${formatUnit(powerUnit(MS_UNIT, -order || -1))}), not ${typeToString(v.type)}`, "scale the kernel where it is used: convolve(K, port) * 1 nS");
    }
  }
  if (!ok || t.kind === "error" || !isNumeric(t)) return;
  const top = unitOfType(s.variables.get(keyOf(lhs.name, lhs.order - 1))!.type)!;
  const expected = [divideUnits(top, MS_UNIT), powerUnit(MS_UNIT, -lhs.order)];
  const ru = unitOfType(t)!;
  if (expected.some((e) => sameDimension(ru, e))) return;
  if (hasDimension(t)) {
    x.report.error("KERNEL_TYPE", rhs, `the kernel ODE for '${keyOf(lhs.name, lhs.order)}' must have unit ${formatUnit(expected[0]!)}, but its right-hand side is in ${typeToString(t)}`);
  } else {
    x.report.warning("IMPLICIT_CAST", rhs, `implicit cast: the right-hand side (${typeToString(t)}) of the kernel ODE for '${keyOf(lhs.name, lhs.order)}' is taken as ${formatUnit(expected[0]!)}`);
  }
}

/** Kernels are untyped (dimensionless) or 1/time**k (NESTML's kernel_type rule). */
function isKernelUnit(t: Type): boolean {
  const u = unitOfType(t);
  if (!u) return t.kind === "error";
  return u.dims.every((d, i) => (i === 2 ? d <= 0 && Number.isInteger(d) : d === 0));
}

function checkHandlers(x: ExpressionChecker): void {
  const s = x.ctx.symbols;
  const report = x.report;
  const ports = new Map<string, import("../ast.js").OnReceiveBlock>();
  const priorities = new Map<number, HandlerArgument>();
  const withPriority: HandlerArgument[] = [];
  const handlers = [...s.blocks.onReceive];
  const checkArgs = (args: readonly HandlerArgument[], label: string): void => {
    for (const a of args) {
      if (a.name.name !== "priority") {
        report.error("UNKNOWN_HANDLER_ARGUMENT", a.name, `unknown argument '${a.name.name}' of ${label} (only 'priority' is allowed)`);
        continue;
      }
      const v = evaluateConstant(a.value);
      if (!v || !v.isInteger) {
        report.error("INVALID_PRIORITY", a.value, `priority must be an integer constant`);
        continue;
      }
      withPriority.push(a);
      const prev = priorities.get(v.si);
      if (prev) report.error("INVALID_PRIORITY", a.value, `priority ${v.si} is already used by another handler (line ${prev.range.start.line}); priorities must be unique`);
      else priorities.set(v.si, a);
    }
  };
  for (const h of handlers) {
    const name = h.port.name;
    const label = `onReceive(${name})`;
    const v = s.variables.get(name);
    if (!v) x.resolveRef(h.port, { kind: "onReceive", label }, undefined);
    else if (v.kind !== "inputPort" || v.port?.portKind !== "spike") {
      report.error("ONRECEIVE_NOT_SPIKE_PORT", h.port, `onReceive needs a spike input port, but '${name}' is ${v.kind === "inputPort" ? "a continuous port" : "not an input port"}`);
    } else if (h.port.order > 0) {
      report.error("ONRECEIVE_NOT_SPIKE_PORT", h.port, `onReceive takes a port name without primes`);
    }
    const prev = ports.get(name);
    if (prev) report.error("DUPLICATE_HANDLER", h.port, `there is already an onReceive(${name}) handler (line ${prev.range.start.line})`, "merge the two handlers");
    else ports.set(name, h);
    checkArgs(h.args, label);
    new BodyChecker(x, { kind: "onReceive", label }).checkBody(h.body);
  }
  const missing = handlers.find((h) => !h.args.some((a) => a.name.name === "priority"));
  if (withPriority.length > 0 && missing) {
    report.error("INVALID_PRIORITY", missing.port, `when one onReceive handler has a priority, every handler needs one (onReceive(${missing.port.name}) has none)`);
  }
  for (const c of s.blocks.onCondition) {
    x.checkCondition(c.condition, { kind: "onCondition", label: "onCondition" }, undefined, "the onCondition condition");
    for (const a of c.args) {
      if (a.name.name !== "priority") report.error("UNKNOWN_HANDLER_ARGUMENT", a.name, `unknown argument '${a.name.name}' of onCondition (only 'priority' is allowed)`);
      else if (!evaluateConstant(a.value)?.isInteger) report.error("INVALID_PRIORITY", a.value, `priority must be an integer constant`);
    }
    new BodyChecker(x, { kind: "onCondition", label: "onCondition" }).checkBody(c.body);
  }
}
