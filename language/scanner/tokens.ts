/**
 * Token vocabulary of the model language and the Chevrotain lexer built from it (once, at module load).
 *
 * The raw lexer only produces "physical" tokens; `indentation.ts` turns raw newlines into the logical
 * NEWLINE / INDENT / DEDENT tokens the parser consumes. Every token has a human `LABEL` because the
 * parser's error messages are built from labels (`expected ':'`, not `expected Colon`).
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Identifiers: `$` is allowed (kernel state names such as `g$`). Keywords use it as `longer_alt`. */
export const Name = createToken({ name: "Name", pattern: /[a-zA-Z_$][a-zA-Z0-9_$]*/, label: "a name" });

function keyword(word: string, name = word[0]!.toUpperCase() + word.slice(1) + "Keyword"): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Name, label: `'${word}'` });
}

// Types
export const IntegerKw = keyword("integer");
export const RealKw = keyword("real");
export const StringKw = keyword("string");
export const BooleanKw = keyword("boolean");
export const VoidKw = keyword("void");
// Statements
export const FunctionKw = keyword("function");
export const InlineKw = keyword("inline");
export const ReturnKw = keyword("return");
export const IfKw = keyword("if");
export const ElifKw = keyword("elif");
export const ElseKw = keyword("else");
export const ForKw = keyword("for");
export const WhileKw = keyword("while");
export const InKw = keyword("in");
export const StepKw = keyword("step");
// Literals and logic
export const InfKw = keyword("inf");
export const AndKw = keyword("and");
export const OrKw = keyword("or");
export const NotKw = keyword("not");
// Declarations and blocks
export const RecordableKw = keyword("recordable");
export const KernelKw = keyword("kernel");
export const ModelKw = keyword("model");
export const StateKw = keyword("state");
export const ParametersKw = keyword("parameters");
export const InternalsKw = keyword("internals");
export const UpdateKw = keyword("update");
export const EquationsKw = keyword("equations");
export const InputKw = keyword("input");
export const OutputKw = keyword("output");
export const ContinuousKw = keyword("continuous");
export const OnReceiveKw = keyword("onReceive");
export const OnConditionKw = keyword("onCondition");
export const SpikeKw = keyword("spike");
export const InhibitoryKw = keyword("inhibitory");
export const ExcitatoryKw = keyword("excitatory");

/** Every reserved word, in the order grammar.md lists them (the grammar test checks each is documented). */
export const keywordTokens: readonly TokenType[] = [
  IntegerKw, RealKw, StringKw, BooleanKw, VoidKw,
  FunctionKw, InlineKw, ReturnKw, IfKw, ElifKw, ElseKw, ForKw, WhileKw, InKw, StepKw,
  InfKw, AndKw, OrKw, NotKw,
  RecordableKw, KernelKw, ModelKw, StateKw, ParametersKw, InternalsKw, UpdateKw, EquationsKw, InputKw,
  OutputKw, ContinuousKw, OnReceiveKw, OnConditionKw, SpikeKw, InhibitoryKw, ExcitatoryKw,
];

export const BooleanLiteral = createToken({
  name: "BooleanLiteral",
  pattern: /true|True|false|False/,
  longer_alt: Name,
  label: "a boolean",
});

// Literals. FLOAT must not eat the first dot of `...` (`0...N`).
export const FloatLiteral = createToken({
  name: "FloatLiteral",
  pattern: /(?:\d+\.(?!\.)\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
  label: "a number",
});
export const IntegerLiteral = createToken({ name: "IntegerLiteral", pattern: /\d+/, label: "a number" });
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  label: "a string",
});
/** A string that runs to the end of the line; the scanner reports it and hands the parser a STRING. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*/,
  label: "a string",
});

function symbol(name: string, text: string): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'` });
}

export const Ellipsis = symbol("Ellipsis", "...");
export const DoubleStar = symbol("DoubleStar", "**");
export const ShiftLeft = symbol("ShiftLeft", "<<");
export const ShiftRight = symbol("ShiftRight", ">>");
export const LessEqual = symbol("LessEqual", "<=");
export const GreaterEqual = symbol("GreaterEqual", ">=");
export const EqualEqual = symbol("EqualEqual", "==");
export const NotEqual = symbol("NotEqual", "!=");
export const LessGreater = symbol("LessGreater", "<>");
export const LeftArrow = symbol("LeftArrow", "<-");
export const PlusAssign = symbol("PlusAssign", "+=");
export const MinusAssign = symbol("MinusAssign", "-=");
export const StarAssign = symbol("StarAssign", "*=");
export const SlashAssign = symbol("SlashAssign", "/=");
export const DoubleColon = symbol("DoubleColon", "::");
export const DoubleLBracket = symbol("DoubleLBracket", "[[");
export const DoubleRBracket = symbol("DoubleRBracket", "]]");
export const Plus = symbol("Plus", "+");
export const Minus = symbol("Minus", "-");
export const Star = symbol("Star", "*");
export const Slash = symbol("Slash", "/");
export const Percent = symbol("Percent", "%");
export const Tilde = symbol("Tilde", "~");
export const Pipe = symbol("Pipe", "|");
export const Caret = symbol("Caret", "^");
export const Ampersand = symbol("Ampersand", "&");
export const Less = symbol("Less", "<");
export const Greater = symbol("Greater", ">");
export const Assign = symbol("Assign", "=");
export const Comma = symbol("Comma", ",");
export const Colon = symbol("Colon", ":");
export const Semicolon = symbol("Semicolon", ";");
export const Question = symbol("Question", "?");
export const Prime = symbol("Prime", "'");
export const LParen = symbol("LParen", "(");
export const RParen = symbol("RParen", ")");
export const LBracket = symbol("LBracket", "[");
export const RBracket = symbol("RBracket", "]");
export const At = symbol("At", "@");

// Layout. Raw newlines become NEWLINE (or vanish inside brackets); INDENT/DEDENT are synthesized.
export const Newline = createToken({ name: "Newline", pattern: /\r\n?|\n/, line_breaks: true, label: "end of line" });
export const Indent = createToken({ name: "Indent", pattern: Lexer.NA, label: "an indented block" });
export const Dedent = createToken({ name: "Dedent", pattern: Lexer.NA, label: "end of block" });
// A BOM counts as blank, so offsets stay those of the caller's text.
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f\uFEFF]+/, group: Lexer.SKIPPED });
/** `\` at the end of a line joins it with the next one. */
export const LineContinuation = createToken({
  name: "LineContinuation",
  pattern: /\\[ \t]*(?:\r\n?|\n)/,
  line_breaks: true,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: "comments" });
/** NESTML <= 8.0 `"""` docstrings: treated as comments (the one right above `model` is its doc). */
export const DocString = createToken({ name: "DocString", pattern: /"""[\s\S]*?"""/, line_breaks: true, group: "comments" });

/** Lexer order: longest/most specific first. */
const lexerTokens: TokenType[] = [
  WhiteSpace, LineContinuation, Newline, Comment, DocString,
  StringLiteral, UnterminatedString, FloatLiteral, IntegerLiteral,
  // Longest keyword first so `inf`/`input`/`inline` are not taken for `in` + rest.
  BooleanLiteral, ...[...keywordTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length), Name,
  Ellipsis, DoubleStar, ShiftLeft, ShiftRight, LessEqual, GreaterEqual, EqualEqual, NotEqual, LessGreater,
  LeftArrow, PlusAssign, MinusAssign, StarAssign, SlashAssign, DoubleColon, DoubleLBracket, DoubleRBracket,
  Plus, Minus, Star, Slash, Percent, Tilde, Pipe, Caret, Ampersand, Less, Greater, Assign, Comma, Colon,
  Semicolon, Question, Prime, LParen, RParen, LBracket, RBracket, At,
];

/** The parser's vocabulary: everything it can see after the layout pass. */
export const parserTokens: TokenType[] = [
  Newline, Indent, Dedent,
  ...lexerTokens.filter((t) => t !== WhiteSpace && t !== LineContinuation && t !== Newline && t !== Comment && t !== DocString && t !== UnterminatedString),
];

let lexer: Lexer | undefined;

/** The Chevrotain lexer, built on first use and reused (building it validates every pattern). */
export function rawLexer(): Lexer {
  lexer ??= new Lexer(lexerTokens, { positionTracking: "full", ensureOptimizations: false });
  return lexer;
}
