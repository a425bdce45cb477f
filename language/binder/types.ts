/**
 * Types of values in the model language: the primitive types and physical units. `error` is the type
 * of something already reported as wrong; every rule accepts it silently so one mistake gives one
 * diagnostic, not a cascade.
 */
import type { TypeExpr } from "../ast.js";
import { DIMENSIONLESS, isDimensionless, sameDimension, type Unit } from "../units/dimension.js";
import { formatUnit, unitExprText } from "../units/format.js";
import { evaluateUnitExpr, type UnitProblem } from "../units/unit-expr.js";

export type Type =
  /** `anyUnit`: the value `inf`, which fits every unit without a cast. */
  | { readonly kind: "real"; readonly anyUnit?: boolean }
  | { readonly kind: "integer" }
  | { readonly kind: "boolean" }
  | { readonly kind: "string" }
  | { readonly kind: "void" }
  /** A physical quantity; `text` is the unit as the user wrote it, for messages. */
  | { readonly kind: "unit"; readonly unit: Unit; readonly text?: string }
  | { readonly kind: "error" };

export const REAL: Type = { kind: "real" };
export const INFINITY_TYPE: Type = { kind: "real", anyUnit: true };

export function isAnyUnit(t: Type): boolean {
  return t.kind === "real" && t.anyUnit === true;
}
export const INTEGER: Type = { kind: "integer" };
export const BOOLEAN: Type = { kind: "boolean" };
export const STRING: Type = { kind: "string" };
export const VOID: Type = { kind: "void" };
export const ERROR: Type = { kind: "error" };

export function unitType(unit: Unit, text?: string): Type {
  return text === undefined ? { kind: "unit", unit } : { kind: "unit", unit, text };
}

export function isNumeric(t: Type): boolean {
  return t.kind === "real" || t.kind === "integer" || t.kind === "unit";
}

/** The physical unit of a numeric type (DIMENSIONLESS for real/integer). */
export function unitOfType(t: Type): Unit | undefined {
  if (t.kind === "unit") return t.unit;
  if (t.kind === "real" || t.kind === "integer") return DIMENSIONLESS;
  return undefined;
}

/** A unit type whose dimension is not 1 (mV, 1/s); `mV/V` counts as dimensionless. */
export function hasDimension(t: Type): boolean {
  return t.kind === "unit" && !isDimensionless(t.unit);
}

export function typeToString(t: Type): string {
  switch (t.kind) {
    case "unit":
      return t.text ?? formatUnit(t.unit);
    case "error":
      return "<unknown>";
    default:
      return t.kind;
  }
}

/** Same dimension, or both dimensionless numbers. */
export function compatibleUnits(a: Type, b: Type): boolean {
  const ua = unitOfType(a);
  const ub = unitOfType(b);
  return ua !== undefined && ub !== undefined && sameDimension(ua, ub);
}

/** The type a declared type expression denotes; unit problems are pushed for the caller to report. */
export function typeFromTypeExpr(t: TypeExpr, problems?: UnitProblem[]): Type {
  if (t.kind === "PrimitiveType") {
    switch (t.name) {
      case "real":
        return REAL;
      case "integer":
        return INTEGER;
      case "boolean":
        return BOOLEAN;
      case "string":
        return STRING;
      case "void":
        return VOID;
    }
  }
  const unit = evaluateUnitExpr(t.unit, problems);
  return unit ? unitType(unit, unitExprText(t.unit)) : ERROR;
}
