/**
 * `spikelab check FILE...`: parse and check model files, print diagnostics with source snippets.
 * Exit 0 when no file has errors (warnings are printed but do not fail), 1 when any has, 2 for usage
 * problems (no files, a file that cannot be read).
 */
import { readFileSync, statSync } from "node:fs";
import { parseModels } from "../language/check.js";
import type { Diagnostic } from "../language/diagnostics.js";
import { formatDiagnostic, sortDiagnostics } from "../language/diagnostics.js";
import { decodeSource } from "../language/scanner/source-text.js";
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from "./main.js";

export interface CheckSummary {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Checks one file's bytes; prints its diagnostics; returns counts. */
export function checkSource(
  bytes: Uint8Array | string,
  fileName: string,
  io: CliIo,
  options: { portability?: boolean } = {},
): { errors: number; warnings: number; models: number } {
  const decoded = decodeSource(bytes, fileName);
  let diagnostics: readonly Diagnostic[];
  let models = 0;
  const text = decoded.text;
  if (!decoded.ok) {
    diagnostics = [decoded.diagnostic];
  } else {
    const result = parseModels(text, fileName, options);
    diagnostics = result.diagnostics;
    models = result.file.models.length;
  }
  const sorted = sortDiagnostics(diagnostics);
  // A rejected file (binary, empty, huge) has no line worth showing.
  for (const d of sorted) io.stderr(formatDiagnostic(d, decoded.ok ? text : undefined) + "\n\n");
  return {
    errors: sorted.filter((d) => d.severity === "error").length,
    warnings: sorted.filter((d) => d.severity === "warning").length,
    models,
  };
}

export const checkCommand: CliCommand = {
  name: "check",
  summary: "parse and check model files (.spk, .nestml), print errors with their location",
  usage: [
    "usage: spikelab check [--portability] FILE...",
    "",
    "Parses and checks every model in each FILE ('-' reads standard input). Prints each problem as",
    "  file:line:col: error[CODE]: message",
    "with the source line and a caret under the spot.",
    "--portability also reports NESTML's portability warnings (e.g. steps() needs a fixed time grid).",
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.",
  ].join("\n"),
  async run(args: string[], io: CliIo): Promise<number> {
    const portability = args.includes("--portability");
    const files = args.filter((a) => a !== "--" && a !== "--portability");
    const unknownFlag = files.find((a) => a.startsWith("-") && a !== "-");
    if (unknownFlag !== undefined) {
      io.stderr(`spikelab check: unknown option '${unknownFlag}'\n\n${checkCommand.usage}`);
      return EXIT_USAGE;
    }
    if (files.length === 0) {
      io.stderr(`spikelab check: no files given\n\n${checkCommand.usage}`);
      return EXIT_USAGE;
    }
    // Read everything first: an unreadable file is a usage error, reported before any checking.
    const inputs: { name: string; bytes: Uint8Array }[] = [];
    for (const file of files) {
      const name = file === "-" ? "<stdin>" : file;
      const read = file === "-" ? readStdin() : readInput(file);
      if (typeof read === "string") {
        io.stderr(`spikelab check: cannot read '${name}': ${read}`);
        return EXIT_USAGE;
      }
      inputs.push({ name, bytes: read });
    }
    let errors = 0;
    let warnings = 0;
    for (const { name, bytes } of inputs) {
      const r = checkSource(bytes, name, io, { portability });
      errors += r.errors;
      warnings += r.warnings;
      if (r.errors === 0) io.stdout(`${name}: ok (${r.models} model${r.models === 1 ? "" : "s"}${r.warnings ? `, ${plural(r.warnings, "warning")}` : ""})`);
    }
    const summary = `checked ${plural(inputs.length, "file")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
    if (errors > 0) io.stderr(summary);
    else io.stdout(summary);
    return errors > 0 ? EXIT_ERRORS : EXIT_OK;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function readStdin(): Uint8Array | string {
  try {
    return readFileSync(0);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The file's bytes, or why they cannot be read. */
function readInput(path: string): Uint8Array | string {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return "it is a directory";
    if (!st.isFile()) return "not a regular file";
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    return e instanceof Error ? e.message : String(e);
  }
}
