/**
 * The symbol table the binder builds and the checker and compiler read: per model, every named thing
 * with its kind, type (unit), declaring node and block.
 */
import type {
  Declaration, DeclaredName, Expression, ForStatement, FunctionDecl, Identifier, InlineDecl, InputPort, KernelDecl,
  ModelDecl, OdeEquation, OnConditionBlock, OnReceiveBlock, OutputBlock, Parameter, SettingsBlock, Block,
  VariableBlock, EquationsBlock, InputBlock, UpdateBlock,
} from "../ast.js";
import type { Type } from "./types.js";

export type SymbolKind =
  | "parameter"
  | "state"
  | "internal"
  | "inline"
  | "kernel"
  | "inputPort"
  | "local"
  | "functionParameter";

/** Where a symbol was declared: a model block, or a body (`update`, `onReceive(spikes)`, `function f`). */
export type BlockName = string;

export interface VariableSymbol {
  /** Lookup key: the name with its primes (`V_m`, `g'`). */
  readonly key: string;
  readonly name: string;
  readonly order: number;
  readonly kind: SymbolKind;
  /** Declared type; for kernels, the type of the kernel's value (filled in by the checker). */
  type: Type;
  readonly block: BlockName;
  readonly declaration: Declaration | InlineDecl | KernelDecl | InputPort | Parameter | ForStatement;
  /** The node naming the symbol, for "declared here" locations. */
  readonly nameNode: DeclaredName | Identifier | { readonly range: import("../ast.js").Range };
  readonly vectorSize?: Expression;
  readonly recordable: boolean;
  /** Input ports only. */
  readonly port?: {
    readonly portKind: "spike" | "continuous";
    /** A spike port with a declared weight unit (Spikelab extension). */
    readonly typed: boolean;
    readonly qualifiers: readonly string[];
  };
}

export interface FunctionSymbol {
  readonly name: string;
  readonly declaration: FunctionDecl;
  readonly parameters: readonly { readonly name: string; readonly type: Type; readonly node: Parameter }[];
  readonly returnType: Type;
}

export interface KernelSymbol {
  readonly name: string;
  /** Highest order defined (0 for `kernel g = f(t)`). */
  readonly order: number;
  readonly declaration: KernelDecl;
  /** Unit of the kernel's value (dimensionless for the usual untyped kernels). Set by the checker. */
  type: Type;
}

export interface ModelBlocks {
  state?: VariableBlock;
  parameters?: VariableBlock;
  internals?: VariableBlock;
  equations?: EquationsBlock;
  input?: InputBlock;
  output?: OutputBlock;
  update?: UpdateBlock;
  onReceive: OnReceiveBlock[];
  onCondition: OnConditionBlock[];
  functions: FunctionDecl[];
  eprop?: SettingsBlock;
  flush?: SettingsBlock;
  /** Every block in source order (also duplicates and unknown settings blocks). */
  all: Block[];
}

export interface ModelSymbols {
  readonly name: string;
  readonly model: ModelDecl;
  /** NESTML convention: a model whose name ends in `synapse`. */
  readonly isSynapse: boolean;
  readonly blocks: ModelBlocks;
  /** Model-level variables keyed by name with primes. */
  readonly variables: Map<string, VariableSymbol>;
  readonly functions: Map<string, FunctionSymbol>;
  readonly kernels: Map<string, KernelSymbol>;
  /** ODEs keyed by the left-hand side with primes (`V_m'`, `x''`). */
  readonly odes: Map<string, OdeEquation>;
  /** Locals of every body, in declaration order (block names the body). */
  readonly locals: VariableSymbol[];
  readonly hasSpikeOutput: boolean;
  /** Settings of the `eprop` / `flush` blocks resolved by the checker (values in kernel units), keyed by NEST name. */
  readonly settings: Map<string, SettingValue>;
}

export type SettingValue =
  | { readonly kind: "number"; readonly value: number; readonly node: Expression }
  | { readonly kind: "boolean"; readonly value: boolean; readonly node: Expression }
  | { readonly kind: "name"; readonly value: string; readonly node: Expression }
  | { readonly kind: "expression"; readonly node: Expression };

export interface SymbolTable {
  readonly models: Map<string, ModelSymbols>;
}

export function keyOf(name: string, order: number): string {
  return order > 0 ? name + "'".repeat(order) : name;
}
