/** Small pure helpers the parser uses to build AST nodes. */
import type * as A from "../ast.js";

export const emptyRange: A.Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

export function span(a: { range: A.Range }, b: { range: A.Range }): A.Range {
  return { start: a.range.start, end: b.range.end };
}

export function binary(op: A.BinaryOperator, left: A.Expression, right: A.Expression): A.BinaryExpr {
  return { kind: "Binary", op, left, right, range: span(left, right) };
}

/** Backslash escapes of string literals: `\n`, `\t`, `\"`, `\\`; others keep the character. */
export function unquote(image: string): string {
  const body = image.length >= 2 && image.endsWith('"') ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c));
}

/** A float exponent such as 0.5 as a small fraction (1/2); exact for decimals with few digits. */
export function toFraction(x: number): { numerator: number; denominator: number } {
  if (Number.isInteger(x)) return { numerator: x, denominator: 1 };
  for (let d = 2; d <= 1000; d++) {
    const n = Math.round(x * d);
    if (Math.abs(n / d - x) < 1e-9) return { numerator: n, denominator: d };
  }
  return { numerator: Math.round(x * 1000), denominator: 1000 };
}

