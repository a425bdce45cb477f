export * from "./dimension.js";
export { lookupUnit, isUnitName, allUnitNames, PREFIXES } from "./registry.js";
export { toKernelScale, kernelUnitOf, kernelUnitName } from "./kernel-scale.js";
export { formatUnit, unitExprText } from "./format.js";
export { evaluateUnitExpr, unitOf, type UnitProblem } from "./unit-expr.js";
