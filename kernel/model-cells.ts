/**
 * Model cells: a cell that starts with `%%model` (or whose first line is a `model NAME:` header) holds
 * model-language source. It is checked by the language front end and installed into the global model
 * registry, so the next TypeScript cell can `sim.create("NAME")`.
 *
 * Line numbers in errors are the cell's own: the `%%model` line is blanked rather than removed, so
 * line N of the source is line N of the cell.
 *
 * The front end (`parseModels`) and the runtime (`installModels`) are loaded lazily by path so the
 * kernel keeps working, with a clear message, in a build that does not have them yet.
 */
import type { SourceFile, VariableBlock } from "../language/ast.js";
import { formatDiagnostic, formatHeadline, type Diagnostic } from "../language/diagnostics.js";

export interface ModelCellError {
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: string[];
}

export type ModelCellOutcome = { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly error: ModelCellError };

const MAGIC = /^%%model\b[^\n]*/;
const HEADER = /^model\s+[A-Za-z_]\w*\s*:/;

/**
 * True for `%%model` cells and cells whose first line (after blank lines and `#` comments, which
 * are not TypeScript) is `model NAME:`.
 */
export function isModelCell(code: string): boolean {
  const first = code.split("\n").find((line) => line.trim() !== "" && !/^\s*#(?!!)/.test(line))?.trimStart() ?? "";
  return MAGIC.test(first) || HEADER.test(first);
}

/** The model source with the `%%model` line blanked (so line numbers stay the cell's). */
export function modelSource(code: string): string {
  const lines = code.split("\n");
  const index = lines.findIndex((line) => line.trim() !== "");
  if (index >= 0 && MAGIC.test(lines[index]!.trimStart())) lines[index] = "";
  return lines.join("\n");
}

interface FrontEndResult {
  readonly file?: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** What model cells use from the package: the root barrel has it all; area barrels are the fallback. */
interface SpikelabModule {
  parseModels?: (source: string, fileName?: string) => FrontEndResult;
  parse?: (source: string, fileName?: string) => FrontEndResult;
  installModels?: (source: string, fileName?: string) => unknown;
  compileModels?: (source: string, fileName?: string) => unknown;
  setModelCompiler?: (compiler: (source: string, fileName?: string) => unknown) => void;
}

async function load(specifier: string): Promise<SpikelabModule> {
  try {
    return (await import(specifier)) as SpikelabModule;
  } catch {
    return {};
  }
}

/** The package's functions, found lazily (paths are relative to dist/kernel/). */
async function spikelab(): Promise<SpikelabModule> {
  const [root, language, runtime] = await Promise.all([load("../index.js"), load("../language/index.js"), load("../runtime/index.js")]);
  const parseModels = root.parseModels ?? language.parseModels;
  const parse = root.parse ?? language.parse;
  const installModels = root.installModels ?? runtime.installModels;
  // The runtime compiles through a pluggable compiler; make sure it has the language's one
  // (the package barrel normally wires this; doing it again is harmless).
  const compileModels = root.compileModels ?? language.compileModels;
  const setModelCompiler = root.setModelCompiler ?? runtime.setModelCompiler;
  if (compileModels && setModelCompiler && !compilerWired) {
    setModelCompiler(compileModels);
    compilerWired = true;
  }
  return { ...(parseModels && { parseModels }), ...(parse && { parse }), ...(installModels && { installModels }) };
}

let compilerWired = false;

export async function runModelCell(code: string, fileName: string): Promise<ModelCellOutcome> {
  const source = modelSource(code);
  const lib = await spikelab();

  // Check first: the front end's diagnostics carry ranges, so we can draw carets. Without the
  // checker (parseModels) the parser alone still catches syntax errors.
  const frontEnd = lib.parseModels ?? lib.parse;
  let checked: FrontEndResult | undefined;
  if (frontEnd) {
    checked = frontEnd(source, fileName);
    const errors = checked.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) return { ok: false, error: diagnosticsError(errors, source) };
  }
  if (!lib.installModels) {
    const missing = frontEnd ? "the runtime's installModels" : "the language front end and the runtime (installModels)";
    const message = `model cells are not available in this build: ${missing} is missing`;
    return { ok: false, error: { ename: "ModelError", evalue: message, traceback: [`ModelError: ${message}`] } };
  }
  try {
    await lib.installModels(source, fileName);
  } catch (e) {
    return { ok: false, error: installError(e, source) };
  }
  const warnings = (checked?.diagnostics ?? []).filter((d) => d.severity === "warning").map((w) => formatDiagnostic(w, source));
  return { ok: true, summary: [...warnings, summarize(checked?.file)].join("\n") };
}

function diagnosticsError(diagnostics: readonly (Diagnostic | string)[], source: string): ModelCellError {
  const rendered = diagnostics.map((d) => (typeof d === "string" ? d : formatDiagnostic(d, source)));
  const first = diagnostics[0]!;
  const evalue = typeof first === "string" ? first.split("\n")[0]! : formatHeadline(first);
  const count = diagnostics.length === 1 ? "1 error" : `${diagnostics.length} errors`;
  return { ename: "ModelError", evalue, traceback: [...rendered.flatMap((r) => [r, ""]), `ModelError: ${count} in model cell`] };
}

/** Errors from installModels: diagnostics (objects or already formatted text) or a plain message. */
function installError(e: unknown, source: string): ModelCellError {
  const diagnostics = (e as { diagnostics?: unknown })?.diagnostics;
  if (Array.isArray(diagnostics) && diagnostics.length > 0) {
    const errors = diagnostics.filter((d) => typeof d === "string" || (d as Diagnostic).severity !== "warning");
    return diagnosticsError(errors.length > 0 ? errors : diagnostics, source);
  }
  const name = e instanceof Error ? e.name : "ModelError";
  const message = e instanceof Error ? e.message : String(e);
  return { ename: name, evalue: message, traceback: [`${name}: ${message}`] };
}

/** "Installed neuron model iaf_psc_exp (9 parameters, 3 state variables)." from the checked AST. */
export function summarize(file: SourceFile | undefined): string {
  const models = file?.models ?? [];
  if (models.length === 0) return "Installed the models of this cell.";
  const count = (model: (typeof models)[number], kind: "parameters" | "state") =>
    model.blocks
      .filter((b): b is VariableBlock => b.kind === "VariableBlock" && b.blockKind === kind)
      .reduce((n, b) => n + b.declarations.reduce((m, d) => m + d.names.length, 0), 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = models.map((m) => {
    const kind = m.name.name.endsWith("synapse") ? "synapse" : "neuron";
    return `${kind} model ${m.name.name} (${plural(count(m, "parameters"), "parameter")}, ${plural(count(m, "state"), "state variable")})`;
  });
  return `Installed ${parts.join(", ")}; create it with sim.create("${models[0]!.name.name}", n).`;
}
