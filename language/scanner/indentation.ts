/**
 * The layout pass: turns the raw token stream (with physical newlines) into logical lines with
 * NEWLINE / INDENT / DEDENT tokens, Python style.
 *
 * - Indentation of a logical line = width of its leading whitespace, a tab advancing to the next
 *   multiple of 8 (as NESTML and Python do).
 * - Blank and comment-only lines never matter (comments are not in the raw stream, so such lines
 *   show up as consecutive newlines, which collapse).
 * - Newlines inside `(`, `[` or `[[` continue the line (our deliberate difference from NESTML), as
 *   does a newline right after a `,` (NESTML's multi-line `kernel a = ..., b = ...`). A `\` before
 *   the newline was already removed by the lexer.
 * - An unclosed bracket must not swallow the rest of the file: inside brackets, a physical line that
 *   starts with a block or statement keyword, or that is not indented deeper than the logical line
 *   that opened the brackets (and does not start with a closing bracket), starts a new logical line;
 *   the parser then reports the missing `)` where it belongs.
 * - `]]` closes a guard `[[ ... ]]`, but two index brackets (`x[y[1]]`) when a `[` is innermost.
 */
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import {
  Comma, Dedent, DoubleLBracket, DoubleRBracket, ElifKw, ElseKw, EquationsKw, ForKw, FunctionKw, IfKw, Indent,
  InlineKw, InputKw, InternalsKw, KernelKw, LBracket, LParen, ModelKw, Newline, OnConditionKw, OnReceiveKw,
  OutputKw, ParametersKw, RBracket, RecordableKw, ReturnKw, RParen, StateKw, UpdateKw, WhileKw,
} from "./tokens.js";

export interface LayoutProblem {
  readonly token: IToken;
  readonly message: string;
}

/** Keywords that can only begin a line; seeing one at a line start means open brackets were never closed. */
const lineStartKeywords: ReadonlySet<TokenType> = new Set([
  ModelKw, StateKw, ParametersKw, InternalsKw, EquationsKw, InputKw, OutputKw, UpdateKw, FunctionKw, OnReceiveKw,
  OnConditionKw, IfKw, ElifKw, ElseKw, ForKw, WhileKw, ReturnKw, KernelKw, InlineKw, RecordableKw,
]);

const enum Opener {
  Paren,
  Bracket,
  Guard,
}

export function indentationWidth(source: string, lineStart: number, end: number): number {
  let width = 0;
  for (let i = lineStart; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 9) width = width - (width % 8) + 8;
    else if (c === 12) width = 0; // form feed resets, as in Python
    else if (c === 0xfeff) continue; // byte order mark
    else width++;
  }
  return width;
}

function virtualToken(type: TokenType, at: IToken, atEnd: boolean): IToken {
  // Zero-length token placed at the start (or just after the end) of `at`.
  const offset = atEnd ? at.endOffset! + 1 : at.startOffset;
  const line = atEnd ? at.endLine! : at.startLine!;
  const column = atEnd ? at.endColumn! + 1 : at.startColumn!;
  return createTokenInstance(type, "", offset, offset - 1, line, line, column, column - 1);
}

/**
 * Rewrites `raw` (lexer output, including raw Newline tokens) into the parser's token stream.
 * Problems (inconsistent dedent) are returned, never thrown.
 */
export function layout(source: string, raw: readonly IToken[]): { tokens: IToken[]; problems: LayoutProblem[] } {
  const out: IToken[] = [];
  const problems: LayoutProblem[] = [];
  const indentStack: number[] = [0];
  const brackets: Opener[] = [];
  let atLineStart = true;
  let lineStart = 0; // offset where the current physical line begins
  let pendingNewline: IToken | undefined; // the raw newline ending the previous logical line
  let lastSignificant: IToken | undefined;
  let logicalIndent = 0; // indentation of the current logical line
  let physicalLineStart = false; // the next token is the first on a physical line joined by brackets

  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i]!;
    const type = tok.tokenType;
    if (type === Newline) {
      lineStart = tok.endOffset! + 1;
      if (brackets.length > 0) {
        physicalLineStart = true;
        continue; // implicit line joining inside brackets
      }
      if (lastSignificant !== undefined && lastSignificant.tokenType === Comma && !atLineStart) continue;
      if (!atLineStart) pendingNewline = tok;
      atLineStart = true;
      continue;
    }
    const continuation = physicalLineStart;
    physicalLineStart = false;
    if (atLineStart || (continuation && brackets.length > 0 && startsNewLine(source, lineStart, tok, logicalIndent))) {
      if (!atLineStart) {
        // An unclosed bracket reached a line that clearly starts something new: end the line here.
        brackets.length = 0;
        pendingNewline = virtualToken(Newline, lastSignificant!, true);
      }
      atLineStart = false;
      if (pendingNewline !== undefined) {
        out.push(pendingNewline);
        pendingNewline = undefined;
      }
      const width = indentationWidth(source, lineStart, tok.startOffset);
      logicalIndent = width;
      const top = indentStack[indentStack.length - 1]!;
      if (width > top) {
        indentStack.push(width);
        out.push(virtualToken(Indent, tok, false));
      } else if (width < top) {
        let pops = 0;
        while (indentStack.length > 1 && indentStack[indentStack.length - 1 - pops]! > width) pops++;
        const landing = indentStack[indentStack.length - 1 - pops]!;
        if (landing !== width) {
          problems.push({ token: tok, message: "unindent does not match any outer indentation level" });
          pops--; // stay in the innermost block this line is still deeper than
        }
        for (let p = 0; p < pops; p++) {
          indentStack.pop();
          out.push(virtualToken(Dedent, tok, false));
        }
      }
    }
    // Bracket bookkeeping (also splits `]]` that closes two index brackets).
    if (type === LParen) brackets.push(Opener.Paren);
    else if (type === LBracket) brackets.push(Opener.Bracket);
    else if (type === DoubleLBracket) brackets.push(Opener.Guard);
    else if (type === RParen || type === RBracket) brackets.pop();
    else if (type === DoubleRBracket) {
      if (brackets[brackets.length - 1] === Opener.Bracket) {
        // `]]` closes an index first: emit `]`, then decide what the second `]` closes.
        const first = charToken(RBracket, "]", tok, 0);
        brackets.pop();
        out.push(first);
        const next = raw[i + 1];
        if (brackets[brackets.length - 1] === Opener.Guard && next?.tokenType === RBracket && next.startOffset === tok.startOffset + 2) {
          // `v[1]]]` inside a guard: `]` + `]]`
          brackets.pop();
          const guardEnd = createTokenInstance(DoubleRBracket, "]]", tok.startOffset + 1, tok.startOffset + 2, tok.startLine!, tok.startLine!, tok.startColumn! + 1, tok.startColumn! + 2);
          out.push(guardEnd);
          lastSignificant = guardEnd;
          i++;
          continue;
        }
        const second = charToken(RBracket, "]", tok, 1);
        brackets.pop();
        out.push(second);
        lastSignificant = second;
        continue;
      }
      brackets.pop();
    }
    out.push(tok);
    lastSignificant = tok;
  }

  // End of input: close the last line and every open block.
  if (lastSignificant !== undefined) {
    out.push(pendingNewline ?? virtualToken(Newline, lastSignificant, true));
    const eofAnchor = out[out.length - 1]!;
    while (indentStack.length > 1) {
      indentStack.pop();
      out.push(virtualToken(Dedent, eofAnchor, true));
    }
  }
  return { tokens: out, problems };
}

/** A one-character token at `delta` characters into `tok` (same line). */
function charToken(type: TokenType, image: string, tok: IToken, delta: number): IToken {
  const offset = tok.startOffset + delta;
  const column = tok.startColumn! + delta;
  return createTokenInstance(type, image, offset, offset, tok.startLine!, tok.startLine!, column, column);
}

/**
 * Inside open brackets, does this first token of a physical line really start a new logical line
 * (so the brackets were never closed)? Yes if it is a block/statement keyword, or if the line is not
 * indented deeper than the logical line that opened the brackets (unless it starts by closing one:
 * a `)` under its opening line is common style).
 */
function startsNewLine(source: string, lineStart: number, tok: IToken, logicalIndent: number): boolean {
  const type = tok.tokenType;
  if (lineStartKeywords.has(type)) return true;
  if (type === RParen || type === RBracket || type === DoubleRBracket) return false;
  return indentationWidth(source, lineStart, tok.startOffset) <= logicalIndent;
}
