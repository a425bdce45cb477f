/**
 * How the runtime reaches the model compiler (language/compile/). Kept behind one function so the
 * registry does not care whether models come from the compiler or from test fixtures.
 */
import type { Diagnostic } from "../language/diagnostics.js";
import type { CompiledModel } from "./model-abi.js";

export interface CompileResult {
  readonly models: readonly CompiledModel[];
  readonly diagnostics: readonly Diagnostic[];
}

export type ModelCompiler = (source: string, fileName?: string) => CompileResult;

let compiler: ModelCompiler | undefined;

/** Installs the compiler used for bundled models, `installModels` and `sim.install`. */
export function setModelCompiler(c: ModelCompiler | undefined): void {
  compiler = c;
}

export function getModelCompiler(): ModelCompiler | undefined {
  return compiler;
}
