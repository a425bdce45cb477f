/**
 * Turning what went wrong in a cell into Jupyter's `{ ename, evalue, traceback }`: TypeScript
 * diagnostics with the cell's line:col and a caret, thrown values, and interrupts. User-facing
 * library errors (`SpikelabError` and its subclasses) show their message only, no JS stack.
 */
import { inspect } from "node:util";
import type { TsDiagnostic } from "./typescript-cells.js";

export interface JupyterError {
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: string[];
}

/** A TS error blocks the cell: `cell[3]:2:7 - error TS2322: ...` + source line + caret for each. */
export function diagnosticsError(diagnostics: readonly TsDiagnostic[], code: string, cellName: string): JupyterError {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const line = d.start.line + 1;
    const col = d.start.character + 1;
    const file = d.fileName ?? cellName;
    traceback.push(`${file}:${line}:${col} - error TS${d.code}: ${d.messageText}`);
    const text = d.fileName === undefined ? lines[d.start.line] : undefined;
    if (text !== undefined) {
      const gutter = String(line);
      const width = d.end.line === d.start.line ? Math.max(1, d.end.character - d.start.character) : Math.max(1, text.length - d.start.character);
      traceback.push(`${" ".repeat(gutter.length)} |`);
      traceback.push(`${gutter} | ${text}`);
      traceback.push(`${" ".repeat(gutter.length)} | ${" ".repeat(d.start.character)}${"^".repeat(width)}`);
    }
    traceback.push("");
  }
  const first = diagnostics[0]!;
  const count = diagnostics.length === 1 ? "" : ` (and ${diagnostics.length - 1} more)`;
  const where = `${first.fileName ?? cellName}:${first.start.line + 1}:${first.start.character + 1}`;
  traceback.push(`TSError: the cell did not compile, so it did not run`);
  return { ename: "TSError", evalue: `${where} - ${first.messageText}${count}`, traceback };
}

const INTERRUPT_MESSAGES = ["Script execution was interrupted by `SIGINT`", "Interrupted asynchronously"];

export function isInterrupt(error: unknown): boolean {
  return error instanceof Error && INTERRUPT_MESSAGES.some((m) => error.message.startsWith(m));
}

/** A thrown value: its name and message, and the stack frames inside the cell (not the kernel's). */
export function exceptionError(error: unknown, cellName = "cell"): JupyterError {
  if (isInterrupt(error)) {
    return { ename: "KeyboardInterrupt", evalue: "execution interrupted", traceback: ["KeyboardInterrupt: execution interrupted"] };
  }
  if (!(error instanceof Error)) {
    const text = inspect(error);
    return { ename: "Uncaught", evalue: text, traceback: [`Uncaught ${text}`] };
  }
  const name = error.name || error.constructor?.name || "Error";
  const headline = `${name}: ${error.message}`;
  if (isLibraryError(error)) return { ename: name, evalue: error.message, traceback: [headline] };
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .filter((l) => !/node:internal|node:vm|tslab[\\/]dist|[\\/]dist[\\/]kernel[\\/]/.test(l))
    // Positions there are in the JavaScript tslab generated, not in the cell: name the cell only.
    .map((l) => l.replace(/evalmachine\.<anonymous>:\d+:\d+/g, cellName))
    // Without positions, the statement's frame and tslab's wrapper frame read alike: show one.
    .filter((l, i, all) => i === 0 || l !== all[i - 1]);
  return { ename: name, evalue: error.message, traceback: [headline, ...frames] };
}

/** Errors from spikelab's API (SpikelabError and subclasses) are messages for users, not bugs. */
function isLibraryError(error: Error): boolean {
  for (let proto: unknown = Object.getPrototypeOf(error); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "SpikelabError") return true;
  }
  return false;
}
