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
      return fail("NOT_TEXT", "file is not valid UTF-8 text", "save the model file with UTF-8 encoding");
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
