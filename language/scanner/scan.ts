/**
 * Scanner: source text -> parser tokens (with layout tokens) + comments + lexical diagnostics.
 */
import type { IToken } from "chevrotain";
import type { Range } from "../ast.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";
import { layout } from "./indentation.js";
import { DocString, rawLexer, StringLiteral, UnterminatedString } from "./tokens.js";

export interface ScanResult {
  /** Tokens for the parser, ending with NEWLINE and the closing DEDENTs (no EOF token). */
  readonly tokens: IToken[];
  /** `#` comments in source order (for model docs). */
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Range of a real token; Chevrotain offsets/columns are inclusive at the end. */
export function tokenRange(tok: IToken): Range {
  const startLine = tok.startLine ?? 1;
  const startColumn = tok.startColumn ?? 1;
  return {
    start: { line: startLine, column: startColumn, offset: tok.startOffset },
    end: { line: tok.endLine ?? startLine, column: (tok.endColumn ?? startColumn - 1) + 1, offset: (tok.endOffset ?? tok.startOffset - 1) + 1 },
  };
}

export function scan(source: string, fileName: string): ScanResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = rawLexer().tokenize(source);
  for (const err of lexed.errors) {
    const offset = err.offset;
    const text = source.slice(offset, offset + err.length);
    const line = err.line ?? 1;
    const column = err.column ?? 1;
    const shown = text.length > 20 ? text.slice(0, 20) + "…" : text;
    diagnostics.push(
      makeDiagnostic(
        "LEXER_ERROR",
        text.length === 1 ? `unexpected character ${describeChar(text)}` : `unexpected characters '${shown}'`,
        fileName,
        { start: { line, column, offset }, end: { line, column: column + err.length, offset: offset + err.length } },
      ),
    );
  }
  const raw = lexed.tokens;
  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i]!;
    if (tok.tokenType === UnterminatedString) {
      diagnostics.push(makeDiagnostic("LEXER_ERROR", "unterminated string (missing closing '\"')", fileName, tokenRange(tok)));
      tok.tokenType = StringLiteral;
      tok.tokenTypeIdx = StringLiteral.tokenTypeIdx!;
    }
  }
  const { tokens, problems } = layout(source, raw);
  for (const p of problems) diagnostics.push(makeDiagnostic("INDENTATION_ERROR", p.message, fileName, tokenRange(p.token)));
  const comments = (lexed.groups["comments"] ?? []) as IToken[];
  return { tokens, comments, diagnostics };
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 32 || code === 127) return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${ch}'`;
}

/**
 * The `#` comment block directly above `modelLine` (no blank line in between), without the `#`
 * markers and one following space. Only comments that are alone on their line count.
 */
export function docCommentAbove(source: string, comments: readonly IToken[], modelLine: number): string | undefined {
  const lines: string[] = [];
  let expected = modelLine - 1;
  // Comments are sorted; walk backwards from the last one before the model line.
  let i = comments.length - 1;
  while (i >= 0 && comments[i]!.startLine! >= modelLine) i--;
  // A NESTML 8.0 `"""` docstring ending right above the model is its doc.
  const last = comments[i];
  if (last !== undefined && last.tokenType === DocString && last.endLine === expected && aloneOnLine(source, last)) {
    return dedent(last.image.slice(3, -3));
  }
  for (; i >= 0; i--) {
    const c = comments[i]!;
    if (c.startLine !== expected || c.tokenType === DocString || !aloneOnLine(source, c)) break;
    lines.push(c.image.replace(/^#[ ]?/, "").replace(/\s+$/, ""));
    expected--;
  }
  if (lines.length === 0) return undefined;
  return lines.reverse().join("\n");
}

/** Removes the common leading indentation and surrounding blank lines of a docstring body. */
function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).replace(/\s+$/, "")).join("\n");
}

function aloneOnLine(source: string, tok: IToken): boolean {
  for (let i = tok.startOffset - 1; i >= 0; i--) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9 && c !== 12 && c !== 0xfeff) return false;
  }
  return true;
}
