/**
 * Type and unit inference for expressions, with every expression-level rule: names, unit
 * arithmetic, comparisons, conditions, casts. Calls are delegated to calls.ts.
 */
import type { BinaryExpr, Expression, Range, TernaryExpr, UnaryExpr, VariableRef } from "../ast.js";
import { PREDEFINED_VARIABLES, BUILTIN_FUNCTIONS, TIME_TYPE } from "../binder/builtins.js";
import { closestName } from "../binder/suggest.js";
import { keyOf, type VariableSymbol } from "../binder/symbols.js";
import {
  BOOLEAN, ERROR, INFINITY_TYPE, INTEGER, REAL, STRING, isAnyUnit, hasDimension, isNumeric, typeToString, unitOfType, unitType, type Type,
} from "../binder/types.js";
import { resolveType } from "../binder/bind.js";
import { divideUnits, isDimensionless, multiplyUnits, powerUnit, sameDimension } from "../units/dimension.js";
import { formatUnit, unitExprText } from "../units/format.js";
import { lookupUnit, unitNamesForSuggestions } from "../units/registry.js";
import { evaluateUnitExpr, type UnitProblem } from "../units/unit-expr.js";
import { checkCall } from "./calls.js";
import { constantExponent, evaluateConstant } from "./constant.js";
import type { ModelContext, Place, Scope } from "./context.js";

const MS = lookupUnit("ms")!;

/** Quoted rendering of a small expression for messages: its source text when short, else a summary. */
export function describe(e: Expression, source?: string): string {
  if (source !== undefined) {
    const text = source.slice(e.range.start.offset, e.range.end.offset);
    if (text.length > 0 && text.length <= 40 && !text.includes("\n")) return `'${text}'`;
  }
  switch (e.kind) {
    case "VariableRef":
      return `'${e.name}${"'".repeat(e.order)}${e.index ? "[...]" : ""}'`;
    case "NumberLiteral":
      return `'${e.text}${e.unit ? " " + unitExprText(e.unit) : ""}'`;
    case "Call":
      return `'${e.callee.name}(...)'`;
    case "Paren":
      return describe(e.expr);
    case "Binary":
      return `the '${e.op}' expression`;
    default:
      return "the expression";
  }
}

/**
 * Which model-level values an initial value may read. NESTML's own models read state (V_m) in
 * parameters and internals, so only input ports are ruled out (there is no input before the run);
 * cycles are reported separately (RECURSIVE_DEFINITION).
 */
function initializerMayUse(_block: "parameters" | "internals" | "state", kind: VariableSymbol["kind"]): boolean {
  return kind !== "inputPort";
}

function symbolKindLabel(kind: VariableSymbol["kind"]): string {
  switch (kind) {
    case "inputPort":
      return "the input port";
    case "inline":
      return "the inline expression";
    case "internal":
      return "the internal";
    case "state":
      return "the state variable";
    default:
      return `the ${kind}`;
  }
}

export interface Resolved {
  readonly symbol?: VariableSymbol;
  readonly type: Type;
}

export class ExpressionChecker {
  constructor(readonly ctx: ModelContext) {}

  get report() {
    return this.ctx.report;
  }

  describe(e: Expression): string {
    return describe(e, this.ctx.report.source);
  }

  /** The type of `e`, reporting every problem found inside it. */
  infer(e: Expression, place: Place, scope: Scope | undefined): Type {
    switch (e.kind) {
      case "NumberLiteral": {
        if (!e.unit) return e.isInteger ? INTEGER : REAL;
        const problems: UnitProblem[] = [];
        const u = evaluateUnitExpr(e.unit, problems);
        for (const p of problems) this.reportUnitProblem(p);
        return u ? unitType(u, unitExprText(e.unit)) : ERROR;
      }
      case "BooleanLiteral":
        return BOOLEAN;
      case "StringLiteral":
        return STRING;
      case "InfLiteral":
        return INFINITY_TYPE;
      case "Paren":
        return this.infer(e.expr, place, scope);
      case "VariableRef":
        return this.resolveRef(e, place, scope).type;
      case "Call":
        return checkCall(this, e, place, scope, false);
      case "Unary":
        return this.unary(e, place, scope);
      case "Binary":
        return this.binary(e, place, scope);
      case "Ternary":
        return this.ternary(e, place, scope);
    }
  }

  reportUnitProblem(p: UnitProblem): void {
    if (p.code === "UNKNOWN_UNIT") {
      const guess = closestName(p.name ?? "", unitNamesForSuggestions());
      this.report.error("UNKNOWN_UNIT", p.node, `unknown unit '${p.name}'` + (guess ? ` (did you mean '${guess}'?)` : ""));
    } else {
      this.report.error("BAD_UNIT_NUMERATOR", p.node, `a unit can only have 1 as numerator`);
    }
  }

  /** Finds what a name refers to: local, model variable, predefined variable, or unit constant. */
  resolveRef(ref: VariableRef, place: Place, scope: Scope | undefined, forAssignment = false): Resolved {
    const s = this.ctx.symbols;
    const key = keyOf(ref.name, ref.order);
    let symbol: VariableSymbol | undefined = ref.order === 0 ? scope?.lookup(ref.name) : undefined;
    symbol ??= s.variables.get(key);
    if (ref.index) this.checkIndex(ref, symbol, place, scope);

    if (symbol) {
      if (place.declaration && symbol.declaration === place.declaration && !forAssignment) {
        this.report.error("RECURSIVE_DEFINITION", ref, `'${key}' is defined in terms of itself`);
        return { symbol, type: ERROR };
      }
      if (
        place.declarationOffset !== undefined && symbol.block === place.block && symbol.kind !== "local" &&
        symbol.nameNode.range.start.offset > place.declarationOffset && !forAssignment
      ) {
        this.report.error("USED_BEFORE_DECLARED", ref, `'${key}' is used before its declaration (line ${symbol.nameNode.range.start.line})`, "move the declaration up");
        return { symbol, type: symbol.type };
      }
      if ((place.kind === "parameters" || place.kind === "internals" || place.kind === "state") && !forAssignment && !initializerMayUse(place.kind, symbol.kind)) {
        this.report.error("INVALID_INITIALIZER_REFERENCE", ref, `the ${place.kind} block cannot use ${symbolKindLabel(symbol.kind)} '${key}' in an initial value`, "input ports have no value before the simulation runs");
        return { symbol, type: symbol.type };
      }
      if (s.kernels.has(ref.name) && place.kind !== "kernel" && symbol.kind === "state") {
        this.report.error("KERNEL_OUTSIDE_CONVOLVE", ref, `kernel '${ref.name}' can only be used inside convolve(${ref.name}, port)`);
        return { symbol, type: ERROR };
      }
      if (symbol.vectorSize && !ref.index && place.declaration && !forAssignment) {
        const declaresVector = place.declaration.names.some((n) => n.vectorSize);
        if (!declaresVector) {
          this.report.error("VECTOR_IN_SCALAR", ref, `vector '${ref.name}' cannot initialise a scalar; index it: ${ref.name}[i]`);
          return { symbol, type: ERROR };
        }
      }
      return { symbol, type: symbol.type };
    }

    if (ref.order > 0) {
      // x' without a declaration of its own: the derivative of a state variable with an ODE.
      const base = s.variables.get(keyOf(ref.name, ref.order - 1)) ?? s.variables.get(ref.name);
      if (base && base.kind === "state" && s.odes.has(key)) {
        const u = unitOfType(base.type);
        if (!u) return { type: ERROR };
        const baseOrder = base.order;
        return { type: unitType(divideUnits(u, powerUnit(MS, ref.order - baseOrder))) };
      }
      if (base || s.variables.has(ref.name)) {
        this.report.error("UNDECLARED_NAME", ref, `'${key}' is not declared: no state variable '${key}' and no ODE for it`);
        return { type: ERROR };
      }
    }

    if (ref.order === 0) {
      const predefined = PREDEFINED_VARIABLES.get(ref.name);
      if (predefined) return { type: ref.name === "t" ? TIME_TYPE : predefined };
      if (s.kernels.has(ref.name)) {
        if (place.kind === "kernel") return { type: s.kernels.get(ref.name)!.type };
        this.report.error("KERNEL_OUTSIDE_CONVOLVE", ref, `kernel '${ref.name}' can only be used inside convolve(${ref.name}, port)`);
        return { type: ERROR };
      }
      const unit = lookupUnit(ref.name);
      if (unit) {
        return { type: unitType(unit, ref.name) };
      }
      if (s.functions.has(ref.name) || BUILTIN_FUNCTIONS.has(ref.name)) {
        this.report.error("UNDECLARED_NAME", ref, `'${ref.name}' is a function; call it: ${ref.name}(...)`);
        return { type: ERROR };
      }
      if (place.declaration?.names.some((n) => n.name.name === ref.name) && !forAssignment) {
        this.report.error("RECURSIVE_DEFINITION", ref, `'${ref.name}' is defined in terms of itself`);
        return { type: ERROR };
      }
      const later = scope?.laterLocals.get(ref.name);
      if (later) {
        this.report.error("USED_BEFORE_DECLARED", ref, `'${ref.name}' is used before its declaration (line ${later.start.line})`, "move the declaration up");
        return { type: ERROR };
      }
    }
    const guess = closestName(key, this.visibleNames(scope));
    this.report.error("UNDECLARED_NAME", ref, `'${key}' is not declared` + (guess ? ` (did you mean '${guess}'?)` : ""));
    return { type: ERROR };
  }

  visibleNames(scope: Scope | undefined): string[] {
    const names = [...this.ctx.symbols.variables.keys(), ...this.ctx.symbols.kernels.keys(), ...PREDEFINED_VARIABLES.keys()];
    for (let sc = scope; sc; sc = sc.parent) names.push(...sc.vars.keys());
    return names;
  }

  private checkIndex(ref: VariableRef, symbol: VariableSymbol | undefined, place: Place, scope: Scope | undefined): void {
    const t = this.infer(ref.index!, place, scope);
    if (t.kind !== "error" && t.kind !== "integer") {
      this.report.error("INDEX_NOT_INTEGER", ref.index!, `a vector index must be an integer, not ${typeToString(t)}`);
    }
    if (symbol && !symbol.vectorSize) {
      this.report.error("INDEX_ON_SCALAR", ref, `'${ref.name}' is not a vector and cannot be indexed`);
      return;
    }
    // A constant index must lie in [0, size) when the size is known.
    const index = evaluateConstant(ref.index!);
    if (!symbol?.vectorSize || !index || !index.isInteger) return;
    const size = this.constantSize(symbol.vectorSize);
    if (index.si < 0 || (size !== undefined && index.si >= size)) {
      this.report.error("INDEX_OUT_OF_RANGE", ref.index!, `index ${index.si} is outside vector '${ref.name}'` + (size !== undefined ? ` (valid: 0 to ${size - 1})` : ` (indices start at 0)`));
    }
  }

  /** The value of a vector size when it is a literal or a parameter/internal with a literal value. */
  private constantSize(e: Expression): number | undefined {
    const c = evaluateConstant(e);
    if (c) return c.si;
    if (e.kind !== "VariableRef") return undefined;
    const v = this.ctx.symbols.variables.get(e.name);
    const init = v && v.declaration.kind === "Declaration" ? v.declaration.init : undefined;
    return init ? evaluateConstant(init)?.si : undefined;
  }

  private unary(e: UnaryExpr, place: Place, scope: Scope | undefined): Type {
    const t = this.infer(e.operand, place, scope);
    if (t.kind === "error") return t;
    if (e.op === "not") {
      if (t.kind !== "boolean") {
        this.report.error("TYPE_MISMATCH", e.operand, `'not' needs a boolean operand, not ${typeToString(t)}`);
        return ERROR;
      }
      return BOOLEAN;
    }
    if (e.op === "~") {
      if (t.kind !== "integer") {
        this.report.error("TYPE_MISMATCH", e.operand, `'~' needs an integer operand, not ${typeToString(t)}`);
        return ERROR;
      }
      return INTEGER;
    }
    if (!isNumeric(t)) {
      this.report.error("TYPE_MISMATCH", e.operand, `unary '${e.op}' needs a number, not ${typeToString(t)}`);
      return ERROR;
    }
    return t;
  }

  private binary(e: BinaryExpr, place: Place, scope: Scope | undefined): Type {
    const l = this.infer(e.left, place, scope);
    const r = this.infer(e.right, place, scope);
    switch (e.op) {
      case "and":
      case "or": {
        let ok = true;
        for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
          if (t.kind !== "error" && t.kind !== "boolean") {
            this.report.error("TYPE_MISMATCH", side, `'${e.op}' needs boolean operands, but ${this.describe(side)} is ${typeToString(t)}`);
            ok = false;
          }
        }
        return ok ? BOOLEAN : ERROR;
      }
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=": {
        if (l.kind === "error" || r.kind === "error") return BOOLEAN;
        if ((e.op === "==" || e.op === "!=") && !isNumeric(l) && l.kind === r.kind) return BOOLEAN;
        if (!isNumeric(l) || !isNumeric(r)) {
          this.report.error("TYPE_MISMATCH", e, `cannot compare ${typeToString(l)} with ${typeToString(r)}`);
          return BOOLEAN;
        }
        this.unify(l, r, e, `compare`, [e.left, e.right]);
        return BOOLEAN;
      }
      case "+":
      case "-": {
        if (l.kind === "error" || r.kind === "error") return ERROR;
        if (l.kind === "string" && r.kind === "string" && e.op === "+") return STRING;
        if (!this.numericOperands(e, l, r)) return ERROR;
        return this.unify(l, r, e, e.op === "+" ? "add" : "subtract", [e.left, e.right]);
      }
      case "*":
      case "/":
      case "%": {
        if (l.kind === "error" || r.kind === "error") return ERROR;
        if (!this.numericOperands(e, l, r)) return ERROR;
        if (e.op === "%") {
          if (l.kind === "unit" || r.kind === "unit") {
            if (!this.unitsAgree(l, r)) {
              this.report.error("UNIT_MISMATCH", e, `'%' needs operands of the same unit, not ${typeToString(l)} and ${typeToString(r)}`);
              return ERROR;
            }
          }
          return l.kind === "integer" && r.kind === "integer" ? INTEGER : l.kind === "unit" ? l : r.kind === "unit" ? r : REAL;
        }
        if (l.kind !== "unit" && r.kind !== "unit") {
          return e.op === "*" && l.kind === "integer" && r.kind === "integer" ? INTEGER : REAL;
        }
        const ul = unitOfType(l)!;
        const ur = unitOfType(r)!;
        const u = e.op === "*" ? multiplyUnits(ul, ur) : divideUnits(ul, ur);
        return unitType(u);
      }
      case "**": {
        if (l.kind === "error" || r.kind === "error") return ERROR;
        if (!this.numericOperands(e, l, r)) return ERROR;
        if (hasDimension(r)) {
          this.report.error("UNIT_MISMATCH", e.right, `an exponent must be dimensionless, not ${typeToString(r)}`);
          return ERROR;
        }
        if (l.kind === "unit" && !isDimensionless(l.unit)) {
          const exp = constantExponent(e.right);
          if (exp === undefined) {
            this.report.error("UNIT_EXPONENT_NOT_CONSTANT", e.right, `the exponent of a quantity in ${typeToString(l)} must be a constant number`, "divide by the unit first: (x / mV)**n");
            return ERROR;
          }
          return unitType(powerUnit(l.unit, exp));
        }
        if (l.kind === "integer" && r.kind === "integer") return INTEGER;
        return REAL;
      }
      default: {
        // bit operators
        if (l.kind === "error" || r.kind === "error") return ERROR;
        for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
          if (t.kind !== "integer") {
            this.report.error("TYPE_MISMATCH", side, `'${e.op}' needs integer operands, but ${this.describe(side)} is ${typeToString(t)}`);
            return ERROR;
          }
        }
        return INTEGER;
      }
    }
  }

  private numericOperands(e: BinaryExpr, l: Type, r: Type): boolean {
    for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
      if (!isNumeric(t)) {
        this.report.error("TYPE_MISMATCH", side, `'${e.op}' needs numbers, but ${this.describe(side)} is ${typeToString(t)}`);
        return false;
      }
    }
    return true;
  }

  private unitsAgree(a: Type, b: Type): boolean {
    const ua = unitOfType(a);
    const ub = unitOfType(b);
    return !!ua && !!ub && sameDimension(ua, ub);
  }

  /**
   * The common type of two numeric operands of + - or a comparison: the same dimension (magnitudes
   * are converted), or a plain number next to a quantity (implicit cast, warning), else an error.
   */
  unify(l: Type, r: Type, at: { readonly range: Range }, verb: string, operands?: readonly [Expression, Expression]): Type {
    if (l.kind === "error" || r.kind === "error") return ERROR;
    if (isAnyUnit(l)) return r;
    if (isAnyUnit(r)) return l;
    if (l.kind !== "unit" && r.kind !== "unit") return l.kind === "integer" && r.kind === "integer" ? INTEGER : REAL;
    if (this.unitsAgree(l, r)) return l.kind === "unit" ? l : r;
    const ld = hasDimension(l);
    const rd = hasDimension(r);
    if (ld && rd) {
      const [a, b] = operands ? [`${this.describe(operands[0])} (${typeToString(l)})`, `${this.describe(operands[1])} (${typeToString(r)})`] : [typeToString(l), typeToString(r)];
      this.report.error("UNIT_MISMATCH", at, `cannot ${verb} ${a} and ${b}: different physical dimensions`);
      return ERROR;
    }
    const [plain, quantity] = ld ? [r, l] : [l, r];
    this.report.warning("IMPLICIT_CAST", at, `implicit cast: the ${typeToString(plain)} value is taken as ${typeToString(quantity)}`, `write the unit explicitly`);
    return quantity;
  }

  private ternary(e: TernaryExpr, place: Place, scope: Scope | undefined): Type {
    this.checkCondition(e.condition, place, scope, "a ternary condition");
    const a = this.infer(e.whenTrue, place, scope);
    const b = this.infer(e.whenFalse, place, scope);
    if (a.kind === "error" || b.kind === "error") return ERROR;
    if (isNumeric(a) && isNumeric(b)) return this.unify(a, b, e, "choose between");
    if (a.kind !== b.kind) {
      this.report.error("TYPE_MISMATCH", e.whenFalse, `both branches of '?:' must have the same type, not ${typeToString(a)} and ${typeToString(b)}`);
      return ERROR;
    }
    return a;
  }

  /** Checks that a condition is boolean. */
  checkCondition(e: Expression, place: Place, scope: Scope | undefined, what: string): void {
    const t = this.infer(e, place, scope);
    if (t.kind !== "error" && t.kind !== "boolean") {
      this.report.error("CONDITION_NOT_BOOLEAN", e, `${what} must be boolean, but ${this.describe(e)} is ${typeToString(t)}`, isNumeric(t) ? "compare it, e.g. x > 0" : undefined);
    }
  }

  /**
   * Can a value of type `value` be stored in `target`? Reports UNIT_MISMATCH / TYPE_MISMATCH, or an
   * IMPLICIT_CAST warning for plain numbers <-> quantities and real -> integer.
   */
  checkAssignable(target: Type, value: Type, at: { readonly range: Range }, describeTarget: string, code = "UNIT_MISMATCH"): boolean {
    if (target.kind === "error" || value.kind === "error") return true;
    if (value.kind === "void") {
      this.report.error("VOID_IN_EXPRESSION", at, `the expression has no value (void)`);
      return false;
    }
    if (isNumeric(target) && isNumeric(value)) {
      if (isAnyUnit(value)) return true;
      if (this.unitsAgree(target, value)) {
        if (target.kind === "integer" && value.kind !== "integer") {
          this.report.warning("IMPLICIT_CAST", at, `implicit cast from ${typeToString(value)} to integer for ${describeTarget}`);
        }
        return true;
      }
      if (hasDimension(target) && hasDimension(value)) {
        const named = formatUnit(divideUnits(unitOfType(target)!, unitOfType(value)!));
        const paren = (u: string) => (/[*/]/.test(u) ? `(${u})` : u);
        // A value in 1/X (a NESTML spike port is 1/s) needs X times the target: `spikes * mV * s`.
        const perUnit = /^1\/([A-Za-z]+)$/.exec(typeToString(value));
        const factor = !/[*/]/.test(named) ? named
          : perUnit ? `${paren(typeToString(target))}*${perUnit[1]}`
          : `${paren(typeToString(target))}/${paren(typeToString(value))}`;
        this.report.error(code, at, `cannot assign a value in ${typeToString(value)} to ${describeTarget} (${typeToString(target)})`, `multiply the value by a quantity in ${factor} to get ${typeToString(target)}`);
        return false;
      }
      this.report.warning("IMPLICIT_CAST", at, `implicit cast from ${typeToString(value)} to ${typeToString(target)} for ${describeTarget}`, "write the unit explicitly");
      return true;
    }
    if (target.kind === value.kind) return true;
    this.report.error(code === "UNIT_MISMATCH" ? "TYPE_MISMATCH" : code, at, `cannot assign a value of type ${typeToString(value)} to ${describeTarget} (${typeToString(target)})`);
    return false;
  }

  resolveTypeExpr = resolveType;

  /** A vector size: an integer literal > 0, or an integer parameter/internal. */
  checkVectorSize(e: Expression, place: Place): void {
    const c = evaluateConstant(e);
    if (c) {
      if (!c.isInteger || !(c.si > 0) || !isDimensionless(c.unit)) {
        this.report.error("INVALID_VECTOR_SIZE", e, `a vector size must be an integer greater than 0`);
      }
      return;
    }
    if (e.kind === "VariableRef" && !e.index && e.order === 0) {
      const v = this.ctx.symbols.variables.get(e.name);
      if (!v) {
        this.resolveRef(e, { kind: "size", label: "a vector size" }, undefined);
        return;
      }
      if (v.kind !== "parameter" && v.kind !== "internal") {
        this.report.error("VECTOR_SIZE_NOT_CONSTANT", e, `a vector size must be a literal or a parameter/internal, but '${e.name}' is ${v.kind === "state" ? "a state variable" : "not constant"}`);
        return;
      }
      if (v.type.kind !== "integer" && v.type.kind !== "error") {
        this.report.error("INVALID_VECTOR_SIZE", e, `a vector size must be an integer, but '${e.name}' is ${typeToString(v.type)}`);
        return;
      }
      const init = v.declaration.kind === "Declaration" ? v.declaration.init : undefined;
      const value = init ? evaluateConstant(init) : undefined;
      if (value && !(value.si > 0)) this.report.error("INVALID_VECTOR_SIZE", e, `a vector size must be greater than 0, but '${e.name}' is ${value.si}`);
      return;
    }
    this.infer(e, place, undefined);
    this.report.error("VECTOR_SIZE_NOT_CONSTANT", e, `a vector size must be an integer literal or an integer parameter/internal`);
  }
}

export function formatType(t: Type): string {
  return typeToString(t);
}

export { formatUnit };
