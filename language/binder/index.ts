export { bindModel, resolveType } from "./bind.js";
export { BUILTIN_FUNCTIONS, PREDEFINED_VARIABLES, type BuiltinFunction } from "./builtins.js";
export * from "./symbols.js";
export * from "./types.js";
export { closestName, editDistance } from "./suggest.js";
