/**
 * Semantic analysis entry points: `check(file)` binds and checks every model of a parsed file;
 * `parseModels(source)` parses and checks in one call. Models that contain syntax errors are checked
 * too, but without the kinds of diagnostics a dropped line could fake (see CASCADE_PRONE).
 */
import type { ModelDecl, Position, Range, SourceFile } from "./ast.js";
import { bindModel } from "./binder/bind.js";
import { Reporter } from "./binder/reporter.js";
import type { ModelSymbols, SymbolTable } from "./binder/symbols.js";
import { checkModel } from "./checker/check-model.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { parse } from "./parse.js";

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  readonly symbols: SymbolTable;
}

export interface CheckOptions {
  /** Models not to check at all. */
  readonly skipModels?: ReadonlySet<ModelDecl>;
  /**
   * Models the parser only partly understood (syntax errors inside): checked, but without the
   * diagnostics that dropped lines could cause (CASCADE_PRONE), so every reported error is real.
   */
  readonly partialModels?: ReadonlySet<ModelDecl>;
  /** The source text, so messages can quote sub-expressions. */
  readonly source?: string;
  /**
   * Also report NESTML's portability lints (PORTABILITY_CODES, e.g. `steps()` ties a model to a fixed
   * time grid). Off by default: Spikelab always simulates on a fixed grid, so for its users they are noise.
   */
  readonly portability?: boolean;
}

/** Warnings about portability to other (variable-step) simulators, reported only on request. */
export const PORTABILITY_CODES: ReadonlySet<string> = new Set(["FIXED_TIMESTEP"]);

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
  const models = new Map<string, ModelSymbols>();
  for (const model of file.models) {
    const previous = models.get(model.name.name);
    if (previous) {
      report.error("DUPLICATE_MODEL", model.name, `model '${model.name.name}' is defined more than once (first at line ${previous.model.name.range.start.line})`);
      continue;
    }
    if (skip.has(model)) continue;
    const first = report.diagnostics.length;
    const symbols = bindModel(model, report);
    models.set(model.name.name, symbols);
    try {
      checkModel(symbols, report);
    } catch (e) {
      // A checker bug must not become a stack trace for the user: report it as a located diagnostic.
      report.error("INTERNAL_ERROR", model.name, `the checker failed on model '${model.name.name}' (${(e as Error).message}); please report this`);
    }
    if (options.partialModels?.has(model)) {
      // Lines the parser dropped leave holes: names seem undeclared, calls and blocks seem missing.
      const own = report.diagnostics.splice(first).filter((d) => !CASCADE_PRONE.has(d.code));
      report.diagnostics.push(...own);
    }
  }
  const diagnostics = options.portability ? report.diagnostics : report.diagnostics.filter((d) => !PORTABILITY_CODES.has(d.code));
  return { diagnostics: sortDiagnostics(diagnostics), symbols: { models } };
}

/** Codes that a model with syntax errors may produce only because the parser dropped a line. */
const CASCADE_PRONE = new Set([
  "UNDECLARED_NAME", "USED_BEFORE_DECLARED", "MISSING_INITIAL_VALUE", "MISSING_INTEGRATE_ODES", "MISSING_RETURN",
  "ODE_NOT_STATE", "INTEGRATE_ODES_ARGUMENT", "EMIT_SPIKE_WITHOUT_OUTPUT", "SYNAPSE_WITHOUT_PRE_PORT",
  "FLUSH_WITHOUT_SPIKE_OUTPUT", "EPROP_NOT_APPLICABLE", "EPROP_MISSING_KEY", "EPROP_ROLE_KEY", "CONVOLVE_MISUSE",
  "KERNEL_OUTSIDE_CONVOLVE", "ONRECEIVE_NOT_SPIKE_PORT", "INVALID_PRIORITY", "MISSING_PORT_TYPE", "UNREACHABLE_CODE",
  "VECTOR_IN_SCALAR", "INDEX_ON_SCALAR", "UNKNOWN_FUNCTION", "EPROP_NOT_STATE", "KERNEL_TYPE", "RECURSIVE_DEFINITION",
  "DUPLICATE_BLOCK", "UNKNOWN_BLOCK", "ODE_WITHOUT_PRIME",
]);

/** The first node found deeper than `limit` levels (iterative walk: no recursion on user input). */
function deepestNode(root: object, limit: number): { readonly range: Range } | undefined {
  // Runs on every check: two parallel stacks and `for...in` keep it free of per-node allocations.
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        nodes.push(node[i]);
        depths.push(depth);
      }
      continue;
    }
    const isNode = "kind" in node && "range" in node;
    const d = isNode ? depth + 1 : depth;
    if (isNode && d > limit) return node as { readonly range: Range };
    const record = node as Record<string, unknown>;
    for (const key in record) {
      const child = record[key];
      if (key !== "range" && child !== null && typeof child === "object") {
        nodes.push(child);
        depths.push(d);
      }
    }
  }
  return undefined;
}

export interface ParseModelsResult extends CheckResult {
  readonly file: SourceFile;
  /** The decoded source the ranges index into. */
  readonly source: string;
}

export function parseModels(
  source: string | Uint8Array,
  fileName = "<input>",
  options: Pick<CheckOptions, "portability"> = {},
): ParseModelsResult {
  const parsed = parse(source, fileName);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  const partial = new Set<ModelDecl>();
  for (const m of parsed.file.models) {
    const a = m.range.start.offset;
    const b = m.range.end.offset;
    if (errors.some((d) => d.range.start.offset >= a && d.range.start.offset <= b)) partial.add(m);
  }
  const checked = check(parsed.file, { partialModels: partial, source: parsed.source, portability: options.portability });
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
