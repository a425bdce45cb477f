/**
 * Lowers statement bodies (update, onReceive, onCondition, functions) to JavaScript lines. The
 * caller supplies how references print and what model-specific calls (`integrate_odes`,
 * `emit_spike`) turn into, so the same lowering serves neuron kernels and synapse handlers.
 */
import type { Expression, Statement } from "../ast.js";
import { type Ir } from "./ir.js";
import { CompileError, storageName, toIr, type ModelInfo } from "./model-info.js";
import { printJs, type RefPrinter } from "./printer.js";

export interface BodyContext {
  readonly model: ModelInfo;
  readonly refs: RefPrinter;
  /** Model-specific calls in expressions (random_*, steps, timestep, user functions). */
  readonly calls: (fn: string, args: string[]) => string | undefined;
  /** Statement-level calls: returns JS lines, or undefined to fall back to an expression statement. */
  readonly statementCall: (fn: string, args: readonly Expression[], locals: ReadonlySet<string>, indent: string) => string[] | undefined;
  /** Resolves convolve() nodes in expressions. */
  readonly resolve: (x: Ir) => Ir;
  /** JS target of an assignment to model variable `name` (e.g. `V_m[i]`). */
  readonly target: (name: string, index: string | undefined) => string;
}

export const localName = (n: string) => `l_${n}`;

export function expr(ctx: BodyContext, e: Expression, locals: ReadonlySet<string>): string {
  const ir = ctx.resolve(toIr(e, { model: ctx.model, locals }));
  return printJs(ir, ctx.refs, ctx.calls);
}

export function lowerBody(ctx: BodyContext, body: readonly Statement[], outerLocals: ReadonlySet<string>, indent: string): string[] {
  const locals = new Set(outerLocals);
  const out: string[] = [];
  for (const s of body) out.push(...lowerStatement(ctx, s, locals, indent));
  return out;
}

function lowerStatement(ctx: BodyContext, s: Statement, locals: Set<string>, indent: string): string[] {
  const m = ctx.model;
  switch (s.kind) {
    case "Declaration": {
      const lines: string[] = [];
      for (const n of s.names) {
        const init = s.init ? expr(ctx, s.init, locals) : s.type.kind === "PrimitiveType" && s.type.name === "boolean" ? "false" : "0";
        locals.add(n.name.name);
        lines.push(`${indent}let ${localName(n.name.name)} = ${init};`);
      }
      return lines;
    }
    case "Assignment": {
      const value = expr(ctx, s.value, locals);
      const name = s.target.name;
      const idx = s.target.index ? expr(ctx, s.target.index, locals) : undefined;
      if (locals.has(name) && s.target.order === 0) {
        const l = localName(name) + (idx !== undefined ? `[${idx}]` : "");
        return [`${indent}${l} ${s.op} ${value};`];
      }
      const stored = storageName(name, s.target.order);
      const v = m.vars.get(stored);
      if (!v) throw new CompileError(`cannot assign to '${name}'`, s.range);
      const target = ctx.target(stored, idx);
      if (v.type === "boolean") {
        if (s.op !== "=") throw new CompileError("compound assignment to a boolean", s.range);
        return [`${indent}${target} = ${value} ? 1 : 0;`];
      }
      if (v.storageScale !== 1) {
        // Pure rates are stored in Hz; statements compute in 1/ms.
        const sc = v.storageScale;
        if (s.op === "=") return [`${indent}${target} = (${value}) / ${sc};`];
        if (s.op === "*=" || s.op === "/=") return [`${indent}${target} ${s.op} ${value};`];
        return [`${indent}${target} ${s.op} (${value}) / ${sc};`];
      }
      if (s.op === "=" && value === target) return []; // folded to a no-op (e.g. max(V, V_min) with V_min = -DBL_MAX)
      return [`${indent}${target} ${s.op} ${value};`];
    }
    case "CallStatement": {
      const c = s.call;
      const special = ctx.statementCall(c.callee.name, c.args, locals, indent);
      if (special) return special;
      return [`${indent}${expr(ctx, c, locals)};`];
    }
    case "Return":
      return [`${indent}return${s.value ? ` ${expr(ctx, s.value, locals)}` : ""};`];
    case "If": {
      // Conditions that fold to a constant (e.g. a boolean parameter in a specialized kernel) keep
      // only the branch that can run.
      const out: string[] = [];
      let opened = false;
      for (const b of s.branches) {
        const c = ctx.resolve(toIr(b.condition, { model: m, locals }));
        const constant = c.k === "bool" ? c.v : c.k === "num" ? c.v !== 0 : undefined;
        if (constant === false) continue;
        if (constant === true) {
          if (!opened) return [`${indent}{`, ...lowerBody(ctx, b.body, locals, indent + "  "), `${indent}}`];
          out.push(`${indent}} else {`);
          out.push(...lowerBody(ctx, b.body, locals, indent + "  "));
          out.push(`${indent}}`);
          return out;
        }
        out.push(`${indent}${opened ? "} else if" : "if"} (${printJs(c, ctx.refs, ctx.calls)}) {`);
        out.push(...lowerBody(ctx, b.body, locals, indent + "  "));
        opened = true;
      }
      if (s.elseBody) {
        if (!opened) return [`${indent}{`, ...lowerBody(ctx, s.elseBody, locals, indent + "  "), `${indent}}`];
        out.push(`${indent}} else {`);
        out.push(...lowerBody(ctx, s.elseBody, locals, indent + "  "));
      }
      if (opened) out.push(`${indent}}`);
      return out;
    }
    case "For": {
      const v = s.variable.name;
      const from = expr(ctx, s.from, locals);
      const to = expr(ctx, s.to, locals);
      const stepIr = s.step ? toIr(s.step, { model: m, locals }) : ({ k: "num", v: 1 } as Ir);
      const step = stepIr.k === "num" ? stepIr.v : 1;
      const cmp = step >= 0 ? "<" : ">";
      // The iterator is a local, a model variable, or (Python style, allowed by the checker) new here.
      const isModelVar = !locals.has(v) && m.vars.has(storageName(v, 0));
      const declare = !locals.has(v) && !isModelVar;
      const inner = new Set(locals);
      inner.add(v);
      const target = isModelVar ? ctx.target(storageName(v, 0), undefined) : localName(v);
      return [
        `${indent}for (${declare ? "let " : ""}${target} = ${from}; ${target} ${cmp} ${to}; ${target} += ${step}) {`,
        ...lowerBody(ctx, s.body, isModelVar ? locals : inner, indent + "  "),
        `${indent}}`,
      ];
    }
    case "While":
      return [
        `${indent}while (${expr(ctx, s.condition, locals)}) {`,
        ...lowerBody(ctx, s.body, locals, indent + "  "),
        `${indent}}`,
      ];
  }
}

/** Replaces `{name}` in print/println strings by the variable's current value. */
export function printCall(ctx: BodyContext, args: readonly Expression[], locals: ReadonlySet<string>, newline: boolean): string {
  const a = args[0];
  if (!a) return newline ? `console.log("")` : `process.stdout.write("")`;
  if (a.kind !== "StringLiteral") return `console.log(String(${expr(ctx, a, locals)}))`;
  const parts = a.value.split(/(\{[A-Za-z_$][A-Za-z0-9_$]*\})/).filter((p) => p.length > 0);
  const pieces = parts.map((p) => {
    const mm = /^\{([A-Za-z_$][A-Za-z0-9_$]*)\}$/.exec(p);
    if (!mm) return JSON.stringify(p);
    try {
      const ref: Expression = { kind: "VariableRef", name: mm[1]!, order: 0, range: a.range };
      return `String(${expr(ctx, ref, locals)})`;
    } catch {
      return JSON.stringify(p);
    }
  });
  const text = pieces.join(" + ") || '""';
  return newline ? `console.log(${text})` : `process.stdout.write(${text})`;
}
