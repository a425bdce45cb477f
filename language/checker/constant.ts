/**
 * Folding of constant expressions (literals, `inf`, unary minus, arithmetic of constants) for the
 * places that need a value at check time: unit exponents, vector sizes, priorities, settings.
 */
import type { Expression } from "../ast.js";
import { DIMENSIONLESS, divideUnits, isDimensionless, multiplyUnits, sameDimension, type Unit } from "../units/dimension.js";
import { evaluateUnitExpr } from "../units/unit-expr.js";

export interface ConstantValue {
  /** Value in coherent SI units (`10 mV` -> 0.01). */
  readonly si: number;
  readonly unit: Unit;
  readonly isInteger: boolean;
}

export function evaluateConstant(e: Expression): ConstantValue | undefined {
  switch (e.kind) {
    case "NumberLiteral": {
      if (!e.unit) return { si: e.value, unit: DIMENSIONLESS, isInteger: e.isInteger };
      const u = evaluateUnitExpr(e.unit);
      return u ? { si: e.value * u.scale, unit: { dims: u.dims, scale: 1 }, isInteger: false } : undefined;
    }
    case "InfLiteral":
      return { si: Infinity, unit: DIMENSIONLESS, isInteger: false };
    case "Paren":
      return evaluateConstant(e.expr);
    case "Unary": {
      const v = evaluateConstant(e.operand);
      if (!v || (e.op !== "-" && e.op !== "+")) return undefined;
      return e.op === "-" ? { ...v, si: -v.si } : v;
    }
    case "Binary": {
      const l = evaluateConstant(e.left);
      const r = evaluateConstant(e.right);
      if (!l || !r) return undefined;
      const isInteger = l.isInteger && r.isInteger;
      switch (e.op) {
        case "+":
        case "-":
          if (!sameDimension(l.unit, r.unit)) return undefined;
          return { si: e.op === "+" ? l.si + r.si : l.si - r.si, unit: l.unit, isInteger };
        case "*":
          return { si: l.si * r.si, unit: multiplyUnits(l.unit, r.unit), isInteger };
        case "/":
          return { si: l.si / r.si, unit: divideUnits(l.unit, r.unit), isInteger: false };
        case "**":
          if (!isDimensionless(r.unit)) return undefined;
          return isDimensionless(l.unit) ? { si: Math.pow(l.si, r.si), unit: DIMENSIONLESS, isInteger: isInteger && r.si >= 0 } : undefined;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** A constant exponent (`2`, `-1`, `(1/2)`, `0.5`), for unit powers. */
export function constantExponent(e: Expression): number | undefined {
  const v = evaluateConstant(e);
  return v && isDimensionless(v.unit) && Number.isFinite(v.si) ? v.si : undefined;
}
