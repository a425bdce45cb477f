/**
 * How the runtime reaches the model compiler (language/compile/). Kept behind one function so the
 * registry does not care whether models come from the compiler or from test fixtures.
 */
import { compileModels } from "../language/compile/index.js";
import type { Diagnostic } from "../language/diagnostics.js";
import type { CompiledModel } from "./model-abi.js";

export interface CompileResult {
  readonly models: readonly CompiledModel[];
  readonly diagnostics: readonly Diagnostic[];
}

export type ModelCompiler = (source: string, fileName?: string) => CompileResult;

let compiler: ModelCompiler = compileModels;

/** Replaces the compiler used for bundled models, `installModels` and `sim.install` (tests). */
export function setModelCompiler(c: ModelCompiler | undefined): void {
  compiler = c ?? compileModels;
}

export function getModelCompiler(): ModelCompiler {
  return compiler;
}
