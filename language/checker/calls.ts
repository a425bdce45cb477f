/** Calls: built-in and user functions, their arguments, result types and where they may appear. */
import type { Call, Expression } from "../ast.js";
import { BUILTIN_FUNCTIONS, DIMENSIONLESS_MATH, RANDOM_FUNCTIONS, TIME_TYPE } from "../binder/builtins.js";
import { closestName } from "../binder/suggest.js";
import { keyOf } from "../binder/symbols.js";
import { ERROR, INTEGER, REAL, VOID, hasDimension, isNumeric, typeToString, unitOfType, unitType, type Type } from "../binder/types.js";
import { multiplyUnits, powerUnit, sameDimension } from "../units/dimension.js";
import { constantExponent } from "./constant.js";
import { placeIsBody, type Place, type Scope } from "./context.js";
import type { ExpressionChecker } from "./expressions.js";

export function checkCall(x: ExpressionChecker, call: Call, place: Place, scope: Scope | undefined, asStatement: boolean): Type {
  const name = call.callee.name;
  const s = x.ctx.symbols;
  const report = x.report;
  for (const kw of call.keywordArgs) {
    report.error("ARGUMENT_COUNT", kw, `'${name}' takes no keyword argument '${kw.name.name}'`);
  }
  const user = s.functions.get(name);
  if (user) {
    const args = call.args.map((a) => x.infer(a, place, scope));
    if (args.length !== user.parameters.length) {
      report.error("ARGUMENT_COUNT", call, `'${name}' takes ${user.parameters.length} argument${user.parameters.length === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} given`);
    } else {
      user.parameters.forEach((p, i) => x.checkAssignable(p.type, args[i]!, call.args[i]!, `parameter '${p.name}' of '${name}'`, "ARGUMENT_TYPE"));
    }
    return result(x, call, user.returnType, asStatement);
  }
  const builtin = BUILTIN_FUNCTIONS.get(name);
  if (!builtin) {
    call.args.forEach((a) => x.infer(a, place, scope));
    const guess = closestName(name, [...s.functions.keys(), ...BUILTIN_FUNCTIONS.keys()]);
    report.error("UNKNOWN_FUNCTION", call.callee, `unknown function '${name}'` + (guess ? ` (did you mean '${guess}'?)` : ""));
    return ERROR;
  }
  const n = call.args.length;
  if (n < builtin.minArgs || n > builtin.maxArgs) {
    const expected = builtin.minArgs === builtin.maxArgs ? `${builtin.minArgs}` : builtin.maxArgs === Infinity ? `at least ${builtin.minArgs}` : `${builtin.minArgs} to ${builtin.maxArgs}`;
    report.error("ARGUMENT_COUNT", call, `'${name}' takes ${expected} argument${expected === "1" ? "" : "s"} but ${n} ${n === 1 ? "was" : "were"} given`, builtin.signature);
    if (name !== "convolve" && name !== "integrate_odes" && name !== "delta") call.args.forEach((a) => x.infer(a, place, scope));
    return name === "steps" || name === "random_poisson" ? INTEGER : name === "convolve" || name === "min" || name === "max" || name === "clip" ? ERROR : returnsVoid(name) ? VOID : ERROR;
  }

  // Where a call may appear.
  if (RANDOM_FUNCTIONS.has(name) && !(place.kind === "update" || place.kind === "onReceive" || place.kind === "onCondition")) {
    report.error("RANDOM_OUTSIDE_HANDLER", call, `'${name}' can only be used in update, onReceive and onCondition (not in ${place.label})`);
  }
  if (name === "timestep" && place.kind !== "update") {
    report.error("TIMESTEP_OUTSIDE_UPDATE", call, `timestep() can only be used in the update block (not in ${place.label})`);
  }
  if (name === "resolution") {
    if (place.kind === "equations" || place.kind === "kernel" || place.kind === "function") {
      report.error("RESOLUTION_ILLEGAL", call, `resolution() cannot be used in ${place.label}`, "use timestep() in update");
    } else {
      report.warning("FIXED_TIMESTEP", call, `resolution() restricts the model to fixed-timestep simulation`, "prefer timestep() in update");
    }
  }
  if (name === "steps") report.warning("FIXED_TIMESTEP", call, `steps() restricts the model to fixed-timestep simulation`);
  if ((name === "integrate_odes" || name === "emit_spike" || name === "print" || name === "println" || name === "info" || name === "warning") && !placeIsBody(place.kind)) {
    report.error("CALL_NOT_ALLOWED_HERE", call, `'${name}' can only be called in update, onReceive, onCondition or a function (not in ${place.label})`);
  }

  switch (name) {
    case "convolve":
      return convolve(x, call, place, scope);
    case "delta": {
      const arg = call.args[0]!;
      if (!place.deltaAllowed) {
        report.error("DELTA_MISUSE", call, `delta(t) can only be the whole right-hand side of a kernel: kernel K = delta(t)`);
      } else if (!(arg.kind === "VariableRef" && arg.name === "t" && arg.order === 0 && !arg.index)) {
        report.error("DELTA_MISUSE", arg, `the argument of delta() must be exactly t`);
      }
      return REAL;
    }
    case "integrate_odes": {
      x.ctx.integrateOdesCalled = true;
      for (const a of call.args) {
        if (a.kind !== "VariableRef" || a.index) {
          report.error("INTEGRATE_ODES_ARGUMENT", a, `integrate_odes() takes state variable names, not ${x.describe(a)}`);
          continue;
        }
        if (a.order > 0) {
          report.error("INTEGRATE_ODES_ARGUMENT", a, `write integrate_odes(${a.name}), without primes: derivatives are integrated with their variable`);
          continue;
        }
        const v = s.variables.get(a.name);
        if (!v) {
          x.resolveRef(a, place, scope);
          continue;
        }
        if (v.kind !== "state") {
          report.error("INTEGRATE_ODES_ARGUMENT", a, `'${a.name}' is not a state variable (it is ${article(v.kind)})`);
        } else if (!s.odes.has(keyOf(a.name, 1)) && ![...s.odes.keys()].some((k) => k.startsWith(a.name + "'"))) {
          report.error("INTEGRATE_ODES_ARGUMENT", a, `state variable '${a.name}' has no ODE to integrate`);
        }
      }
      return result(x, call, VOID, asStatement);
    }
    case "emit_spike": {
      if (!s.hasSpikeOutput) {
        report.error("EMIT_SPIKE_WITHOUT_OUTPUT", call, `emit_spike() needs a spike output: add 'output:' with 'spike' to model '${s.name}'`);
      }
      const types = call.args.map((a) => x.infer(a, place, scope));
      types.forEach((t, i) => {
        if (t.kind !== "error" && !isNumeric(t)) report.error("ARGUMENT_TYPE", call.args[i]!, `emit_spike() takes a numeric weight, not ${typeToString(t)}`);
      });
      if (n === 2) report.warning("LEGACY_SYNTAX", call, `emit_spike(weight, delay) is NESTML 8.0-8.2 syntax; the delay argument is ignored`);
      return result(x, call, VOID, asStatement);
    }
    case "print":
    case "println":
    case "info":
    case "warning": {
      for (const a of call.args) {
        const t = x.infer(a, place, scope);
        if (a.kind === "StringLiteral") checkInterpolation(x, a.value, a, place, scope);
        else if (t.kind !== "error" && t.kind !== "string") report.error("ARGUMENT_TYPE", a, `'${name}' takes a string, not ${typeToString(t)}`);
      }
      return result(x, call, VOID, asStatement);
    }
    case "resolution":
    case "timestep":
      return TIME_TYPE;
    case "steps": {
      const t = x.infer(call.args[0]!, place, scope);
      if (t.kind !== "error" && !(isNumeric(t) && sameDimension(unitOfType(t)!, unitOfType(TIME_TYPE)!))) {
        if (isNumeric(t) && !hasDimension(t)) report.warning("IMPLICIT_CAST", call.args[0]!, `implicit cast from ${typeToString(t)} to ms`);
        else report.error("ARGUMENT_TYPE", call.args[0]!, `steps() takes a time, not ${typeToString(t)}`);
      }
      return INTEGER;
    }
    case "random_poisson": {
      numericArgs(x, call, place, scope);
      return INTEGER;
    }
  }

  const types = numericArgs(x, call, place, scope);
  if (!types) return ERROR;
  if (DIMENSIONLESS_MATH.has(name)) {
    const t = types[0]!;
    if (hasDimension(t)) {
      // NESTML accepts this as an implicit cast (its models rely on it), so it is a warning.
      report.warning("IMPLICIT_CAST", call.args[0]!, `${name}() expects a dimensionless argument, but ${x.describe(call.args[0]!)} is in ${typeToString(t)}; its value in ${typeToString(t)} is used`, `divide by a unit, e.g. ${name}(V_m / mV)`);
    }
    return REAL;
  }
  switch (name) {
    case "ceil":
    case "floor":
    case "round":
    case "abs":
      return types[0]!;
    case "sqrt": {
      const t = types[0]!;
      return t.kind === "unit" ? unitType(powerUnit(t.unit, 0.5)) : REAL;
    }
    case "pow": {
      const [b, e] = types as [Type, Type];
      if (hasDimension(e)) {
        report.error("ARGUMENT_TYPE", call.args[1]!, `the exponent must be dimensionless, not ${typeToString(e)}`);
        return ERROR;
      }
      if (b.kind === "unit" && hasDimension(b)) {
        const c = constantExponent(call.args[1]!);
        if (c === undefined) {
          report.error("UNIT_EXPONENT_NOT_CONSTANT", call.args[1]!, `the exponent of a quantity in ${typeToString(b)} must be a constant number`);
          return ERROR;
        }
        return unitType(powerUnit(b.unit, c));
      }
      return REAL;
    }
    case "min":
    case "max":
    case "clip":
    case "random_normal":
    case "random_uniform": {
      let common: Type = types[0]!;
      for (let i = 1; i < types.length; i++) {
        const t = types[i]!;
        if (hasDimension(common) && hasDimension(t) && !sameDimension(unitOfType(common)!, unitOfType(t)!)) {
          report.error("UNIT_MISMATCH", call.args[i]!, `the arguments of ${name}() must have the same unit: ${typeToString(common)} and ${typeToString(t)}`);
          return ERROR;
        }
        common = x.unify(common, t, call.args[i]!, `mix in ${name}()`);
      }
      return common;
    }
  }
  return REAL;
}

function returnsVoid(name: string): boolean {
  return ["integrate_odes", "emit_spike", "print", "println", "info", "warning"].includes(name);
}

function article(kind: string): string {
  const label = kind === "inputPort" ? "input port" : kind === "inline" ? "inline expression" : kind;
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}

function result(x: ExpressionChecker, call: Call, t: Type, asStatement: boolean): Type {
  if (t.kind === "void" && !asStatement) {
    x.report.error("VOID_IN_EXPRESSION", call, `'${call.callee.name}(...)' returns nothing and cannot be used as a value`);
    return ERROR;
  }
  return t;
}

function numericArgs(x: ExpressionChecker, call: Call, place: Place, scope: Scope | undefined): Type[] | undefined {
  const types = call.args.map((a) => x.infer(a, place, scope));
  let ok = true;
  types.forEach((t, i) => {
    if (t.kind === "error") ok = false;
    else if (!isNumeric(t)) {
      x.report.error("ARGUMENT_TYPE", call.args[i]!, `'${call.callee.name}' takes numbers, but ${x.describe(call.args[i]!)} is ${typeToString(t)}`);
      ok = false;
    }
  });
  return ok ? types : undefined;
}

function convolve(x: ExpressionChecker, call: Call, place: Place, scope: Scope | undefined): Type {
  const s = x.ctx.symbols;
  const report = x.report;
  let bad = false;
  if (place.kind !== "equations") {
    report.error("CONVOLVE_MISUSE", call, `convolve() can only be used in the equations block (in an inline expression or ODE)`);
    bad = true;
  }
  const [k, p] = call.args as [Expression, Expression];
  let kernelType: Type = ERROR;
  if (k.kind !== "VariableRef" || k.order > 0 || k.index) {
    report.error("CONVOLVE_MISUSE", k, `the first argument of convolve() must be a kernel name`);
    bad = true;
  } else {
    const kernel = s.kernels.get(k.name);
    if (!kernel) {
      const v = s.variables.get(k.name);
      if (v || s.kernels.size === 0) {
        report.error("CONVOLVE_MISUSE", k, `'${k.name}' is not a kernel; the first argument of convolve() must be a kernel`);
      } else {
        const guess = closestName(k.name, s.kernels.keys());
        report.error("UNDECLARED_NAME", k, `kernel '${k.name}' is not declared` + (guess ? ` (did you mean '${guess}'?)` : ""));
      }
      bad = true;
    } else {
      kernelType = kernel.type;
    }
  }
  let portFactor: Type = REAL;
  if (p.kind !== "VariableRef" || p.order > 0) {
    report.error("CONVOLVE_MISUSE", p, `the second argument of convolve() must be a spike input port`);
    bad = true;
  } else {
    const v = s.variables.get(p.name);
    if (!v) {
      x.resolveRef(p, place, scope);
      bad = true;
    } else if (v.kind !== "inputPort" || v.port?.portKind !== "spike") {
      report.error("CONVOLVE_MISUSE", p, `'${p.name}' is not a spike input port; the second argument of convolve() must be one`);
      bad = true;
    } else {
      if (p.index) x.infer(p.index, place, scope);
      if (v.port.typed) portFactor = v.type;
    }
  }
  if (bad || kernelType.kind === "error") return ERROR;
  // An untyped port is a train of deltas in 1/s: integrated against the kernel the unit is the kernel's.
  const ku = unitOfType(kernelType);
  const pu = unitOfType(portFactor);
  if (!ku || !pu) return ERROR;
  return portFactor.kind === "unit" || kernelType.kind === "unit" ? unitType(multiplyUnits(ku, pu)) : REAL;
}

/** `println("V_m = {V_m}")`: names in braces must exist. */
function checkInterpolation(x: ExpressionChecker, text: string, at: Expression, place: Place, scope: Scope | undefined): void {
  const re = /\{([A-Za-z_$][A-Za-z0-9_$]*)('*)\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const ref = { kind: "VariableRef" as const, name: m[1]!, order: m[2]!.length, range: at.range };
    x.resolveRef(ref, place, scope);
  }
}
