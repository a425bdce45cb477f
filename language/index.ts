export * from "./ast.js";
export * from "./diagnostics.js";
export { parse, type ParseResult } from "./parse.js";
