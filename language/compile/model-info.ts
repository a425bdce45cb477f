/**
 * Collects what the code generators need from a checked `ModelDecl`: variables with their storage
 * units, equations, kernels, ports, handlers and extension settings. Also converts AST expressions
 * into the unit-free IR (ir.ts), folding unit literals into coherent kernel numbers.
 */
import type {
  Declaration, EquationsBlock, Expression, FunctionDecl, InlineDecl, InputPort, KernelDecl, ModelDecl,
  OnConditionBlock, OnReceiveBlock, Range, SettingsBlock, Statement, TypeExpr, UpdateBlock,
} from "../ast.js";
import { DIMENSIONLESS, isDimensionless, type Unit } from "../units/dimension.js";
import { kernelUnitName, toKernelScale } from "../units/kernel-scale.js";
import { evaluateUnitExpr } from "../units/unit-expr.js";
import { lookupUnit } from "../units/registry.js";
import { bin, call, neg, num, type Ir, type RefKind } from "./ir.js";
import type { ScalarType } from "../../runtime/model-abi.js";

/** A problem the compiler cannot handle (the checker accepted the model, but we cannot lower it). */
export class CompileError extends Error {
  constructor(message: string, readonly range: Range | undefined, readonly code = "UNSUPPORTED") {
    super(message);
  }
}

export interface VarInfo {
  /** Storage name: `x` or `x__d` for `x'`. */
  readonly name: string;
  readonly block: "parameters" | "state" | "internals";
  readonly type: ScalarType;
  /** Physical unit of the declared type (undefined for boolean). */
  readonly unit: Unit | undefined;
  /** Kernel unit shown by the API, e.g. "mV", "Hz", "1". */
  readonly unitName: string;
  /** coherent value = stored value * storageScale (only pure rates, stored in Hz, differ from 1). */
  readonly storageScale: number;
  readonly init?: Expression;
  readonly invariant?: Expression;
  readonly vectorSize?: Expression;
  readonly recordable: boolean;
  readonly decorators: readonly string[];
  readonly range: Range | undefined;
  /** Synthesized parameters (e-prop / flush settings) carry their default as IR instead of `init`. */
  readonly initIr?: Ir;
  readonly enumValues?: readonly string[];
  /** Hidden from `get` (kernel variables, compiler bookkeeping). */
  readonly hidden?: boolean;
}

export interface PortInfo {
  readonly name: string;
  readonly kind: "spike" | "continuous";
  readonly unit: Unit | undefined;
  readonly unitName: string;
  /** Coherent value of one stored unit of weight (untyped spike port: 1e-3, NESTML's 1/s). */
  readonly scale: number;
  readonly qualifier?: "excitatory" | "inhibitory";
  readonly typed: boolean;
  readonly decl: InputPort;
}

export interface OdeInfo {
  readonly name: string;
  readonly order: number;
  readonly rhs: Expression;
  readonly decorators: readonly string[];
  readonly range: Range;
}

export interface ModelInfo {
  readonly decl: ModelDecl;
  readonly name: string;
  readonly isSynapse: boolean;
  readonly vars: Map<string, VarInfo>;
  readonly order: VarInfo[];
  readonly inlines: Map<string, InlineDecl>;
  readonly odes: OdeInfo[];
  readonly kernels: Map<string, { decl: KernelDecl; lhsNames: string[] }>;
  readonly ports: PortInfo[];
  readonly functions: Map<string, FunctionDecl>;
  readonly update?: UpdateBlock;
  readonly onReceive: OnReceiveBlock[];
  readonly onCondition: OnConditionBlock[];
  readonly settings: Map<string, SettingsBlock>;
  readonly emitsSpikes: boolean;
}

export function typeInfo(t: TypeExpr): { type: ScalarType; unit: Unit | undefined } {
  if (t.kind === "PrimitiveType") {
    if (t.name === "boolean") return { type: "boolean", unit: undefined };
    if (t.name === "integer") return { type: "integer", unit: DIMENSIONLESS };
    return { type: "real", unit: DIMENSIONLESS };
  }
  return { type: "real", unit: evaluateUnitExpr(t.unit) ?? DIMENSIONLESS };
}

export function storageName(name: string, order: number): string {
  return order === 0 ? name : `${name}${"__d".repeat(order)}`;
}

function decoratorNames(ds: readonly { namespace?: string; name: string }[]): string[] {
  return ds.map((d) => (d.namespace ? `${d.namespace}::${d.name}` : d.name));
}

export function collectModel(decl: ModelDecl): ModelInfo {
  const vars = new Map<string, VarInfo>();
  const order: VarInfo[] = [];
  const inlines = new Map<string, InlineDecl>();
  const odes: OdeInfo[] = [];
  const kernels = new Map<string, { decl: KernelDecl; lhsNames: string[] }>();
  const ports: PortInfo[] = [];
  const functions = new Map<string, FunctionDecl>();
  const onReceive: OnReceiveBlock[] = [];
  const onCondition: OnConditionBlock[] = [];
  const settings = new Map<string, SettingsBlock>();
  let update: UpdateBlock | undefined;
  let emitsSpikes = false;

  const addDecl = (d: Declaration, block: VarInfo["block"]) => {
    if (d.isInline) {
      // `inline` inside a variable block behaves like an equations-block inline.
      for (const n of d.names) {
        if (d.init) inlines.set(n.name.name, { kind: "InlineDecl", name: n.name, type: d.type, expr: d.init, recordable: d.recordable, decorators: d.decorators, range: d.range });
      }
      return;
    }
    const { type, unit } = typeInfo(d.type);
    for (const n of d.names) {
      const name = storageName(n.name.name, n.order);
      const info: VarInfo = {
        name, block, type, unit,
        unitName: unit ? kernelUnitName(unit) : "1",
        storageScale: unit && !isDimensionless(unit) ? tidy(toKernelScale(unit, { ratesInHz: false }) / toKernelScale(unit)) : 1,
        init: d.init, invariant: d.invariant, vectorSize: n.vectorSize,
        recordable: block === "state" || d.recordable,
        decorators: decoratorNames(d.decorators),
        range: n.range,
      };
      vars.set(name, info);
      order.push(info);
    }
  };

  for (const b of decl.blocks) {
    switch (b.kind) {
      case "VariableBlock":
        for (const d of b.declarations) addDecl(d, b.blockKind);
        break;
      case "EquationsBlock":
        collectEquations(b, inlines, odes, kernels);
        break;
      case "InputBlock":
        for (const p of b.ports) {
          if (p.size) throw new CompileError(`vector port ${p.name.name}[...] is not supported by the compiler yet`, p.range);
          ports.push(portInfo(p));
        }
        break;
      case "OutputBlock":
        emitsSpikes = b.portKind === "spike";
        break;
      case "FunctionDecl":
        functions.set(b.name.name, b);
        break;
      case "UpdateBlock":
        update = b;
        break;
      case "OnReceiveBlock":
        onReceive.push(b);
        break;
      case "OnConditionBlock":
        onCondition.push(b);
        break;
      case "SettingsBlock":
        settings.set(b.name.name, b);
        break;
    }
  }
  const name = decl.name.name;
  return {
    decl, name, isSynapse: name.endsWith("synapse"), vars, order, inlines, odes, kernels, ports, functions, update,
    onReceive, onCondition, settings, emitsSpikes,
  };
}

function collectEquations(
  b: EquationsBlock,
  inlines: Map<string, InlineDecl>,
  odes: OdeInfo[],
  kernels: Map<string, { decl: KernelDecl; lhsNames: string[] }>,
) {
  for (const item of b.items) {
    if (item.kind === "InlineDecl") inlines.set(item.name.name, item);
    else if (item.kind === "OdeEquation") {
      if (item.lhs.index) throw new CompileError(`ODEs of vector elements (${item.lhs.name}[...]') are not supported by the compiler yet`, item.range);
      odes.push({ name: item.lhs.name, order: item.lhs.order, rhs: item.rhs, decorators: decoratorNames(item.decorators), range: item.range });
    } else {
      const names = item.definitions.map((d) => d.lhs.name);
      for (const n of names) kernels.set(n, { decl: item, lhsNames: names });
    }
  }
}

function portInfo(p: InputPort): PortInfo {
  const q = p.qualifiers[0]?.qualifier;
  if (p.type) {
    const unit = p.type.kind === "UnitType" ? evaluateUnitExpr(p.type.unit) ?? DIMENSIONLESS : DIMENSIONLESS;
    const scale = isDimensionless(unit) ? 1 : tidy(toKernelScale(unit, { ratesInHz: false }) / toKernelScale(unit));
    return { name: p.name.name, kind: p.portKind, unit, unitName: kernelUnitName(unit), scale, qualifier: q, typed: true, decl: p };
  }
  // NESTML semantics of an untyped spike port: weights per second; in 1/ms that is weight / 1000.
  return { name: p.name.name, kind: p.portKind, unit: undefined, unitName: "1", scale: 1e-3, qualifier: q, typed: false, decl: p };
}

/** Unit scale factors are products of powers of ten; round away the binary noise (pF: 1e-12/1e-15...). */
export function tidy(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(14));
}

/** Value of one `u` in coherent kernel units (ms, mV, pA, ...; rates in 1/ms). */
export function coherentScale(u: Unit): number {
  return tidy(toKernelScale(u, { ratesInHz: false }));
}

// ---------------------------------------------------------------------------------------------
// AST -> IR
// ---------------------------------------------------------------------------------------------

export interface IrScope {
  readonly model: ModelInfo;
  /** Local variables visible here (statement bodies, function parameters). */
  readonly locals: ReadonlySet<string>;
  /** Inside a kernel definition `t` is the kernel's own time. */
  readonly kernelTime?: boolean;
}

const CMP: Record<string, string> = { "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

export function toIr(e: Expression, scope: IrScope, expanding: string[] = []): Ir {
  const m = scope.model;
  switch (e.kind) {
    case "NumberLiteral": {
      if (!e.unit) return num(e.value);
      const u = evaluateUnitExpr(e.unit);
      if (!u) throw new CompileError("unknown unit in literal", e.range);
      return num(e.value * coherentScale(u));
    }
    case "BooleanLiteral":
      return { k: "bool", v: e.value };
    case "StringLiteral":
      return { k: "str", v: e.value };
    case "InfLiteral":
      return num(Infinity);
    case "Paren":
      return toIr(e.expr, scope, expanding);
    case "Ternary": {
      const c = toIr(e.condition, scope, expanding);
      const a = toIr(e.whenTrue, scope, expanding);
      const b = toIr(e.whenFalse, scope, expanding);
      if (c.k === "bool") return c.v ? a : b;
      return { k: "tern", c, a, b };
    }
    case "Unary": {
      const a = toIr(e.operand, scope, expanding);
      if (e.op === "-") return neg(a);
      if (e.op === "+") return a;
      if (e.op === "not") return a.k === "bool" ? { k: "bool", v: !a.v } : { k: "un", op: "!", a };
      return { k: "un", op: "~", a };
    }
    case "Binary": {
      const a = toIr(e.left, scope, expanding);
      const b = toIr(e.right, scope, expanding);
      if (e.op === "and" || e.op === "or") {
        if (a.k === "bool" && b.k === "bool") return { k: "bool", v: e.op === "and" ? a.v && b.v : a.v || b.v };
        return { k: "bin", op: e.op === "and" ? "&&" : "||", a, b };
      }
      if (CMP[e.op]) return bin(e.op, a, b);
      return bin(e.op, a, b);
    }
    case "Call": {
      const fn = e.callee.name;
      if (fn === "convolve") {
        const [k, p] = e.args;
        if (k?.kind !== "VariableRef" || p?.kind !== "VariableRef") throw new CompileError("convolve() needs a kernel and a spike port name", e.range);
        return { k: "conv", kernel: k.name, port: p.name };
      }
      if (fn === "delta") return { k: "call", fn: "delta", args: [] };
      const args = e.args.map((a) => toIr(a, scope, expanding));
      return call(fn, args);
    }
    case "VariableRef": {
      const name = e.name;
      const index = e.index ? toIr(e.index, scope, expanding) : undefined;
      if (scope.locals.has(name) && e.order === 0) return ref(name, "local", index);
      const stored = storageName(name, e.order);
      const v = m.vars.get(stored);
      if (v) {
        const kind: RefKind = v.block === "parameters" ? "parameter" : v.block === "internals" ? "internal" : "state";
        const r = ref(stored, kind, index);
        return v.storageScale === 1 ? r : bin("*", r, num(v.storageScale));
      }
      if (e.order === 0) {
        const inl = m.inlines.get(name);
        if (inl) {
          if (expanding.includes(name)) throw new CompileError(`inline ${name} is defined recursively`, e.range);
          return toIr(inl.expr, scope, [...expanding, name]);
        }
        const port = m.ports.find((p) => p.name === name);
        if (port) return ref(name, port.kind === "spike" ? "spikePort" : "currentPort", index);
        if (name === "t") return ref("t", scope.kernelTime ? "kernelTime" : "time");
        if (name === "e") return num(Math.E);
        if (name === "pi") return num(Math.PI);
        if (name === "inf") return num(Infinity);
        const unit = lookupUnit(name);
        if (unit) return num(coherentScale(unit));
      } else {
        // x' of a variable that has an ODE but no declared derivative state: its right-hand side.
        const ode = m.odes.find((o) => o.name === name && o.order === e.order);
        if (ode) return toIr(ode.rhs, scope, expanding);
      }
      throw new CompileError(`cannot resolve '${name}${"'".repeat(e.order)}'`, e.range);
    }
  }
}

function ref(name: string, kind: RefKind, index?: Ir): Ir {
  return index ? { k: "ref", name, kind, index } : { k: "ref", name, kind };
}

/** Statements of a body in order, for scanning (calls inside nested blocks included). */
export function* walkStatements(body: readonly Statement[]): Generator<Statement> {
  for (const s of body) {
    yield s;
    if (s.kind === "If") {
      for (const br of s.branches) yield* walkStatements(br.body);
      if (s.elseBody) yield* walkStatements(s.elseBody);
    } else if (s.kind === "For" || s.kind === "While") yield* walkStatements(s.body);
  }
}

/** All expressions directly inside a statement (not its nested bodies). */
export function statementExpressions(s: Statement): Expression[] {
  switch (s.kind) {
    case "Assignment": return [s.value];
    case "CallStatement": return [s.call];
    case "Declaration": return s.init ? [s.init] : [];
    case "Return": return s.value ? [s.value] : [];
    case "If": return s.branches.map((b) => b.condition);
    case "For": return [s.from, s.to];
    case "While": return [s.condition];
  }
}

export function* walkExpression(e: Expression): Generator<Expression> {
  yield e;
  switch (e.kind) {
    case "Paren": yield* walkExpression(e.expr); break;
    case "Unary": yield* walkExpression(e.operand); break;
    case "Binary": yield* walkExpression(e.left); yield* walkExpression(e.right); break;
    case "Ternary": yield* walkExpression(e.condition); yield* walkExpression(e.whenTrue); yield* walkExpression(e.whenFalse); break;
    case "Call": for (const a of e.args) yield* walkExpression(a); break;
    case "VariableRef": if (e.index) yield* walkExpression(e.index); break;
    default: break;
  }
}

export { bin, neg, num };
