/**
 * The typed syntax tree of the Spikelab model language.
 *
 * Data flows one way: scanner -> parser (builds these nodes) -> binder/checker (reads them, adds
 * diagnostics and symbol tables on the side) -> compiler (lowers them). Nodes are plain JSON-able
 * objects: no methods, no parent pointers, so tests can snapshot them and the kernel can ship them.
 */

/** 1-based line and column; `offset` is the 0-based UTF-16 index into the source. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open source range [start, end). */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

interface NodeBase {
  readonly range: Range;
}

export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------
// Files and models
// ---------------------------------------------------------------------------------------------

export interface SourceFile extends NodeBase {
  readonly kind: "SourceFile";
  readonly fileName: string;
  readonly models: readonly ModelDecl[];
}

export interface ModelDecl extends NodeBase {
  readonly kind: "Model";
  readonly name: Identifier;
  /** Blocks in source order; order is free, uniqueness is a semantic check. */
  readonly blocks: readonly Block[];
  /** The `#` comment block directly above `model`, without the `#` markers. */
  readonly doc?: string;
}

export type Block =
  | VariableBlock
  | EquationsBlock
  | InputBlock
  | OutputBlock
  | FunctionDecl
  | UpdateBlock
  | OnReceiveBlock
  | OnConditionBlock
  | SettingsBlock;

export type VariableBlockKind = "state" | "parameters" | "internals";

export interface VariableBlock extends NodeBase {
  readonly kind: "VariableBlock";
  readonly blockKind: VariableBlockKind;
  readonly declarations: readonly Declaration[];
}

/** `@homogeneous`, `@heterogeneous`, `@nest::weight` ... */
export interface Decorator extends NodeBase {
  readonly kind: "Decorator";
  readonly namespace?: string;
  readonly name: string;
}

/** One name on the left of a declaration: `x`, `x'` (order 1), `g_ex[20]` (vector). */
export interface DeclaredName extends NodeBase {
  readonly kind: "DeclaredName";
  readonly name: Identifier;
  readonly order: number;
  readonly vectorSize?: Expression;
}

/**
 * `[recordable] [inline] a, b type [= expr] [[invariant]] {decorator}` — used in variable blocks
 * and as a local declaration statement inside bodies.
 */
export interface Declaration extends NodeBase {
  readonly kind: "Declaration";
  readonly names: readonly DeclaredName[];
  readonly type: TypeExpr;
  readonly init?: Expression;
  readonly invariant?: Expression;
  readonly recordable: boolean;
  readonly isInline: boolean;
  readonly decorators: readonly Decorator[];
}

export interface EquationsBlock extends NodeBase {
  readonly kind: "EquationsBlock";
  readonly items: readonly (InlineDecl | OdeEquation | KernelDecl)[];
}

/** `[recordable] inline name type = expr` */
export interface InlineDecl extends NodeBase {
  readonly kind: "InlineDecl";
  readonly name: Identifier;
  readonly type: TypeExpr;
  readonly expr: Expression;
  readonly recordable: boolean;
  readonly decorators: readonly Decorator[];
}

/** `x' = rhs` (lhs.order >= 1 is a semantic check, so the parser keeps order 0 too). */
export interface OdeEquation extends NodeBase {
  readonly kind: "OdeEquation";
  readonly lhs: VariableRef;
  readonly rhs: Expression;
  readonly decorators: readonly Decorator[];
}

/** `kernel g = f(t)` or `kernel g' = ..., g$' = ...` */
export interface KernelDecl extends NodeBase {
  readonly kind: "KernelDecl";
  readonly definitions: readonly { readonly lhs: VariableRef; readonly rhs: Expression; readonly range: Range }[];
}

export interface InputBlock extends NodeBase {
  readonly kind: "InputBlock";
  readonly ports: readonly InputPort[];
}

export type PortQualifier = "excitatory" | "inhibitory";

export interface InputPort extends NodeBase {
  readonly kind: "InputPort";
  readonly name: Identifier;
  readonly size?: Expression;
  /** Continuous ports must carry a type; for spike ports a type gives the weight unit (extension). */
  readonly type?: TypeExpr;
  readonly qualifiers: readonly { readonly qualifier: PortQualifier; readonly range: Range }[];
  readonly portKind: "spike" | "continuous";
  /** Legacy `(name type, ...)` attribute list after the port (NESTML < 8.3); kept for diagnostics. */
  readonly attributes?: readonly { readonly name: Identifier; readonly type: TypeExpr }[];
}

export interface OutputBlock extends NodeBase {
  readonly kind: "OutputBlock";
  readonly portKind: "spike" | "continuous";
  /** Legacy `spike(weight real, delay ms)` attributes (NESTML 8.0–8.2). */
  readonly attributes?: readonly { readonly name: Identifier; readonly type: TypeExpr }[];
}

export interface Parameter extends NodeBase {
  readonly kind: "Parameter";
  readonly name: Identifier;
  readonly type: TypeExpr;
}

export interface FunctionDecl extends NodeBase {
  readonly kind: "FunctionDecl";
  readonly name: Identifier;
  readonly parameters: readonly Parameter[];
  readonly returnType?: TypeExpr;
  readonly body: readonly Statement[];
}

export interface UpdateBlock extends NodeBase {
  readonly kind: "UpdateBlock";
  readonly body: readonly Statement[];
}

/** `name = literal` arguments of handlers, e.g. `priority=1`. */
export interface HandlerArgument extends NodeBase {
  readonly kind: "HandlerArgument";
  readonly name: Identifier;
  readonly value: Expression;
}

export interface OnReceiveBlock extends NodeBase {
  readonly kind: "OnReceiveBlock";
  readonly port: VariableRef;
  readonly args: readonly HandlerArgument[];
  readonly body: readonly Statement[];
}

export interface OnConditionBlock extends NodeBase {
  readonly kind: "OnConditionBlock";
  readonly condition: Expression;
  readonly args: readonly HandlerArgument[];
  readonly body: readonly Statement[];
}

/**
 * Spikelab extension blocks `eprop:` and `flush:` (and nested blocks such as `optimizer:` inside a
 * synapse's `eprop:`). Their entries are `key = expr` settings or nested settings blocks; which keys
 * exist and what they mean is a semantic matter (see grammar.md), so the parser stays generic.
 */
export interface SettingsBlock extends NodeBase {
  readonly kind: "SettingsBlock";
  readonly name: Identifier;
  readonly entries: readonly SettingsEntry[];
}

export interface Setting extends NodeBase {
  readonly kind: "Setting";
  readonly key: Identifier;
  readonly value: Expression;
}

export type SettingsEntry = Setting | SettingsBlock;

// ---------------------------------------------------------------------------------------------
// Types and units
// ---------------------------------------------------------------------------------------------

export type PrimitiveTypeName = "real" | "integer" | "boolean" | "string" | "void";

export interface PrimitiveType extends NodeBase {
  readonly kind: "PrimitiveType";
  readonly name: PrimitiveTypeName;
}

export interface UnitType extends NodeBase {
  readonly kind: "UnitType";
  readonly unit: UnitExpr;
}

export type TypeExpr = PrimitiveType | UnitType;

export type UnitExpr = UnitName | UnitOne | UnitBinary | UnitPower;

export interface UnitName extends NodeBase {
  readonly kind: "UnitName";
  readonly name: string;
}

/** The literal `1` in `1/ms` (any other integer numerator is a semantic error). */
export interface UnitOne extends NodeBase {
  readonly kind: "UnitOne";
  readonly value: number;
}

export interface UnitBinary extends NodeBase {
  readonly kind: "UnitBinary";
  readonly op: "*" | "/";
  readonly left: UnitExpr;
  readonly right: UnitExpr;
}

export interface UnitPower extends NodeBase {
  readonly kind: "UnitPower";
  readonly base: UnitExpr;
  /** Rational exponent numerator/denominator, e.g. `**-1` -> -1/1, `**(1/2)` -> 1/2. */
  readonly numerator: number;
  readonly denominator: number;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

export type Statement =
  | Assignment
  | CallStatement
  | Declaration
  | ReturnStatement
  | IfStatement
  | ForStatement
  | WhileStatement;

export type AssignmentOperator = "=" | "+=" | "-=" | "*=" | "/=";

export interface Assignment extends NodeBase {
  readonly kind: "Assignment";
  readonly target: VariableRef;
  readonly op: AssignmentOperator;
  readonly value: Expression;
}

export interface CallStatement extends NodeBase {
  readonly kind: "CallStatement";
  readonly call: Call;
}

export interface ReturnStatement extends NodeBase {
  readonly kind: "Return";
  readonly value?: Expression;
}

export interface IfStatement extends NodeBase {
  readonly kind: "If";
  /** `if` then each `elif`, in order. */
  readonly branches: readonly { readonly condition: Expression; readonly body: readonly Statement[]; readonly range: Range }[];
  readonly elseBody?: readonly Statement[];
}

export interface ForStatement extends NodeBase {
  readonly kind: "For";
  readonly variable: Identifier;
  readonly from: Expression;
  readonly to: Expression;
  /** Optional (extension: NESTML requires it); a signed numeric literal. Default 1. */
  readonly step?: Expression;
  readonly body: readonly Statement[];
}

export interface WhileStatement extends NodeBase {
  readonly kind: "While";
  readonly condition: Expression;
  readonly body: readonly Statement[];
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Expression =
  | NumberLiteral
  | BooleanLiteral
  | StringLiteral
  | InfLiteral
  | VariableRef
  | Call
  | UnaryExpr
  | BinaryExpr
  | TernaryExpr
  | ParenExpr;

export interface NumberLiteral extends NodeBase {
  readonly kind: "NumberLiteral";
  readonly value: number;
  /** The literal as written (`1e-3`, `10`), for faithful printing. */
  readonly text: string;
  readonly isInteger: boolean;
  /** `10 mV` — a unit juxtaposed after the number. */
  readonly unit?: UnitExpr;
}

export interface BooleanLiteral extends NodeBase {
  readonly kind: "BooleanLiteral";
  readonly value: boolean;
}

export interface StringLiteral extends NodeBase {
  readonly kind: "StringLiteral";
  readonly value: string;
}

export interface InfLiteral extends NodeBase {
  readonly kind: "InfLiteral";
}

/** `x`, `x'`, `x''`, `x[i]`. A bare unit name in an expression (`V_m / mV`) is also a VariableRef; the binder resolves it. */
export interface VariableRef extends NodeBase {
  readonly kind: "VariableRef";
  readonly name: string;
  readonly order: number;
  readonly index?: Expression;
}

export interface Call extends NodeBase {
  readonly kind: "Call";
  readonly callee: Identifier;
  readonly args: readonly Expression[];
  /** `name=value` keyword arguments (used by settings such as `piecewise_linear(height=0.3)`). */
  readonly keywordArgs: readonly HandlerArgument[];
}

export type UnaryOperator = "-" | "+" | "~" | "not";

export interface UnaryExpr extends NodeBase {
  readonly kind: "Unary";
  readonly op: UnaryOperator;
  readonly operand: Expression;
}

export type BinaryOperator =
  | "+" | "-" | "*" | "/" | "%" | "**"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or"
  | "&" | "|" | "^" | "<<" | ">>";

export interface BinaryExpr extends NodeBase {
  readonly kind: "Binary";
  readonly op: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** `cond ? a : b` */
export interface TernaryExpr extends NodeBase {
  readonly kind: "Ternary";
  readonly condition: Expression;
  readonly whenTrue: Expression;
  readonly whenFalse: Expression;
}

export interface ParenExpr extends NodeBase {
  readonly kind: "Paren";
  readonly expr: Expression;
}

export type Node =
  | SourceFile | ModelDecl | Block | Declaration | DeclaredName | Decorator | InlineDecl | OdeEquation
  | KernelDecl | InputPort | Parameter | HandlerArgument | SettingsEntry | TypeExpr | UnitExpr
  | Statement | Expression | Identifier;
