/**
 * Semantic analysis entry points: `check(file)` binds and checks every model of a parsed file;
 * `parseModels(source)` parses and checks in one call. Models that contain syntax errors are not
 * checked (their partial trees would only produce bogus follow-up errors); the rest are.
 */
import type { ModelDecl, Position, Range, SourceFile } from "./ast.js";
import { bindFile } from "./binder/bind.js";
import { Reporter } from "./binder/reporter.js";
import type { SymbolTable } from "./binder/symbols.js";
import { checkModel } from "./checker/check-model.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { parse } from "./parse.js";

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  readonly symbols: SymbolTable;
}

export interface CheckOptions {
  /** Models not to check (e.g. those with syntax errors). */
  readonly skipModels?: ReadonlySet<ModelDecl>;
  /** The source text, so messages can quote sub-expressions. */
  readonly source?: string;
}

/** Deeper syntax trees are rejected before checking, so no stage recurses into a stack overflow. */
export const MAX_TREE_DEPTH = 400;

export function check(file: SourceFile, options: CheckOptions = {}): CheckResult {
  const report = new Reporter(file.fileName, options.source);
  const skip = new Set(options.skipModels ?? []);
  for (const model of file.models) {
    if (skip.has(model)) continue;
    const tooDeep = deepestNode(model, MAX_TREE_DEPTH);
    if (tooDeep) {
      report.error("EXPRESSION_TOO_DEEP", tooDeep, `this expression is nested more than ${MAX_TREE_DEPTH} levels deep`, "split it into inline expressions or local variables");
      skip.add(model);
    }
  }
  const symbols = bindFile(file, report, skip);
  for (const model of symbols.models.values()) {
    try {
      checkModel(model, report);
    } catch (e) {
      // A checker bug must not become a stack trace for the user: report it as a located diagnostic.
      report.error("INTERNAL_ERROR", model.model.name, `the checker failed on model '${model.name}' (${(e as Error).message}); please report this`);
    }
  }
  return { diagnostics: sortDiagnostics(report.diagnostics), symbols };
}

/** The first node found deeper than `limit` levels (iterative walk: no recursion on user input). */
function deepestNode(root: object, limit: number): { readonly range: Range } | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push([child, depth]);
      continue;
    }
    const isNode = "kind" in node && "range" in node;
    const d = isNode ? depth + 1 : depth;
    if (isNode && d > limit) return node as { readonly range: Range };
    for (const [key, child] of Object.entries(node)) {
      if (key !== "range" && child !== null && typeof child === "object") stack.push([child, d]);
    }
  }
  return undefined;
}

export interface ParseModelsResult extends CheckResult {
  readonly file: SourceFile;
  /** The decoded source the ranges index into. */
  readonly source: string;
}

export function parseModels(source: string | Uint8Array, fileName = "<input>"): ParseModelsResult {
  const parsed = parse(source, fileName);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  const skip = new Set<ModelDecl>();
  for (const m of parsed.file.models) {
    const a = m.range.start.offset;
    const b = m.range.end.offset;
    if (errors.some((d) => d.range.start.offset >= a && d.range.start.offset <= b)) skip.add(m);
  }
  const checked = check(parsed.file, { skipModels: skip, source: parsed.source });
  return {
    file: parsed.file,
    source: parsed.source,
    symbols: checked.symbols,
    diagnostics: sortDiagnostics(locateInside(parsed.source, [...parsed.diagnostics, ...checked.diagnostics])),
  };
}

/**
 * Guarantees every diagnostic points inside the source with line/column agreeing with its offset
 * (tokens synthesised at end of input, such as the final DEDENT, can sit one past the end).
 */
function locateInside(source: string, diagnostics: Diagnostic[]): Diagnostic[] {
  let lineStarts: number[] | undefined;
  const position = (offset: number): Position => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1, offset };
  };
  const fits = (p: Position): boolean => {
    if (p.offset < 0 || p.offset > source.length || p.line < 1 || p.column < 1) return false;
    const q = position(p.offset);
    return q.line === p.line && q.column === p.column;
  };
  return diagnostics.map((d) => {
    if (fits(d.range.start) && fits(d.range.end) && d.range.end.offset >= d.range.start.offset) return d;
    const clamp = (o: number) => Math.max(0, Math.min(source.length, Number.isFinite(o) ? o : 0));
    const start = position(clamp(d.range.start.offset));
    const end = position(Math.max(start.offset, clamp(d.range.end.offset)));
    return { ...d, range: { start, end } };
  });
}
