/** Evaluates unit expressions from the syntax tree (`mV/ms`, `1/ms`, `nS**2`, `ms**-1`, `nS**(1/2)`). */
import type { TypeExpr, UnitExpr } from "../ast.js";
import { DIMENSIONLESS, divideUnits, multiplyUnits, powerUnit, type Unit } from "./dimension.js";
import { lookupUnit } from "./registry.js";

/** A problem found while evaluating a unit expression; the checker turns these into diagnostics. */
export interface UnitProblem {
  readonly code: "UNKNOWN_UNIT" | "BAD_UNIT_NUMERATOR";
  readonly node: UnitExpr;
  readonly name?: string;
}

/** The unit an expression denotes, or undefined when part of it is unknown (problems say why). */
export function evaluateUnitExpr(u: UnitExpr, problems?: UnitProblem[]): Unit | undefined {
  switch (u.kind) {
    case "UnitName": {
      const unit = lookupUnit(u.name);
      if (!unit) problems?.push({ code: "UNKNOWN_UNIT", node: u, name: u.name });
      return unit;
    }
    case "UnitOne":
      if (u.value !== 1) problems?.push({ code: "BAD_UNIT_NUMERATOR", node: u });
      return DIMENSIONLESS;
    case "UnitBinary": {
      const l = evaluateUnitExpr(u.left, problems);
      const r = evaluateUnitExpr(u.right, problems);
      if (!l || !r) return undefined;
      return u.op === "*" ? multiplyUnits(l, r) : divideUnits(l, r);
    }
    case "UnitPower": {
      const b = evaluateUnitExpr(u.base, problems);
      if (!b || u.denominator === 0) return undefined;
      return powerUnit(b, u.numerator / u.denominator);
    }
  }
}

/**
 * The unit of a declared type: a unit type's unit, DIMENSIONLESS for `real`/`integer`, undefined for
 * `boolean`/`string`/`void` and for unknown unit names.
 */
export function unitOf(type: TypeExpr): Unit | undefined {
  if (type.kind === "PrimitiveType") return type.name === "real" || type.name === "integer" ? DIMENSIONLESS : undefined;
  return evaluateUnitExpr(type.unit);
}
