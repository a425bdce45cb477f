/**
 * Turns what the caller handed us (a string or raw bytes) into source text, or explains why it is
 * not a model source: not UTF-8 text, binary (NUL bytes), empty, or too large to be a model.
 */
import type { Range } from "../ast.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";

/** Larger inputs are rejected up front; real model files are a few kB. */
export const MAX_SOURCE_LENGTH = 5 * 1024 * 1024;

const fileStart: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

export type DecodedSource =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly text: string; readonly diagnostic: Diagnostic };

export function decodeSource(input: string | Uint8Array, fileName: string): DecodedSource {
  const fail = (code: string, message: string, hint?: string): DecodedSource => ({
    ok: false,
    text: "",
    diagnostic: makeDiagnostic(code, message, fileName, fileStart, "error", hint),
  });
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.length > MAX_SOURCE_LENGTH) return tooLarge(input.length);
    if (input.indexOf(0) >= 0) return fail("NOT_TEXT", "file is not a text file (it contains NUL bytes)");
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      return {
        ok: false,
        text: "",
        diagnostic: makeDiagnostic(
          "NOT_TEXT",
          `file is not valid UTF-8 text (byte 0x${input[at.byte]!.toString(16).toUpperCase().padStart(2, "0")} at line ${at.line}, column ${at.column})`,
          fileName,
          { start: at, end: at },
          "error",
          "save the model file with UTF-8 encoding",
        ),
      };
    }
  } else {
    return fail("NOT_TEXT", "model source must be a string or bytes");
  }
  if (text.length > MAX_SOURCE_LENGTH) return tooLarge(text.length);
  if (text.indexOf("\u0000") >= 0) return fail("NOT_TEXT", "file is not a text file (it contains NUL characters)");
  if (text.replace(/^\uFEFF/, "").trim() === "") return fail("EMPTY_FILE", "file is empty", "a model file starts with `model NAME:`");
  return { ok: true, text };

  function tooLarge(size: number): DecodedSource {
    return fail(
      "FILE_TOO_LARGE",
      `file is too large to be a model source (${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_SOURCE_LENGTH / 1024 / 1024} MB)`,
    );
  }
}

/**
 * Where the first invalid UTF-8 sequence starts (1-based line and column in characters), so a
 * Latin-1 'é' in a comment is found without a hex editor. Prefix decoding fails monotonically, so
 * a binary search finds the first failing prefix.
 */
function firstInvalidUtf8(input: Uint8Array): { line: number; column: number; offset: number; byte: number } {
  const fails = (k: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(input.subarray(0, k), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 0;
  let hi = input.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  // Bytes before `lo` decode, except possibly the start of the broken sequence (still pending).
  const valid = new TextDecoder("utf-8", { ignoreBOM: true }).decode(input.subarray(0, lo), { stream: true });
  const lineStart = valid.lastIndexOf("\n") + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (valid.charCodeAt(i) === 10) line++;
  const column = valid.length - lineStart + 1;
  return { line, column, offset: valid.length, byte: new TextEncoder().encode(valid).length };
}
