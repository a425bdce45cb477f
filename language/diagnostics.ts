/**
 * Diagnostics are data: every stage (scanner, parser, binder, checker, compiler) reports problems as
 * `Diagnostic` values; nothing throws for a user mistake. Formatting for humans lives here too, so the
 * CLI, the library and the Jupyter kernel print exactly the same text.
 */
import type { Position, Range } from "./ast.js";

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  /** Stable, upper-case mnemonic such as `UNDECLARED_NAME` or `UNIT_MISMATCH`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly range: Range;
  /** Optional one-line suggestion printed after the caret snippet. */
  readonly hint?: string;
}

export function makeDiagnostic(
  code: string,
  message: string,
  file: string,
  range: Range,
  severity: Severity = "error",
  hint?: string,
): Diagnostic {
  return hint === undefined ? { code, severity, message, file, range } : { code, severity, message, file, range, hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, then position, so output is stable and reads top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.offset - b.range.start.offset || a.code.localeCompare(b.code),
  );
}

/** The first line of a diagnostic: `file:line:col: error[CODE]: message`. */
export function formatHeadline(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}[${d.code}]: ${d.message}`;
}

/**
 * `file:line:col: error[CODE]: message`, then the source line and a caret under the spot, then the
 * hint. `lineOffset` shifts reported lines (used by the Jupyter kernel for `%%model` cells).
 */
export function formatDiagnostic(d: Diagnostic, source?: string): string {
  const out = [formatHeadline(d)];
  if (source !== undefined) {
    const lineText = sourceLine(source, d.range.start.line);
    if (lineText !== undefined) {
      const gutter = String(d.range.start.line);
      const pad = " ".repeat(gutter.length);
      const start = Math.max(1, d.range.start.column);
      const sameLine = d.range.end.line === d.range.start.line;
      const width = sameLine ? Math.max(1, d.range.end.column - start) : Math.max(1, lineText.length - start + 1);
      const shown = snippetWindow(lineText.replace(/\t/g, " "), start, Math.min(width, Math.max(1, lineText.length - start + 1)));
      out.push(`${pad} |`);
      out.push(`${gutter} | ${shown.text}`);
      out.push(`${pad} | ${" ".repeat(shown.caretColumn - 1)}${"^".repeat(shown.caretWidth)}`);
    }
  }
  if (d.hint) out.push(`  = hint: ${d.hint}`);
  return out.join("\n");
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> | string): string {
  return sortDiagnostics(diagnostics)
    .map((d) => formatDiagnostic(d, typeof sources === "string" ? sources : sources.get(d.file)))
    .join("\n\n");
}

/** Lines longer than this are shown as a window around the spot, so the caret stays on screen. */
export const MAX_SNIPPET_WIDTH = 120;
const SNIPPET_CONTEXT_BEFORE = 40;

function snippetWindow(line: string, column: number, width: number): { text: string; caretColumn: number; caretWidth: number } {
  if (line.length <= MAX_SNIPPET_WIDTH) return { text: line, caretColumn: column, caretWidth: width };
  const from = Math.max(0, Math.min(column - 1 - SNIPPET_CONTEXT_BEFORE, line.length - MAX_SNIPPET_WIDTH));
  const to = Math.min(line.length, from + MAX_SNIPPET_WIDTH);
  const before = from > 0 ? "…" : "";
  const after = to < line.length ? "…" : "";
  const caretColumn = column - from + before.length;
  const caretWidth = Math.max(1, Math.min(width, to - (column - 1)));
  return { text: before + line.slice(from, to) + after, caretColumn, caretWidth };
}

function sourceLine(source: string, line: number): string | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = source.indexOf("\n", start);
  return source.slice(start, end < 0 ? source.length : end).replace(/\r$/, "");
}

/** Position of a 0-based offset (1-based line/column). */
export function positionAt(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** Thrown only for *API misuse* of the language library (not for model source errors). */
export class ModelSourceError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly rendered: string) {
    super(rendered);
    this.name = "ModelSourceError";
  }
}
