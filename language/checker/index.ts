export { checkModel } from "./check-model.js";
export { CHECK_CODES, SYNTAX_CODES, ALL_CODES } from "./codes.js";
export { SURROGATE_FUNCTIONS } from "./eprop.js";
export { evaluateConstant, type ConstantValue } from "./constant.js";
