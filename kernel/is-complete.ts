/**
 * `is_complete_request`: should a console run the code on Enter, or wait for more lines?
 * Parsed with the TypeScript that tslab runs cells with, so the answer matches what will compile.
 *
 * - complete: parses cleanly (type errors are the compiler's business, not the console's),
 * - incomplete: the only problems are "X expected" at the very end, or an unterminated
 *   template/comment (the user is still typing); we suggest the next line's indent,
 * - invalid: a syntax error before the end, which more typing cannot fix.
 */
import { createRequire } from "node:module";
import { isModelCell } from "./model-cells.js";

const require = createRequire(import.meta.url);

interface TsForIsComplete {
  createSourceFile(name: string, text: string, target: number, setParents?: boolean, kind?: number): {
    parseDiagnostics?: readonly { start?: number; length?: number; messageText: unknown; code: number }[];
  };
  ScriptTarget: { Latest: number };
  ScriptKind: { TS: number };
}

export type Completeness = { readonly status: "complete" | "invalid" } | { readonly status: "incomplete"; readonly indent: string };

/** Diagnostics that mean "this construct is not closed yet" wherever they are reported. */
const UNTERMINATED = new Set([
  1002, // Unterminated string literal (only at end of text matters, checked below)
  1010, // '*/' expected
  1160, // Unterminated template literal
  1161, // Unterminated regular expression literal
]);

export function isComplete(code: string): Completeness {
  if (code.trim() === "") return { status: "complete" };
  if (isModelCell(code)) return modelCellCompleteness(code);
  // Two trailing blank lines force execution, as in tslab and IPython.
  if (/\n[ \t]*\n[ \t]*$/.test(code) && /\S/.test(code)) return { status: "complete" };
  const ts = require("@tslab/typescript-for-tslab") as TsForIsComplete;
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = file.parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: "complete" };
  const end = code.length;
  const atEnd = (d: { start?: number; length?: number }) => (d.start ?? 0) + (d.length ?? 0) >= end;
  const stillTyping = diagnostics.every(
    (d) =>
      (atEnd(d) && typeof d.messageText === "string" && d.messageText.endsWith(" expected.")) ||
      (UNTERMINATED.has(d.code) && atEnd(d) && d.code !== 1002),
  );
  if (stillTyping) return { status: "incomplete", indent: nextIndent(code) };
  return { status: "invalid" };
}

/** Indent for the next line: the current line's, one level deeper after an opening bracket. */
function nextIndent(code: string): string {
  const line = /[^\n]*$/.exec(code)?.[0] ?? "";
  const current = /^\s*/.exec(line)?.[0] ?? "";
  let depth = 0;
  for (const ch of line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "")) {
    if ("{([".includes(ch)) depth++;
    else if ("})]".includes(ch)) depth = Math.max(0, depth - 1);
  }
  return depth > 0 ? current + "  " : current;
}

/**
 * Model cells are indentation-based: a line ending in `:` opens a block (wait for its body); a blank
 * last line ends the cell. Errors are the compiler's to report when the cell runs.
 */
function modelCellCompleteness(code: string): Completeness {
  const lines = code.replace(/\s+$/, "").split("\n");
  const last = lines[lines.length - 1] ?? "";
  if (/^\s*%%model\b/.test(last)) return { status: "incomplete", indent: "" };
  if (/\n[ \t]*$/.test(code) && !/:\s*(#.*)?$/.test(last)) return { status: "complete" };
  const indent = /^\s*/.exec(last)?.[0] ?? "";
  if (/:\s*(#.*)?$/.test(last)) return { status: "incomplete", indent: indent + "    " };
  return indent === "" ? { status: "complete" } : { status: "incomplete", indent };
}
