/**
 * The model compiler: checked models -> `runtime/model-abi.ts` objects with generated kernels.
 *
 * `compileModels(source)` parses, checks and compiles every model of a file; model source errors come
 * back as diagnostics (never thrown). `compileModel(decl)` compiles one already-checked model.
 */
import type { ModelDecl } from "../ast.js";
import { parseModels } from "../check.js";
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { CompiledModel } from "../../runtime/model-abi.js";
import { CompileError, collectModel } from "./model-info.js";
import { compileNeuron } from "./neuron.js";
import { compileSynapse } from "./synapse.js";

export interface CompileModelOptions {
  /** The file's text, used for readable guard messages and e-prop binding text. */
  readonly source?: string;
  readonly fileName?: string;
}

export interface CompileModelsResult {
  readonly models: CompiledModel[];
  readonly diagnostics: Diagnostic[];
}

/** Compiles one checked model declaration. Throws `CompileError` for constructs the compiler cannot lower. */
export function compileModel(decl: ModelDecl, options: CompileModelOptions = {}): CompiledModel {
  const info = collectModel(decl);
  return info.isSynapse ? compileSynapse(info, options.source) : compileNeuron(info, options.source);
}

/** Parses, checks and compiles every model in `source`. Models with errors are left out. */
export function compileModels(source: string, fileName = "<input>"): CompileModelsResult {
  const parsed = parseModels(source, fileName);
  const diagnostics = [...parsed.diagnostics];
  const models: CompiledModel[] = [];
  for (const decl of parsed.file.models) {
    const a = decl.range.start.offset;
    const b = decl.range.end.offset;
    const broken = parsed.diagnostics.some(
      (d) => d.severity === "error" && d.range.start.offset >= a && d.range.start.offset <= b,
    );
    if (broken) continue;
    try {
      models.push(compileModel(decl, { source: parsed.source, fileName }));
    } catch (e) {
      if (e instanceof CompileError) {
        diagnostics.push(makeDiagnostic(e.code, `model ${decl.name.name}: ${e.message}`, fileName, e.range ?? decl.name.range));
      } else {
        diagnostics.push(makeDiagnostic("INTERNAL", `model ${decl.name.name}: compiler failure: ${(e as Error).message}`, fileName, decl.name.range));
      }
    }
  }
  return { models, diagnostics: sortDiagnostics(diagnostics) };
}

export { CompileError } from "./model-info.js";
export { expm, propagators } from "./linalg.js";
export { rk45, steps } from "./helpers.js";
