/** Bodies (update, onReceive, onCondition, functions): locals, assignments, control flow, returns. */
import type { Assignment, Declaration, Range, Statement } from "../ast.js";
import { checkNewName } from "../binder/bind.js";
import type { VariableSymbol } from "../binder/symbols.js";
import { ERROR, INTEGER, hasDimension, isNumeric, typeToString, unitOfType, type Type } from "../binder/types.js";
import { sameDimension } from "../units/dimension.js";
import { checkCall } from "./calls.js";
import { evaluateConstant } from "./constant.js";
import { Scope, type Place } from "./context.js";
import type { ExpressionChecker } from "./expressions.js";

export interface BodyOptions {
  /** Declared return type when the body is a function's. */
  readonly returnType?: Type;
}

export class BodyChecker {
  constructor(readonly x: ExpressionChecker, readonly place: Place, readonly options: BodyOptions = {}) {}

  get report() {
    return this.x.report;
  }

  /** Checks a whole body in a fresh scope (parameters pre-declared in `outer`). */
  checkBody(body: readonly Statement[], outer?: Scope): void {
    const laterLocals = new Map<string, Range>();
    collectLocals(body, laterLocals);
    const scope = new Scope(outer, laterLocals);
    this.checkStatements(body, scope);
  }

  private checkStatements(body: readonly Statement[], scope: Scope): void {
    let returned = false;
    for (const st of body) {
      if (returned) {
        this.report.error("UNREACHABLE_CODE", st, `statement after return is never executed`);
        returned = false; // report once per list
        continue;
      }
      this.checkStatement(st, scope);
      if (st.kind === "Return") returned = true;
    }
  }

  private checkStatement(st: Statement, scope: Scope): void {
    const x = this.x;
    switch (st.kind) {
      case "Declaration":
        this.declareLocal(st, scope);
        return;
      case "Assignment":
        this.assignment(st, scope);
        return;
      case "CallStatement":
        checkCall(x, st.call, this.place, scope, true);
        return;
      case "Return":
        this.returnStatement(st.value, st, scope);
        return;
      case "If":
        for (const br of st.branches) {
          x.checkCondition(br.condition, this.place, scope, "an if/elif condition");
          this.checkStatements(br.body, new Scope(scope));
        }
        if (st.elseBody) this.checkStatements(st.elseBody, new Scope(scope));
        return;
      case "While":
        x.checkCondition(st.condition, this.place, scope, "a while condition");
        this.checkStatements(st.body, new Scope(scope));
        return;
      case "For": {
        const from = x.infer(st.from, this.place, scope);
        const to = x.infer(st.to, this.place, scope);
        for (const [e, t] of [[st.from, from], [st.to, to]] as const) {
          if (t.kind !== "error" && !isNumeric(t)) this.report.error("TYPE_MISMATCH", e, `a for-loop bound must be a number, not ${typeToString(t)}`);
        }
        if (isNumeric(from) && isNumeric(to)) x.unify(from, to, st.to, "use as loop bounds");
        if (st.step) {
          const stepType = x.infer(st.step, this.place, scope);
          const c = evaluateConstant(st.step);
          if (stepType.kind !== "error" && (!c || c.si === 0 || !isNumeric(stepType))) {
            this.report.error("INVALID_FOR_STEP", st.step, `the step of a for loop must be a non-zero constant number`);
          }
        }
        const inner = new Scope(scope);
        const name = st.variable.name;
        const existing = scope.lookup(name) ?? this.x.ctx.symbols.variables.get(name);
        if (existing) {
          if (existing.kind === "parameter" || existing.kind === "internal" || existing.kind === "inline" || existing.kind === "inputPort") {
            this.report.error(assignCode(existing), st.variable, `'${name}' is ${kindLabel(existing)} and cannot be a loop variable`);
          } else if (isNumeric(existing.type) && isNumeric(from) && hasDimension(from) !== hasDimension(existing.type)) {
            x.unify(existing.type, from, st.variable, "iterate");
          }
        } else {
          const t = from.kind === "integer" && to.kind === "integer" ? INTEGER : from.kind === "error" ? INTEGER : from;
          inner.vars.set(name, localSymbol(name, t, st, st.variable, this.place.label));
        }
        this.checkStatements(st.body, inner);
        return;
      }
    }
  }

  private declareLocal(d: Declaration, scope: Scope): void {
    const x = this.x;
    const type = x.resolveTypeExpr(d.type, this.report);
    if (d.init) {
      const t = x.infer(d.init, { ...this.place, declaration: d }, scope);
      x.checkAssignable(type, t, d.init, `'${d.names.map((n) => n.name.name).join(", ")}'`);
    }
    if (d.invariant) x.checkCondition(d.invariant, this.place, scope, "an invariant [[...]]");
    for (const dn of d.names) {
      const name = dn.name.name;
      scope.laterLocals.delete(name);
      if (dn.order > 0) this.report.error("REDECLARED_NAME", dn, `a local variable cannot have primes ('${name}${"'".repeat(dn.order)}')`);
      if (dn.vectorSize) this.x.checkVectorSize(dn.vectorSize, this.place);
      if (!checkNewName(name, dn.name, this.report)) continue;
      const previous = scope.vars.get(name) ?? (scope.parent?.lookup(name));
      if (previous && (previous.kind === "local" || previous.kind === "functionParameter")) {
        this.report.error("REDECLARED_NAME", dn.name, `'${name}' is already declared in this body (line ${previous.nameNode.range.start.line})`);
        continue;
      }
      const model = this.x.ctx.symbols.variables.get(name);
      if (model) {
        this.report.warning("SHADOWED_NAME", dn.name, `local '${name}' hides the model's ${kindLabel(model).replace(/^an? /, "")} '${name}' in the rest of this body`);
      }
      const sym = localSymbol(name, type, d, dn, this.place.label, dn.vectorSize);
      scope.vars.set(name, sym);
      this.x.ctx.symbols.locals.push(sym);
    }
  }

  private assignment(a: Assignment, scope: Scope): void {
    const x = this.x;
    const { symbol, type } = x.resolveRef(a.target, this.place, scope, true);
    const value = x.infer(a.value, this.place, scope);
    const targetName = `'${a.target.name}${"'".repeat(a.target.order)}'`;
    if (!symbol) {
      if (type.kind !== "error") {
        this.report.error("ASSIGN_TO_CONSTANT", a.target, `cannot assign to ${targetName}: it is ${a.target.name === "t" || a.target.name === "e" || a.target.name === "pi" ? "a predefined constant" : "a unit, not a variable"}`);
      }
      return;
    }
    if (symbol.kind !== "state" && symbol.kind !== "local" && symbol.kind !== "functionParameter") {
      this.report.error(assignCode(symbol), a.target, `cannot assign to ${targetName}: it is ${kindLabel(symbol)}` + hintFor(symbol));
      return;
    }
    if (x.ctx.symbols.kernels.has(symbol.name) && symbol.kind === "state") {
      this.report.error("KERNEL_OUTSIDE_CONVOLVE", a.target, `cannot assign to kernel '${symbol.name}'`);
      return;
    }
    if (symbol.vectorSize && !a.target.index) {
      this.report.error("VECTOR_IN_SCALAR", a.target, `assign to an element of vector ${targetName}: ${a.target.name}[i] = ...`);
      return;
    }
    switch (a.op) {
      case "=":
      case "+=":
      case "-=":
        if (a.op !== "=" && type.kind !== "error" && !isNumeric(type)) {
          this.report.error("TYPE_MISMATCH", a, `'${a.op}' needs a numeric variable, but ${targetName} is ${typeToString(type)}`);
          return;
        }
        x.checkAssignable(type, value, a.value, targetName);
        return;
      case "*=":
      case "/=": {
        if (type.kind === "error" || value.kind === "error") return;
        if (!isNumeric(type) || !isNumeric(value)) {
          this.report.error("TYPE_MISMATCH", a, `'${a.op}' needs numbers, not ${typeToString(type)} and ${typeToString(value)}`);
          return;
        }
        if (hasDimension(value) && !sameDimension(unitOfType(value)!, unitOfType({ kind: "real" })!)) {
          this.report.error("UNIT_MISMATCH", a.value, `'${a.op}' with a value in ${typeToString(value)} would change the unit of ${targetName} (${typeToString(type)})`, "multiply or divide by a dimensionless number");
        }
        return;
      }
    }
  }

  private returnStatement(value: import("../ast.js").Expression | undefined, at: Statement, scope: Scope): void {
    const rt = this.options.returnType;
    if (rt === undefined) {
      if (value) {
        this.x.infer(value, this.place, scope);
        this.report.error("RETURN_TYPE_MISMATCH", at, `'return' with a value is only allowed in a function (not in ${this.place.label})`);
      }
      return;
    }
    if (!value) {
      if (rt.kind !== "void" && rt.kind !== "error") this.report.error("RETURN_TYPE_MISMATCH", at, `function '${this.place.functionName}' must return a ${typeToString(rt)} value`);
      return;
    }
    const t = this.x.infer(value, this.place, scope);
    if (rt.kind === "void") {
      this.report.error("RETURN_TYPE_MISMATCH", value, `function '${this.place.functionName}' has no return type, so it cannot return a value`, "declare the return type after the parameter list");
      return;
    }
    this.x.checkAssignable(rt, t, value, `the result of '${this.place.functionName}'`, "RETURN_TYPE_MISMATCH");
  }
}

/** True when every path through the statements ends in `return`. */
export function alwaysReturns(body: readonly Statement[]): boolean {
  for (const st of body) {
    if (st.kind === "Return") return true;
    if (st.kind === "If" && st.elseBody && st.branches.every((b) => alwaysReturns(b.body)) && alwaysReturns(st.elseBody)) return true;
  }
  return false;
}

function collectLocals(body: readonly Statement[], into: Map<string, Range>): void {
  for (const st of body) {
    if (st.kind === "Declaration") for (const n of st.names) if (!into.has(n.name.name)) into.set(n.name.name, n.range);
    if (st.kind === "If") {
      for (const b of st.branches) collectLocals(b.body, into);
      if (st.elseBody) collectLocals(st.elseBody, into);
    }
    if (st.kind === "While" || st.kind === "For") collectLocals(st.body, into);
  }
}

function localSymbol(
  name: string,
  type: Type,
  declaration: VariableSymbol["declaration"],
  nameNode: VariableSymbol["nameNode"],
  block: string,
  vectorSize?: import("../ast.js").Expression,
): VariableSymbol {
  return { key: name, name, order: 0, kind: "local", type: type ?? ERROR, block, declaration, nameNode, recordable: false, ...(vectorSize ? { vectorSize } : {}) };
}

export function kindLabel(s: VariableSymbol): string {
  switch (s.kind) {
    case "parameter":
      return "a parameter";
    case "internal":
      return "an internal";
    case "inline":
      return "an inline expression";
    case "inputPort":
      return "an input port";
    case "kernel":
      return "a kernel";
    case "state":
      return "a state variable";
    case "local":
      return "a local variable";
    case "functionParameter":
      return "a function parameter";
  }
}

export function assignCode(s: VariableSymbol): string {
  switch (s.kind) {
    case "parameter":
      return "ASSIGN_TO_PARAMETER";
    case "internal":
      return "ASSIGN_TO_INTERNAL";
    case "inline":
      return "ASSIGN_TO_INLINE";
    case "inputPort":
      return "ASSIGN_TO_INPUT_PORT";
    default:
      return "ASSIGN_TO_CONSTANT";
  }
}

function hintFor(s: VariableSymbol): string {
  switch (s.kind) {
    case "parameter":
      return " (parameters are set from outside the model; declare it in 'state' to change it)";
    case "internal":
      return " (internals are computed once from parameters)";
    case "inline":
      return " (an inline expression is a formula; assign to a state variable instead)";
    case "inputPort":
      return " (input ports are read-only)";
    default:
      return "";
  }
}

