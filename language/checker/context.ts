/** Shared state of checking one model: its symbols, the reporter, and where we are. */
import type { Declaration, Range } from "../ast.js";
import type { Reporter } from "../binder/reporter.js";
import type { ModelSymbols, VariableSymbol } from "../binder/symbols.js";

/** The kind of place an expression sits in; call and assignment rules depend on it. */
export type PlaceKind =
  | "parameters"
  | "state"
  | "internals"
  | "equations"
  | "kernel"
  | "update"
  | "onReceive"
  | "onCondition"
  | "function"
  | "settings"
  | "invariant"
  | "size"
  | "handlerArgument";

export interface Place {
  readonly kind: PlaceKind;
  /** Human label for messages: `update`, `onReceive(spikes)`, `function f`. */
  readonly label: string;
  /** The declaration whose initial value is being checked (recursion and use-before-declaration). */
  readonly declaration?: Declaration;
  /** Source offset of that declaration in its block; later declarations of the same block are not visible. */
  readonly declarationOffset?: number;
  readonly block?: string;
  /** `delta(t)` is allowed here (the whole right-hand side of a kernel). */
  readonly deltaAllowed?: boolean;
  /** Return type of the enclosing function. */
  readonly functionName?: string;
}

/** Lexical scope of local variables in a body. */
export class Scope {
  readonly vars = new Map<string, VariableSymbol>();
  constructor(
    readonly parent: Scope | undefined,
    /** Names declared later in the same body: used to tell "used before declaration" from "not declared". */
    readonly laterLocals: Map<string, Range> = parent?.laterLocals ?? new Map(),
  ) {}

  lookup(name: string): VariableSymbol | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }
}

export interface ModelContext {
  readonly symbols: ModelSymbols;
  readonly report: Reporter;
  /** Set when some body calls integrate_odes(). */
  integrateOdesCalled: boolean;
}

export function placeIsBody(kind: PlaceKind): boolean {
  return kind === "update" || kind === "onReceive" || kind === "onCondition" || kind === "function";
}
