/**
 * The front end's entry point: source (text or bytes) -> `SourceFile` AST + syntax diagnostics.
 * Never throws for bad model text; every problem is a located `Diagnostic`. Only API misuse (a source
 * that is neither a string nor bytes, a non-string file name) throws, as a typed `InvalidParameterError`.
 */
import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import type { ModelDecl, Range, SourceFile } from "./ast.js";
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { MAX_SYNTAX_ERRORS, spikelabParser } from "./parser/parser.js";
import { InvalidParameterError } from "../runtime/errors.js";
import { decodeSource } from "./scanner/source-text.js";
import { docCommentAbove, scan, tokenRange } from "./scanner/scan.js";
import { Dedent, Indent, ModelKw, Newline } from "./scanner/tokens.js";

export interface ParseResult {
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
  /** The decoded source text (what ranges index into); empty when the input was rejected. */
  readonly source: string;
}

/** Every diagnostic code the front end (scanner + parser) can produce, with what it means. */
export const FRONT_END_CODES: Readonly<Record<string, string>> = {
  SYNTAX_ERROR: "the text does not follow the grammar",
  LEXER_ERROR: "a character or token that the language does not have",
  INDENTATION_ERROR: "a line dedents to a column no enclosing block uses",
  NOT_TEXT: "the input is not UTF-8 text",
  EMPTY_FILE: "the file is empty or contains no model",
  FILE_TOO_LARGE: "the input is larger than 5 MB",
  TOO_MANY_ERRORS: "after 100 syntax errors the rest of the file is not parsed (a note)",
  NESTING_TOO_DEEP: "brackets or operators nested too deeply to parse",
  INTERNAL_ERROR: "a parser bug, reported instead of crashing",
};

const origin = { line: 1, column: 1, offset: 0 };

export function parse(source: string | Uint8Array, fileName = "<input>"): ParseResult {
  checkArguments(source, fileName);
  const decoded = decodeSource(source, fileName);
  if (!decoded.ok) {
    return { file: emptyFile(fileName), diagnostics: [decoded.diagnostic], source: decoded.text };
  }
  const text = decoded.text;
  const scanned = scan(text, fileName);
  const diagnostics: Diagnostic[] = [...scanned.diagnostics];
  const models: ModelDecl[] = [];
  const parser = spikelabParser();
  const tokens = scanned.tokens;

  // Parse; when the parser stops early (junk between models), resume at the next top-level `model`.
  let from = 0;
  while (from < tokens.length) {
    parser.resetRecovery();
    parser.input = from === 0 ? tokens : tokens.slice(from);
    let parsed: ModelDecl[] | undefined;
    try {
      parsed = parser.sourceFile();
    } catch (e) {
      // The grammar is recursive; absurdly deep nesting (thousands of brackets or unary operators)
      // exhausts the stack. Report it instead of crashing; anything else is a parser bug, reported too.
      const tooDeep = e instanceof RangeError;
      const at = tokens[from] ? tokenRange(tokens[from]!) : { start: origin, end: origin };
      diagnostics.push(
        makeDiagnostic(
          tooDeep ? "NESTING_TOO_DEEP" : "INTERNAL_ERROR",
          tooDeep ? "the model is nested too deeply to parse" : `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
          fileName,
          at,
        ),
      );
      break;
    }
    if (Array.isArray(parsed)) for (const m of parsed) models.push(m);
    let stoppedAt = -1;
    if (parser.errors.length >= MAX_SYNTAX_ERRORS) {
      const last = parser.errors[MAX_SYNTAX_ERRORS - 1]!;
      for (const err of parser.errors.slice(0, MAX_SYNTAX_ERRORS)) diagnostics.push(syntaxDiagnostic(err, fileName));
      const at = syntaxDiagnostic(last, fileName).range;
      diagnostics.push(makeDiagnostic("TOO_MANY_ERRORS", `too many syntax errors (${MAX_SYNTAX_ERRORS}); the rest of the file was not parsed`, fileName, at, "note"));
      break;
    }
    const hints = new Map(parser.hints.map((h) => [h.errorIndex, h.hint]));
    for (const [index, err] of parser.errors.entries()) {
      diagnostics.push(syntaxDiagnostic(err, fileName, hints.get(index)));
      if (err.name === "NotAllInputParsedException") stoppedAt = tokens.indexOf(err.token, from);
    }
    for (const soft of parser.softErrors) diagnostics.push(makeDiagnostic("SYNTAX_ERROR", soft.message, fileName, soft.range));
    if (stoppedAt < 0) break;
    from = nextTopLevelModel(tokens, stoppedAt + 1);
  }

  const withDocs = models.map((m) => {
    const doc = docCommentAbove(text, scanned.comments, m.range.start.line);
    return doc === undefined ? m : { ...m, doc };
  });
  const file: SourceFile = {
    kind: "SourceFile",
    fileName,
    models: withDocs,
    range: { start: origin, end: endPosition(text) },
  };
  if (withDocs.length === 0 && diagnostics.length === 0) {
    diagnostics.push(makeDiagnostic("EMPTY_FILE", "file contains no model", fileName, { start: origin, end: origin }, "error", "a model file starts with `model NAME:`"));
  }
  return { file, diagnostics: dedupe(diagnostics).map((d) => withHabitHint(d, text)), source: text };
}

/** Habits from C, Java and Python that the grammar rejects, and what to write instead. */
const HABITS: readonly { readonly pattern: RegExp; readonly hint: string }[] = [
  { pattern: /&&/, hint: "write 'and' (conditions use and, or, not)" },
  { pattern: /\|\|/, hint: "write 'or' (conditions use and, or, not)" },
  { pattern: /(^|[^!<>=])!(?!=)/, hint: "write 'not' (conditions use and, or, not)" },
  { pattern: /\/\//, hint: "comments start with '#'" },
  { pattern: /\belse\s+if\b/, hint: "write 'elif'" },
  { pattern: /\+\+|--(?=\s*($|#))/, hint: "write 'x += 1' (there is no ++ or --)" },
  { pattern: /[{}]/, hint: "blocks are a ':' and an indented body, not braces" },
];

/**
 * A syntax error on a line with one of these habits gets the replacement as its hint, unless the
 * parser already had a more specific one. The pattern must occur at or just before the error.
 */
function withHabitHint(d: Diagnostic, text: string): Diagnostic {
  if (d.hint !== undefined || (d.code !== "SYNTAX_ERROR" && d.code !== "LEXER_ERROR")) return d;
  const lineStart = d.range.start.offset - (d.range.start.column - 1);
  const lineEnd = text.indexOf("\n", lineStart);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const codePart = line.replace(/#.*$/, "");
  const upToError = codePart.slice(0, d.range.start.column + 1);
  for (const habit of HABITS) {
    const m = habit.pattern.exec(upToError);
    // The habit must be near the error (within a few characters before it), not elsewhere on the line.
    if (m && m.index + m[0].length >= d.range.start.column - 3) return { ...d, hint: habit.hint };
  }
  return d;
}

function emptyFile(fileName: string): SourceFile {
  return { kind: "SourceFile", fileName, models: [], range: { start: origin, end: origin } };
}

function endPosition(text: string): Range["end"] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: text.length - lineStart + 1, offset: text.length };
}

/** Index of the next `model` keyword at indentation depth 0 (tokens are balanced there). */
function nextTopLevelModel(tokens: readonly IToken[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (type === Indent) depth++;
    else if (type === Dedent) depth = Math.max(0, depth - 1);
    else if (type === ModelKw && depth === 0) return i;
  }
  return tokens.length;
}

function isLayout(tok: IToken): boolean {
  return tok.tokenType === Newline || tok.tokenType === Dedent || tok.tokenType === EOF || Number.isNaN(tok.startOffset);
}

/** A recognition error at the offending token; "expected X" at a line end points just after the previous token. */
function syntaxDiagnostic(err: IRecognitionException, fileName: string, hint?: string): Diagnostic {
  const tok = (err as IRecognitionException & { offendingToken?: IToken }).offendingToken ?? err.token;
  const previous = (err as IRecognitionException & { previousToken?: IToken }).previousToken;
  let range: Range;
  if (isLayout(tok) && previous !== undefined && !isLayout(previous) && previous.tokenType !== Indent) {
    const end = tokenRange(previous).end;
    range = { start: end, end: { ...end, column: end.column + 1, offset: end.offset + 1 } };
  } else if (!Number.isNaN(tok.startOffset) && tok.tokenType !== EOF) {
    const r = tokenRange(tok);
    range = r.end.offset > r.start.offset ? r : { start: r.start, end: { ...r.start, column: r.start.column + 1, offset: r.start.offset + 1 } };
  } else {
    range = { start: origin, end: origin };
  }
  return makeDiagnostic("SYNTAX_ERROR", err.message, fileName, range, "error", hint);
}

/**
 * One error per line: a syntax error on a line that already has an error (a bad character, or an
 * earlier syntax error that recovery patched up) is almost always a cascade of the first one.
 */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  const linesWithErrors = new Set<number>();
  return sorted.filter((d) => {
    const line = d.range.start.line;
    if (d.code === "SYNTAX_ERROR" && linesWithErrors.has(line)) return false;
    if (d.severity === "error") linesWithErrors.add(line);
    return true;
  });
}

/** API misuse is the caller's bug, not the model's: a typed error naming the argument (as the runtime does). */
function checkArguments(source: unknown, fileName: unknown): void {
  if (typeof source !== "string" && !(source instanceof Uint8Array)) {
    throw new InvalidParameterError(`source: model source must be a string or UTF-8 bytes (Uint8Array), got ${describeValue(source)}`, "source");
  }
  if (typeof fileName !== "string") {
    throw new InvalidParameterError(`fileName: must be a string, got ${describeValue(fileName)}`, "fileName");
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value;
}
