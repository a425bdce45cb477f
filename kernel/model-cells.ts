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
import { formatDiagnostic, type Diagnostic } from "../language/diagnostics.js";

export interface ModelCellError {
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: string[];
}

export type ModelCellOutcome = { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly error: ModelCellError };

const MAGIC = /^%%model\b[^\n]*/;
const HEADER = /^model\s+[A-Za-z_]\w*\s*:/;

/** True for `%%model` cells and cells whose first non-blank line is `model NAME:`. */
export function isModelCell(code: string): boolean {
  const first = code.split("\n").find((line) => line.trim() !== "")?.trimStart() ?? "";
  return MAGIC.test(first) || HEADER.test(first);
}

/** The model source with the `%%model` line blanked (so line numbers stay the cell's). */
export function modelSource(code: string): string {
  const lines = code.split("\n");
  const index = lines.findIndex((line) => line.trim() !== "");
  if (index >= 0 && MAGIC.test(lines[index]!.trimStart())) lines[index] = "";
  return lines.join("\n");
}

interface LanguageModule {
  parseModels?: (source: string, fileName?: string) => { diagnostics: readonly Diagnostic[] };
}

interface RuntimeModule {
  installModels?: (source: string, fileName?: string) => unknown;
}

async function load<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch {
    return undefined;
  }
}

export async function runModelCell(code: string, fileName: string): Promise<ModelCellOutcome> {
  const source = modelSource(code);
  const languagePath = "../language/index.js";
  const runtimePath = "../runtime/index.js";
  const language = await load<LanguageModule>(languagePath);
  const runtime = await load<RuntimeModule>(runtimePath);

  // Check first: the front end's diagnostics carry ranges, so we can draw carets.
  let warnings: readonly Diagnostic[] = [];
  if (language?.parseModels) {
    const parsed = language.parseModels(source, fileName);
    const errors = parsed.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) return { ok: false, error: diagnosticsError(errors, source) };
    warnings = parsed.diagnostics.filter((d) => d.severity === "warning");
  }
  if (!runtime?.installModels) {
    const missing = language?.parseModels ? "the runtime's installModels" : "the language front end (parseModels) and the runtime (installModels)";
    return {
      ok: false,
      error: {
        ename: "ModelError",
        evalue: `model cells are not available in this build: ${missing} is missing`,
        traceback: [`ModelError: model cells are not available in this build: ${missing} is missing`],
      },
    };
  }
  let installed: unknown;
  try {
    installed = await runtime.installModels(source, fileName);
  } catch (e) {
    return { ok: false, error: installError(e, source) };
  }
  const summary = summarize(installed);
  const notes = warnings.map((w) => formatDiagnostic(w, source));
  return { ok: true, summary: [...notes, summary].join("\n") };
}

function diagnosticsError(diagnostics: readonly (Diagnostic | string)[], source: string): ModelCellError {
  const rendered = diagnostics.map((d) => (typeof d === "string" ? d : formatDiagnostic(d, source)));
  const first = diagnostics[0]!;
  const evalue = typeof first === "string" ? first.split("\n")[0]! : `${first.message} (line ${first.range.start.line}, column ${first.range.start.column})`;
  const count = diagnostics.length === 1 ? "1 error" : `${diagnostics.length} errors`;
  return { ename: "ModelError", evalue, traceback: [...rendered.flatMap((r) => [r, ""]), `ModelError: ${count} in model cell`] };
}

/** Errors from installModels: diagnostics (objects or already formatted text) or a plain message. */
function installError(e: unknown, source: string): ModelCellError {
  const diagnostics = (e as { diagnostics?: unknown })?.diagnostics;
  if (Array.isArray(diagnostics) && diagnostics.length > 0) {
    return diagnosticsError(diagnostics as (Diagnostic | string)[], source);
  }
  const name = e instanceof Error ? e.name : "ModelError";
  const message = e instanceof Error ? e.message : String(e);
  return { ename: name, evalue: message, traceback: [`${name}: ${message}`] };
}

interface ModelLike {
  readonly name?: unknown;
  readonly kind?: unknown;
  readonly variables?: readonly { kind?: unknown; visible?: unknown }[];
}

/** "Installed neuron model iaf_psc_exp (12 parameters)." from whatever installModels returned. */
export function summarize(installed: unknown): string {
  const list: unknown[] = Array.isArray(installed)
    ? installed
    : Array.isArray((installed as { models?: unknown })?.models)
      ? ((installed as { models: unknown[] }).models)
      : [];
  const models = list.filter((m): m is ModelLike => typeof m === "object" && m !== null && typeof (m as ModelLike).name === "string");
  if (models.length === 0) return "Installed the models of this cell.";
  const parts = models.map((m) => {
    const params = (m.variables ?? []).filter((v) => v.kind === "parameter" && v.visible !== false).length;
    const kind = typeof m.kind === "string" ? `${m.kind} ` : "";
    return `${kind}model ${String(m.name)} (${params} parameter${params === 1 ? "" : "s"})`;
  });
  return `Installed ${parts.join(", ")}.`;
}
