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


/** Binding strength of the operators in a `comparison` chain (higher binds tighter; Python's order). */
export const binaryPrecedence: Readonly<Record<string, number>> = {
  "<": 0, "<=": 0, "==": 0, "!=": 0, ">=": 0, ">": 0,
  "|": 1,
  "^": 2,
  "&": 3,
  "<<": 4, ">>": 4,
  "+": 5, "-": 5,
  "*": 6, "/": 6, "%": 6,
};

/** Builds the left-associative tree of `o0 op0 o1 op1 o2 ...` by operator precedence (shunting-yard). */
export function buildBinaryTree(operands: readonly A.Expression[], operators: readonly A.BinaryOperator[]): A.Expression {
  const values: A.Expression[] = [operands[0]!];
  const pending: A.BinaryOperator[] = [];
  const reduce = (): void => {
    const right = values.pop()!;
    const left = values.pop()!;
    values.push(binary(pending.pop()!, left, right));
  };
  for (let i = 0; i < operators.length; i++) {
    const op = operators[i]!;
    const precedence = binaryPrecedence[op]!;
    while (pending.length > 0 && binaryPrecedence[pending[pending.length - 1]!]! >= precedence) reduce();
    pending.push(op);
    values.push(operands[i + 1]!);
  }
  while (pending.length > 0) reduce();
  return values[0]!;
}
