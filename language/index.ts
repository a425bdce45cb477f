export * from "./ast.js";
export * from "./diagnostics.js";
