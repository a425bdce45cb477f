/**
 * Human error messages for Chevrotain's recognition errors: `expected ':' after 'state'`,
 * `unexpected 'foo'`, never raw token-type dumps.
 */
import { EOF, tokenLabel, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { Dedent, Indent, Newline } from "../scanner/tokens.js";

/** How a token the parser actually saw is named in a message. */
export function describeToken(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return "end of file";
  if (tok.tokenType === Newline) return "end of line";
  if (tok.tokenType === Indent) return "an indented line";
  if (tok.tokenType === Dedent) return "end of block";
  const image = tok.image.length > 30 ? tok.image.slice(0, 30) + "…" : tok.image;
  return `'${image}'`;
}

/** `unexpected 'x'`, with indentation named as such. */
function unexpected(tok: IToken): string {
  return tok.tokenType === Indent ? "unexpected indentation" : `unexpected ${describeToken(tok)}`;
}

function after(previous: IToken | undefined): string {
  if (previous === undefined || previous.tokenType === EOF || Number.isNaN(previous.startOffset)) return "";
  if (previous.tokenType === Newline || previous.tokenType === Indent || previous.tokenType === Dedent) return "";
  return ` after ${describeToken(previous)}`;
}

/** Human descriptions of what a rule expects, used when an alternative or repetition fails. */
const ruleExpectations: Record<string, string> = {
  sourceFile: "'model NAME:'",
  model: "'model NAME:'",
  block: "a block (state, parameters, internals, equations, input, output, function, update, onReceive, onCondition)",
  statement: "a statement",
  expression: "an expression",
  orExpr: "an expression",
  andExpr: "an expression",
  notExpr: "an expression",
  comparison: "an expression",
  binaryOperator: "an operator",
  unary: "an expression",
  power: "an expression",
  primary: "an expression",
  callOrVariable: "an expression",
  nameStatement: "'=' (assignment), '(' (call) or a type (declaration)",
  assignmentOperator: "'=', '+=', '-=', '*=' or '/='",
  typeExpr: "a type (real, integer, boolean, string, void or a unit such as mV)",
  unitAtom: "a unit (such as mV, ms or 1/ms)",
  unitExponent: "an exponent (such as 2, -1 or (1/2))",
  equationItem: "an equation (x' = ..., inline ... or kernel ...)",
  inputPort: "an input port (name <- spike, or name type <- continuous)",
  outputPort: "'spike' or 'continuous'",
  settingsEntry: "a setting 'key = value' or a nested 'key:' block",
  callArguments: "an argument",
};

function uniqueLabels(paths: TokenType[][][] | TokenType[][]): string[] {
  const labels = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      if (x.length > 0 && !Array.isArray(x[0])) {
        const first = x[0] as TokenType | undefined;
        if (first !== undefined) labels.add(tokenLabel(first));
      } else for (const y of x) visit(y);
    }
  };
  visit(paths);
  return [...labels];
}

function oneOf(labels: string[]): string {
  if (labels.length === 0) return "something else";
  if (labels.length === 1) return labels[0]!;
  if (labels.length > 6) return `one of ${labels.slice(0, 6).join(", ")}, …`;
  return `one of ${labels.join(", ")}`;
}

function found(actual: IToken): string {
  return `, found ${describeToken(actual)}`;
}

/**
 * When the parser's lookahead rejects a line several tokens in (`x === 2`: `x` fits, `==` does not),
 * the token that broke it; the parser attaches it to the error so the diagnostic points there.
 */
export const offender: { token: IToken | undefined; previous: IToken | undefined } = { token: undefined, previous: undefined };

/** How many of `actual` match the longest expected path's prefix. */
function matchedPrefix(paths: TokenType[][][], actual: IToken[]): number {
  let best = 0;
  for (const alt of paths) {
    for (const path of alt) {
      let n = 0;
      while (n < path.length && n < actual.length && tokenMatcher(actual[n]!, path[n]!)) n++;
      if (n > best) best = n;
    }
  }
  return best;
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected === Dedent) return unexpected(actual);
    if (expected === EOF) return actual.tokenType === Indent ? unexpected(actual) : `${unexpected(actual)}; expected 'model NAME:'`;
    if (expected === Newline && ruleName === "settingsBody" && previous?.image === ":") {
      return `${unexpected(actual)} after ':'; settings are written 'key = value', blocks 'key:' on their own line`;
    }
    if (expected === Newline) return `${unexpected(actual)}; expected end of line${after(previous)}`;
    if (expected === Indent) return `expected an indented block${after(previous)}`;
    return `expected ${tokenLabel(expected)}${after(previous)}${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    if (firstRedundant.tokenType === Indent) return "unexpected indentation";
    return `${unexpected(firstRedundant)}; expected 'model NAME:'`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription, ruleName }) {
    const first = actual[0]!;
    offender.token = undefined;
    if (first.tokenType === Indent) return "unexpected indentation";
    const prefix = matchedPrefix(expectedPathsPerAlt, actual);
    if (prefix > 0 && prefix < actual.length) {
      const bad = actual[prefix]!;
      offender.token = bad;
      offender.previous = actual[prefix - 1];
      return `${unexpected(bad)}${after(actual[prefix - 1])}`;
    }
    const what = customUserDescription ?? ruleExpectations[ruleName] ?? oneOf(uniqueLabels(expectedPathsPerAlt));
    return `expected ${what}${after(previous)}${found(first)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, customUserDescription, ruleName }) {
    const first = actual[0]!;
    const what = customUserDescription ?? ruleExpectations[ruleName] ?? oneOf(uniqueLabels(expectedIterationPaths));
    return `expected ${what}${after(previous)}${found(first)}`;
  },
};
