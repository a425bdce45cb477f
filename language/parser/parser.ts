/**
 * The Chevrotain grammar of the model language, building `ast.ts` nodes directly (embedded actions).
 *
 * Built once per process (`spikelabParser()`); `performSelfAnalysis` is the expensive part.
 * Rule names are the grammar's nonterminals: grammar.md documents each one in an `ebnf` block and
 * test/language/grammar.test.ts checks both lists agree.
 *
 * Error recovery: Chevrotain's single-token insertion/deletion stays on; on top of that, every
 * *line-level* rule (a model, a block, a declaration line, an equation, a port, a statement, a
 * settings block as a whole) catches recognition errors from everything below it, skips exactly the
 * broken construct (recovery.ts) and lets the enclosing loop continue. So each broken line costs one
 * error and the rest of the file is still parsed. Node builders run inside ACTION (never during
 * Chevrotain's grammar recording) and never see `undefined` children: inner rules do not resync.
 */
import { EmbeddedActionsParser, EOF, createTokenInstance, type IToken, type TokenType } from "chevrotain";
import type * as A from "../ast.js";
import { tokenRange } from "../scanner/scan.js";
import * as T from "../scanner/tokens.js";
import { errorMessages, offender } from "./messages.js";
import { binary, buildBinaryTree, emptyRange, span, toFraction, unquote } from "./nodes.js";
import { installLineRecovery, keepIndentationBalancedInRepetitions } from "./recovery.js";

/** After this many syntax errors the parser gives up on the rest of the file. */
export const MAX_SYNTAX_ERRORS = 100;

/** Rules whose failures are contained to their own logical line (see file comment). */
const lineLevelRules: ReadonlySet<string> = new Set([
  "model", "block", "declarationLine", "equationItem", "inputPort", "statement", "settingsBlock",
]);

/** A syntax problem found without a Chevrotain exception (e.g. an empty block). */
export interface SoftError {
  readonly message: string;
  readonly range: A.Range;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const primitiveTypes: ReadonlyMap<TokenType, A.PrimitiveTypeName> = new Map([
  [T.RealKw, "real"], [T.IntegerKw, "integer"], [T.BooleanKw, "boolean"], [T.StringKw, "string"], [T.VoidKw, "void"],
]);

export class SpikelabParser extends EmbeddedActionsParser {
  /** Errors the grammar reports itself (not Chevrotain exceptions); reset per parse. */
  softErrors: SoftError[] = [];

  /**
   * `validate: true` runs Chevrotain's grammar validations (ambiguities, left recursion, ...); the
   * grammar test does that, the process-wide parser skips them because they more than double the
   * one-time construction cost and cannot fail for a grammar that passed the test.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.parserTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: options.validate !== true,
    });
    this.performSelfAnalysis();
    keepIndentationBalancedInRepetitions(this);
  }

  // ------------------------------------------------------------------------------------------
  // Range helpers (only called inside ACTION, i.e. never during grammar recording)
  // ------------------------------------------------------------------------------------------

  private isReal(tok: IToken | undefined): tok is IToken {
    return tok !== undefined && tok.tokenType !== EOF && !Number.isNaN(tok.startOffset);
  }

  /** From `start` (a token taken at rule entry) to the last consumed token. */
  private rangeFrom(start: IToken): A.Range {
    const last = this.lastRealToken();
    if (!this.isReal(start)) return this.isReal(last) ? tokenRange(last) : emptyRange;
    if (!this.isReal(last) || last.startOffset < start.startOffset) {
      const r = tokenRange(start);
      return { start: r.start, end: r.start };
    }
    const a = tokenRange(start);
    const b = tokenRange(last);
    return { start: a.start, end: b.end };
  }

  /** The last consumed token that is not layout (NEWLINE/INDENT/DEDENT), so ranges end on text. */
  private lastRealToken(): IToken {
    for (let k = 0; k > -10_000; k--) {
      const tok = this.LA(k);
      const type = tok.tokenType;
      if (type !== T.Newline && type !== T.Indent && type !== T.Dedent) return tok;
    }
    return this.LA(0);
  }

  private tokRange(tok: IToken): A.Range {
    if (this.isReal(tok)) return tokenRange(tok);
    const last = this.LA(0);
    return this.isReal(last) ? { start: tokenRange(last).end, end: tokenRange(last).end } : emptyRange;
  }

  private ident(tok: IToken): A.Identifier {
    return { kind: "Identifier", name: tok.image, range: this.tokRange(tok) };
  }

  /** Inserted tokens (recovery) get a zero-width position at the next real token, not NaN. */
  protected override getTokenToInsert(tokType: TokenType): IToken {
    const next = this.LA(1);
    const anchor = this.isReal(next) ? next : this.LA(0);
    const offset = this.isReal(anchor) ? anchor.startOffset : 0;
    const line = this.isReal(anchor) ? anchor.startLine ?? 1 : 1;
    const column = this.isReal(anchor) ? anchor.startColumn ?? 1 : 1;
    const tok = createTokenInstance(tokType, "", offset, offset - 1, line, line, column, column - 1);
    (tok as IToken & { isInsertedInRecovery: boolean }).isInsertedInRecovery = true;
    return tok;
  }

  /** A block needs an indented body; report softly and carry on when it has none. */
  private missingIndent(): void {
    this.ACTION(() => {
      const prev = this.LA(0);
      const at = this.isReal(prev) ? tokenRange(prev) : emptyRange;
      // If this line already failed (e.g. `role: recurrent`), that error says more than this one.
      const lastError = this.errors[this.errors.length - 1];
      if (lastError !== undefined && lastError.token.startLine === at.start.line) return;
      this.softErrors.push({ message: "expected an indented block after ':'", range: { start: at.start, end: at.end } });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Files and models
  // ------------------------------------------------------------------------------------------

  public sourceFile = this.RULE("sourceFile", (): A.ModelDecl[] => {
    const models: A.ModelDecl[] = [];
    this.MANY(() => {
      const m = this.SUBRULE(this.model);
      this.ACTION(() => {
        if (m) models.push(m);
      });
    });
    return models;
  });

  public model = this.RULE("model", (): A.ModelDecl => {
    const start = this.CONSUME(T.ModelKw);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const blocks: A.Block[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const b = this.SUBRULE(this.block);
            this.ACTION(() => {
              if (b) blocks.push(b);
            });
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return this.ACTION(() => ({ kind: "Model", name: this.ident(name), blocks, range: this.rangeFrom(start) }))!;
  });

  public block = this.RULE("block", (): A.Block => {
    return this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.variableBlock) },
        { ALT: () => this.SUBRULE(this.equationsBlock) },
        { ALT: () => this.SUBRULE(this.inputBlock) },
        { ALT: () => this.SUBRULE(this.outputBlock) },
        { ALT: () => this.SUBRULE(this.functionDecl) },
        { ALT: () => this.SUBRULE(this.updateBlock) },
        { ALT: () => this.SUBRULE(this.onReceiveBlock) },
        { ALT: () => this.SUBRULE(this.onConditionBlock) },
        { ALT: () => this.SUBRULE(this.settingsBlock) },
      ],
      ERR_MSG: "a block (state, parameters, internals, equations, input, output, function, update, onReceive, onCondition, or a settings block such as eprop:)",
    });
  });

  // ------------------------------------------------------------------------------------------
  // Variable blocks and declarations
  // ------------------------------------------------------------------------------------------

  public variableBlock = this.RULE("variableBlock", (): A.VariableBlock => {
    const start = this.LA(1);
    const kindTok = this.OR([
      { ALT: () => this.CONSUME(T.StateKw) },
      { ALT: () => this.CONSUME(T.ParametersKw) },
      { ALT: () => this.CONSUME(T.InternalsKw) },
    ]);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const declarations: A.Declaration[] = [];
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const d = this.SUBRULE(this.declarationLine);
            this.ACTION(() => {
              if (d) declarations.push(d);
            });
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return this.ACTION(() => ({
      kind: "VariableBlock",
      blockKind: kindTok.image as A.VariableBlockKind,
      declarations,
      range: this.rangeFrom(start),
    }))!;
  });

  public declarationLine = this.RULE("declarationLine", (): A.Declaration => {
    const d = this.SUBRULE(this.declaration);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    this.CONSUME(T.Newline);
    return d;
  });

  /** `[recordable] [inline] a, b type [= expr] [[guard]] {decorator}` */
  public declaration = this.RULE("declaration", (): A.Declaration => {
    const start = this.LA(1);
    let recordable = false;
    let isInline = false;
    this.OPTION(() => {
      this.CONSUME(T.RecordableKw);
      recordable = true;
    });
    this.OPTION2(() => {
      this.CONSUME(T.InlineKw);
      isInline = true;
    });
    const names: A.DeclaredName[] = [this.SUBRULE(this.declaredName)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      const n = this.SUBRULE2(this.declaredName);
      this.ACTION(() => names.push(n));
    });
    const type = this.SUBRULE(this.typeExpr);
    const rest = this.SUBRULE(this.declarationTail);
    return this.ACTION(() => ({
      kind: "Declaration",
      names,
      type,
      ...rest,
      recordable,
      isInline,
      range: this.rangeFrom(start),
    }))!;
  });

  /** What follows the type of a declaration: `[= expr] [[guard]] {decorator}`. */
  public declarationTail = this.RULE("declarationTail", () => {
    const tail: { init?: A.Expression; invariant?: A.Expression; decorators: A.Decorator[] } = { decorators: [] };
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      tail.init = this.SUBRULE(this.expression);
    });
    this.OPTION2(() => {
      this.CONSUME(T.DoubleLBracket);
      tail.invariant = this.SUBRULE2(this.expression);
      this.CONSUME(T.DoubleRBracket);
    });
    this.MANY(() => {
      const d = this.SUBRULE(this.decorator);
      this.ACTION(() => tail.decorators.push(d));
    });
    return tail;
  });

  /** `x`, `x'`, `g_ex[20]` */
  public declaredName = this.RULE("declaredName", (): A.DeclaredName => {
    const nameTok = this.CONSUME(T.Name);
    let vectorSize: A.Expression | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      vectorSize = this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
    let order = 0;
    this.MANY(() => {
      this.CONSUME(T.Prime);
      order++;
    });
    return this.ACTION(() => {
      const node: Mutable<A.DeclaredName> = { kind: "DeclaredName", name: this.ident(nameTok), order, range: this.rangeFrom(nameTok) };
      if (vectorSize) node.vectorSize = vectorSize;
      return node;
    })!;
  });

  /** `@homogeneous`, `@nest::delay` */
  public decorator = this.RULE("decorator", (): A.Decorator => {
    const at = this.CONSUME(T.At);
    const first = this.CONSUME(T.Name);
    let second: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.DoubleColon);
      second = this.CONSUME2(T.Name);
    });
    return this.ACTION(() => {
      const range = this.rangeFrom(at);
      return second
        ? { kind: "Decorator" as const, namespace: first.image, name: second.image, range }
        : { kind: "Decorator" as const, name: first.image, range };
    })!;
  });

  // ------------------------------------------------------------------------------------------
  // Equations
  // ------------------------------------------------------------------------------------------

  public equationsBlock = this.RULE("equationsBlock", (): A.EquationsBlock => {
    const start = this.CONSUME(T.EquationsKw);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const items: (A.InlineDecl | A.OdeEquation | A.KernelDecl)[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const item = this.SUBRULE(this.equationItem);
            this.ACTION(() => {
              if (item) items.push(item);
            });
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return this.ACTION(() => ({ kind: "EquationsBlock", items, range: this.rangeFrom(start) }))!;
  });

  public equationItem = this.RULE("equationItem", (): A.InlineDecl | A.OdeEquation | A.KernelDecl => {
    const item = this.OR([
      { ALT: () => this.SUBRULE(this.inlineDecl) },
      { ALT: () => this.SUBRULE(this.kernelDecl) },
      { ALT: () => this.SUBRULE(this.odeEquation) },
    ]);
    this.CONSUME(T.Newline);
    return item;
  });

  /** `[recordable] inline name type = expr {decorator}` */
  public inlineDecl = this.RULE("inlineDecl", (): A.InlineDecl => {
    const start = this.LA(1);
    let recordable = false;
    this.OPTION(() => {
      this.CONSUME(T.RecordableKw);
      recordable = true;
    });
    this.CONSUME(T.InlineKw);
    const name = this.CONSUME(T.Name);
    const type = this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Assign);
    const expr = this.SUBRULE(this.expression);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
    const decorators: A.Decorator[] = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.decorator);
      this.ACTION(() => decorators.push(d));
    });
    return this.ACTION(() => ({
      kind: "InlineDecl" as const,
      name: this.ident(name),
      type,
      expr,
      recordable,
      decorators,
      range: this.rangeFrom(start),
    }))!;
  });

  /** `x' = rhs {decorator}` */
  public odeEquation = this.RULE("odeEquation", (): A.OdeEquation => {
    const start = this.LA(1);
    const lhs = this.SUBRULE(this.variableRef);
    this.CONSUME(T.Assign);
    const rhs = this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    const decorators: A.Decorator[] = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.decorator);
      this.ACTION(() => decorators.push(d));
    });
    return this.ACTION(() => ({ kind: "OdeEquation" as const, lhs, rhs, decorators, range: this.rangeFrom(start) }))!;
  });

  /** `kernel g = f(t)` or `kernel g' = ..., g$' = ...` */
  public kernelDecl = this.RULE("kernelDecl", (): A.KernelDecl => {
    const start = this.CONSUME(T.KernelKw);
    const definitions: { lhs: A.VariableRef; rhs: A.Expression; range: A.Range }[] = [this.SUBRULE(this.kernelDefinition)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      const d = this.SUBRULE2(this.kernelDefinition);
      this.ACTION(() => definitions.push(d));
    });
    this.OPTION(() => this.CONSUME(T.Semicolon));
    return this.ACTION(() => ({ kind: "KernelDecl" as const, definitions, range: this.rangeFrom(start) }))!;
  });

  public kernelDefinition = this.RULE("kernelDefinition", () => {
    const start = this.LA(1);
    const lhs = this.SUBRULE(this.variableRef);
    this.CONSUME(T.Assign);
    const rhs = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ lhs, rhs, range: this.rangeFrom(start) }))!;
  });

  // ------------------------------------------------------------------------------------------
  // Input and output
  // ------------------------------------------------------------------------------------------

  public inputBlock = this.RULE("inputBlock", (): A.InputBlock => {
    const start = this.CONSUME(T.InputKw);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const ports: A.InputPort[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const p = this.SUBRULE(this.inputPort);
            this.ACTION(() => {
              if (p) ports.push(p);
            });
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return this.ACTION(() => ({ kind: "InputBlock" as const, ports, range: this.rangeFrom(start) }))!;
  });

  /** `name[size] [type] <- {excitatory|inhibitory} (spike|continuous) [(attributes)]` */
  public inputPort = this.RULE("inputPort", (): A.InputPort => {
    const nameTok = this.CONSUME(T.Name);
    let size: A.Expression | undefined;
    let type: A.TypeExpr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      size = this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() => {
      type = this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.LeftArrow);
    const qualifiers: { qualifier: A.PortQualifier; range: A.Range }[] = [];
    this.MANY(() => {
      const q = this.OR([{ ALT: () => this.CONSUME(T.ExcitatoryKw) }, { ALT: () => this.CONSUME(T.InhibitoryKw) }]);
      this.ACTION(() => qualifiers.push({ qualifier: q.image as A.PortQualifier, range: this.tokRange(q) }));
    });
    const kindTok = this.OR2({
      DEF: [{ ALT: () => this.CONSUME(T.SpikeKw) }, { ALT: () => this.CONSUME(T.ContinuousKw) }],
      ERR_MSG: "'spike' or 'continuous'",
    });
    let attributes: { name: A.Identifier; type: A.TypeExpr }[] | undefined;
    this.OPTION3(() => {
      attributes = this.SUBRULE(this.portAttributes);
    });
    this.CONSUME(T.Newline);
    return this.ACTION(() => {
      const node: Mutable<A.InputPort> = {
        kind: "InputPort",
        name: this.ident(nameTok),
        qualifiers,
        portKind: kindTok.image === "continuous" ? "continuous" : "spike",
        range: this.rangeFrom(nameTok),
      };
      if (size) node.size = size;
      if (type) node.type = type;
      if (attributes) node.attributes = attributes;
      return node;
    })!;
  });

  /** Legacy `(weight real, delay ms)` event attributes. */
  public portAttributes = this.RULE("portAttributes", () => {
    const attributes: { name: A.Identifier; type: A.TypeExpr }[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const n = this.CONSUME(T.Name);
        const t = this.SUBRULE(this.typeExpr);
        this.ACTION(() => attributes.push({ name: this.ident(n), type: t }));
      },
    });
    this.CONSUME(T.RParen);
    return attributes;
  });

  public outputBlock = this.RULE("outputBlock", (): A.OutputBlock => {
    const start = this.CONSUME(T.OutputKw);
    this.CONSUME(T.Colon);
    const port = this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Newline);
          this.CONSUME(T.Indent);
          const p = this.SUBRULE(this.outputPort);
          this.CONSUME2(T.Newline);
          this.CONSUME(T.Dedent);
          return p;
        },
      },
      {
        // Old one-line form `output: spike`.
        ALT: () => {
          const p = this.SUBRULE2(this.outputPort);
          this.CONSUME3(T.Newline);
          return p;
        },
      },
    ]);
    return this.ACTION(() => {
      const node: Mutable<A.OutputBlock> = { kind: "OutputBlock", portKind: port.portKind, range: this.rangeFrom(start) };
      if (port.attributes) node.attributes = port.attributes;
      return node;
    })!;
  });

  public outputPort = this.RULE("outputPort", () => {
    const kindTok = this.OR([{ ALT: () => this.CONSUME(T.SpikeKw) }, { ALT: () => this.CONSUME(T.ContinuousKw) }]);
    let attributes: { name: A.Identifier; type: A.TypeExpr }[] | undefined;
    this.OPTION(() => {
      attributes = this.SUBRULE(this.portAttributes);
    });
    return { portKind: kindTok.image === "continuous" ? ("continuous" as const) : ("spike" as const), attributes };
  });

  // ------------------------------------------------------------------------------------------
  // Functions and handlers
  // ------------------------------------------------------------------------------------------

  public functionDecl = this.RULE("functionDecl", (): A.FunctionDecl => {
    const start = this.CONSUME(T.FunctionKw);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    const parameters: A.Parameter[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const p = this.SUBRULE(this.functionParameter);
        this.ACTION(() => parameters.push(p));
      },
    });
    this.CONSUME(T.RParen);
    let returnType: A.TypeExpr | undefined;
    this.OPTION(() => {
      returnType = this.SUBRULE(this.typeExpr);
    });
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => {
      const node: Mutable<A.FunctionDecl> = { kind: "FunctionDecl", name: this.ident(name), parameters, body, range: this.rangeFrom(start) };
      if (returnType) node.returnType = returnType;
      return node;
    })!;
  });

  public functionParameter = this.RULE("functionParameter", (): A.Parameter => {
    const name = this.CONSUME(T.Name);
    const type = this.SUBRULE(this.typeExpr);
    return this.ACTION(() => ({ kind: "Parameter" as const, name: this.ident(name), type, range: this.rangeFrom(name) }))!;
  });

  public updateBlock = this.RULE("updateBlock", (): A.UpdateBlock => {
    const start = this.CONSUME(T.UpdateKw);
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "UpdateBlock" as const, body, range: this.rangeFrom(start) }))!;
  });

  /** `onReceive(port, priority=1):` */
  public onReceiveBlock = this.RULE("onReceiveBlock", (): A.OnReceiveBlock => {
    const start = this.CONSUME(T.OnReceiveKw);
    this.CONSUME(T.LParen);
    const port = this.SUBRULE(this.variableRef);
    const args: A.HandlerArgument[] = [];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      const a = this.SUBRULE(this.handlerArgument);
      this.ACTION(() => args.push(a));
    });
    this.CONSUME(T.RParen);
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "OnReceiveBlock" as const, port, args, body, range: this.rangeFrom(start) }))!;
  });

  /** `onCondition(expr, priority=1):` */
  public onConditionBlock = this.RULE("onConditionBlock", (): A.OnConditionBlock => {
    const start = this.CONSUME(T.OnConditionKw);
    this.CONSUME(T.LParen);
    const condition = this.SUBRULE(this.expression);
    const args: A.HandlerArgument[] = [];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      const a = this.SUBRULE(this.handlerArgument);
      this.ACTION(() => args.push(a));
    });
    this.CONSUME(T.RParen);
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "OnConditionBlock" as const, condition, args, body, range: this.rangeFrom(start) }))!;
  });

  /** `name = expr` inside handler and call argument lists. */
  public handlerArgument = this.RULE("handlerArgument", (): A.HandlerArgument => {
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Assign);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: "HandlerArgument" as const, name: this.ident(name), value, range: this.rangeFrom(name) }))!;
  });

  // ------------------------------------------------------------------------------------------
  // Settings blocks (extension: eprop:, flush:, nested optimizer:)
  // ------------------------------------------------------------------------------------------

  public settingsBlock = this.RULE("settingsBlock", (): A.SettingsBlock => {
    const name = this.CONSUME(T.Name);
    const entries = this.SUBRULE(this.settingsBody);
    return this.ACTION(() => ({ kind: "SettingsBlock" as const, name: this.ident(name), entries, range: this.rangeFrom(name) }))!;
  });

  public settingsBody = this.RULE("settingsBody", (): A.SettingsEntry[] => {
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const entries: A.SettingsEntry[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const e = this.SUBRULE(this.settingsEntry);
            this.ACTION(() => entries.push(e));
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return entries;
  });

  /** `key = expr` or a nested `key:` block. */
  public settingsEntry = this.RULE("settingsEntry", (): A.SettingsEntry => {
    const key = this.CONSUME(T.Name);
    return this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Assign);
            const value = this.SUBRULE(this.expression);
            const node = this.ACTION(() => ({ kind: "Setting" as const, key: this.ident(key), value, range: this.rangeFrom(key) }))!;
            this.CONSUME(T.Newline);
            return node;
          },
        },
        {
          ALT: () => {
            const entries = this.SUBRULE(this.settingsBody);
            return this.ACTION(() => ({ kind: "SettingsBlock" as const, name: this.ident(key), entries, range: this.rangeFrom(key) }))!;
          },
        },
      ],
      ERR_MSG: "'=' or ':'",
    });
  });

  // ------------------------------------------------------------------------------------------
  // Statements
  // ------------------------------------------------------------------------------------------

  /** `: NEWLINE INDENT statement+ DEDENT` */
  public body = this.RULE("body", (): A.Statement[] => {
    this.CONSUME(T.Colon);
    this.CONSUME(T.Newline);
    const statements: A.Statement[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Indent);
          this.MANY(() => {
            const s = this.SUBRULE(this.statement);
            this.ACTION(() => {
              if (s) statements.push(s);
            });
          });
          this.CONSUME(T.Dedent);
        },
      },
      { ALT: () => this.missingIndent() },
    ]);
    return statements;
  });

  public statement = this.RULE("statement", (): A.Statement => {
    return this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.ifStatement) },
        { ALT: () => this.SUBRULE(this.forStatement) },
        { ALT: () => this.SUBRULE(this.whileStatement) },
        {
          ALT: () => {
            const s = this.OR2({
              IGNORE_AMBIGUITIES: true, // a statement starting with a name is a nameStatement
              DEF: [
                { ALT: () => this.SUBRULE(this.returnStatement) },
                { ALT: () => this.SUBRULE(this.nameStatement) },
                { ALT: () => this.SUBRULE(this.declaration) }, // with a `recordable`/`inline` prefix
              ],
            });
            this.OPTION(() => this.CONSUME(T.Semicolon));
            this.CONSUME(T.Newline);
            return s;
          },
        },
      ],
      ERR_MSG: "a statement",
    });
  });

  /**
   * Statements that start with a name, left-factored: a call `f(x)`, an assignment `x[i] += e`,
   * or a local declaration `a, b real = e`.
   */
  public nameStatement = this.RULE("nameStatement", (): A.Statement => {
    const nameTok = this.CONSUME(T.Name);
    return this.OR({
      IGNORE_AMBIGUITIES: true, // a call wins over a declaration whose unit type starts with '('
      DEF: [
        {
          ALT: () => {
            const { args, keywordArgs } = this.SUBRULE(this.callArguments);
            return this.ACTION(() => {
              const call: A.Call = { kind: "Call", callee: this.ident(nameTok), args, keywordArgs, range: this.rangeFrom(nameTok) };
              return { kind: "CallStatement" as const, call, range: call.range };
            })!;
          },
        },
        {
          ALT: () => {
            let index: A.Expression | undefined;
            this.OPTION(() => {
              this.CONSUME(T.LBracket);
              index = this.SUBRULE(this.expression);
              this.CONSUME(T.RBracket);
            });
            let order = 0;
            this.MANY(() => {
              this.CONSUME(T.Prime);
              order++;
            });
            const firstRange = this.ACTION(() => this.rangeFrom(nameTok))!;
            return this.OR2({
              DEF: [
                {
                  ALT: () => {
                    const opTok = this.SUBRULE(this.assignmentOperator);
                    const value = this.SUBRULE2(this.expression);
                    return this.ACTION(() => {
                      const target: Mutable<A.VariableRef> = { kind: "VariableRef", name: nameTok.image, order, range: firstRange };
                      if (index) target.index = index;
                      return { kind: "Assignment" as const, target, op: opTok.image as A.AssignmentOperator, value, range: this.rangeFrom(nameTok) };
                    })!;
                  },
                },
                {
                  ALT: () => {
                    const more: A.DeclaredName[] = [];
                    this.MANY2(() => {
                      this.CONSUME(T.Comma);
                      const n = this.SUBRULE(this.declaredName);
                      this.ACTION(() => more.push(n));
                    });
                    const type = this.SUBRULE(this.typeExpr);
                    const rest = this.SUBRULE(this.declarationTail);
                    return this.ACTION(() => {
                      const first: Mutable<A.DeclaredName> = { kind: "DeclaredName", name: this.ident(nameTok), order, range: firstRange };
                      if (index) first.vectorSize = index;
                      return {
                        kind: "Declaration" as const,
                        names: [first, ...more],
                        type,
                        ...rest,
                        recordable: false,
                        isInline: false,
                        range: this.rangeFrom(nameTok),
                      };
                    })!;
                  },
                },
              ],
              ERR_MSG: "'=' (assignment), '(' (call) or a type (declaration)",
            });
          },
        },
      ],
    });
  });

  public assignmentOperator = this.RULE("assignmentOperator", (): IToken => {
    return this.OR([
      { ALT: () => this.CONSUME(T.Assign) },
      { ALT: () => this.CONSUME(T.PlusAssign) },
      { ALT: () => this.CONSUME(T.MinusAssign) },
      { ALT: () => this.CONSUME(T.StarAssign) },
      { ALT: () => this.CONSUME(T.SlashAssign) },
    ]);
  });

  public returnStatement = this.RULE("returnStatement", (): A.ReturnStatement => {
    const start = this.CONSUME(T.ReturnKw);
    let value: A.Expression | undefined;
    this.OPTION(() => {
      value = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => (value ? { kind: "Return" as const, value, range: this.rangeFrom(start) } : { kind: "Return" as const, range: this.rangeFrom(start) }))!;
  });

  public ifStatement = this.RULE("ifStatement", (): A.IfStatement => {
    const start = this.CONSUME(T.IfKw);
    const branches: { condition: A.Expression; body: A.Statement[]; range: A.Range }[] = [];
    const cond = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.body);
    this.ACTION(() => branches.push({ condition: cond, body, range: this.rangeFrom(start) }));
    this.MANY(() => {
      const elifTok = this.CONSUME(T.ElifKw);
      const c = this.SUBRULE2(this.expression);
      const b = this.SUBRULE2(this.body);
      this.ACTION(() => branches.push({ condition: c, body: b, range: this.rangeFrom(elifTok) }));
    });
    let elseBody: A.Statement[] | undefined;
    this.OPTION(() => {
      this.CONSUME(T.ElseKw);
      elseBody = this.SUBRULE3(this.body);
    });
    return this.ACTION(() => {
      const node: Mutable<A.IfStatement> = { kind: "If", branches, range: this.rangeFrom(start) };
      if (elseBody) node.elseBody = elseBody;
      return node;
    })!;
  });

  /** `for i in a ... b [step s]:` */
  public forStatement = this.RULE("forStatement", (): A.ForStatement => {
    const start = this.CONSUME(T.ForKw);
    const variable = this.CONSUME(T.Name);
    this.CONSUME(T.InKw);
    const from = this.SUBRULE(this.expression);
    this.CONSUME(T.Ellipsis);
    const to = this.SUBRULE2(this.expression);
    let step: A.Expression | undefined;
    this.OPTION(() => {
      this.CONSUME(T.StepKw);
      step = this.SUBRULE3(this.expression);
    });
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => {
      const node: Mutable<A.ForStatement> = { kind: "For", variable: this.ident(variable), from, to, body, range: this.rangeFrom(start) };
      if (step) node.step = step;
      return node;
    })!;
  });

  public whileStatement = this.RULE("whileStatement", (): A.WhileStatement => {
    const start = this.CONSUME(T.WhileKw);
    const condition = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "While" as const, condition, body, range: this.rangeFrom(start) }))!;
  });

  // ------------------------------------------------------------------------------------------
  // Types and units
  // ------------------------------------------------------------------------------------------

  public typeExpr = this.RULE("typeExpr", (): A.TypeExpr => {
    return this.OR([
      {
        ALT: () => {
          const tok = this.OR2([
            { ALT: () => this.CONSUME(T.RealKw) },
            { ALT: () => this.CONSUME(T.IntegerKw) },
            { ALT: () => this.CONSUME(T.BooleanKw) },
            { ALT: () => this.CONSUME(T.StringKw) },
            { ALT: () => this.CONSUME(T.VoidKw) },
          ]);
          return this.ACTION(() => ({ kind: "PrimitiveType" as const, name: primitiveTypes.get(tok.tokenType) ?? "real", range: this.tokRange(tok) }))!;
        },
      },
      {
        ALT: () => {
          const unit = this.SUBRULE(this.unitExpr);
          return this.ACTION(() => ({ kind: "UnitType" as const, unit, range: unit.range }))!;
        },
      },
    ]);
  });

  /** `mV`, `pA/ms`, `1/ms`, `mV*ms`, left-associative. */
  public unitExpr = this.RULE("unitExpr", (): A.UnitExpr => {
    let left = this.SUBRULE(this.unitTerm);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      const right = this.SUBRULE2(this.unitTerm);
      left = this.ACTION(() => ({ kind: "UnitBinary" as const, op: op.image as "*" | "/", left, right, range: span(left, right) }))!;
    });
    return left;
  });

  /** `unit [** exponent]` */
  public unitTerm = this.RULE("unitTerm", (): A.UnitExpr => {
    const base = this.SUBRULE(this.unitAtom);
    let result = base;
    this.OPTION(() => {
      this.CONSUME(T.DoubleStar);
      const exp = this.SUBRULE(this.unitExponent);
      result = this.ACTION(() => ({
        kind: "UnitPower" as const,
        base,
        numerator: exp.numerator,
        denominator: exp.denominator,
        range: { start: base.range.start, end: this.rangeFrom(this.LA(0)).end },
      }))!;
    });
    return result;
  });

  public unitAtom = this.RULE("unitAtom", (): A.UnitExpr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const u = this.SUBRULE(this.unitExpr);
          this.CONSUME(T.RParen);
          return u;
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.Name);
          return this.ACTION(() => ({ kind: "UnitName" as const, name: tok.image, range: this.tokRange(tok) }))!;
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.IntegerLiteral);
          return this.ACTION(() => ({ kind: "UnitOne" as const, value: Number(tok.image), range: this.tokRange(tok) }))!;
        },
      },
    ]);
  });

  /** `2`, `-1`, `0.5`, `(1/2)`, `-(1/2)` as a fraction. */
  public unitExponent = this.RULE("unitExponent", (): { numerator: number; denominator: number } => {
    let sign = 1;
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus) },
        {
          ALT: () => {
            this.CONSUME(T.Minus);
            sign = -1;
          },
        },
      ]);
    });
    return this.OR2([
      {
        ALT: () => {
          const tok = this.OR3([{ ALT: () => this.CONSUME(T.IntegerLiteral) }, { ALT: () => this.CONSUME(T.FloatLiteral) }]);
          return this.ACTION(() => {
            const f = toFraction(Number(tok.image));
            return { numerator: sign * f.numerator, denominator: f.denominator };
          })!;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          let innerSign = 1;
          this.OPTION2(() => {
            this.CONSUME2(T.Minus);
            innerSign = -1;
          });
          const n = this.CONSUME2(T.IntegerLiteral);
          this.CONSUME(T.Slash);
          const d = this.CONSUME3(T.IntegerLiteral);
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ numerator: sign * innerSign * Number(n.image), denominator: Number(d.image) || 1 }))!;
        },
      },
    ]);
  });

  // ------------------------------------------------------------------------------------------
  // Expressions: Python precedence, lowest first
  // ------------------------------------------------------------------------------------------

  /** `cond ? a : b` (right-associative) over everything else. */
  public expression = this.RULE("expression", (): A.Expression => {
    const condition = this.SUBRULE(this.orExpr);
    let result = condition;
    this.OPTION(() => {
      this.CONSUME(T.Question);
      const whenTrue = this.SUBRULE(this.expression);
      this.CONSUME(T.Colon);
      const whenFalse = this.SUBRULE2(this.expression);
      result = this.ACTION(() => ({ kind: "Ternary" as const, condition, whenTrue, whenFalse, range: span(condition, whenFalse) }))!;
    });
    return result;
  });

  public orExpr = this.RULE("orExpr", (): A.Expression => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.OrKw);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => binary("or", left, right))!;
    });
    return left;
  });

  public andExpr = this.RULE("andExpr", (): A.Expression => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.AndKw);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => binary("and", left, right))!;
    });
    return left;
  });

  public notExpr = this.RULE("notExpr", (): A.Expression => {
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(T.NotKw);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION(() => ({ kind: "Unary" as const, op: "not" as const, operand, range: { start: this.tokRange(op).start, end: operand.range.end } }))!;
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /**
   * Comparisons and all arithmetic and bit operators: a flat `operand {operator operand}` chain
   * whose tree is built by precedence (`binaryPrecedence` in nodes.ts), which costs one rule call per
   * operand instead of one per precedence level. Comparisons do not chain as in Python:
   * `a < b < c` is `(a < b) < c`. `<>` means `!=`.
   */
  public comparison = this.RULE("comparison", (): A.Expression => {
    const operands: A.Expression[] = [this.SUBRULE(this.unary)];
    const operators: A.BinaryOperator[] = [];
    this.MANY(() => {
      const op = this.SUBRULE(this.binaryOperator);
      const right = this.SUBRULE2(this.unary);
      this.ACTION(() => {
        operators.push(op.image === "<>" ? "!=" : (op.image as A.BinaryOperator));
        operands.push(right);
      });
    });
    return this.ACTION(() => (operators.length === 0 ? operands[0]! : buildBinaryTree(operands, operators)))!;
  });

  public binaryOperator = this.RULE("binaryOperator", (): IToken => {
    return this.OR([
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEqual) },
      { ALT: () => this.CONSUME(T.EqualEqual) },
      { ALT: () => this.CONSUME(T.NotEqual) },
      { ALT: () => this.CONSUME(T.LessGreater) },
      { ALT: () => this.CONSUME(T.GreaterEqual) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.Pipe) },
      { ALT: () => this.CONSUME(T.Caret) },
      { ALT: () => this.CONSUME(T.Ampersand) },
      { ALT: () => this.CONSUME(T.ShiftLeft) },
      { ALT: () => this.CONSUME(T.ShiftRight) },
      { ALT: () => this.CONSUME(T.Plus) },
      { ALT: () => this.CONSUME(T.Minus) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.Slash) },
      { ALT: () => this.CONSUME(T.Percent) },
    ]);
  });

  /** `-x`, `+x`, `~x`; binds looser than `**` so `-x**2` is `-(x**2)`. */
  public unary = this.RULE("unary", (): A.Expression => {
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([
            { ALT: () => this.CONSUME(T.Minus) },
            { ALT: () => this.CONSUME(T.Plus) },
            { ALT: () => this.CONSUME(T.Tilde) },
          ]);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => ({
            kind: "Unary" as const,
            op: op.image as A.UnaryOperator,
            operand,
            range: { start: this.tokRange(op).start, end: operand.range.end },
          }))!;
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  /** `a ** b`, right-associative; the exponent may carry a sign (`2 ** -x`). */
  public power = this.RULE("power", (): A.Expression => {
    const base = this.SUBRULE(this.primary);
    let result = base;
    this.OPTION(() => {
      this.CONSUME(T.DoubleStar);
      const exponent = this.SUBRULE(this.unary);
      result = this.ACTION(() => binary("**", base, exponent))!;
    });
    return result;
  });

  public primary = this.RULE("primary", (): A.Expression => {
    return this.OR({
      DEF: [
        {
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            const expr = this.SUBRULE(this.expression);
            this.CONSUME(T.RParen);
            return this.ACTION(() => ({ kind: "Paren" as const, expr, range: this.rangeFrom(open) }))!;
          },
        },
        { ALT: () => this.SUBRULE(this.numberLiteral) },
        {
          ALT: () => {
            const tok = this.CONSUME(T.BooleanLiteral);
            return this.ACTION(() => ({ kind: "BooleanLiteral" as const, value: tok.image === "true" || tok.image === "True", range: this.tokRange(tok) }))!;
          },
        },
        {
          ALT: () => {
            const tok = this.CONSUME(T.StringLiteral);
            return this.ACTION(() => ({ kind: "StringLiteral" as const, value: unquote(tok.image), range: this.tokRange(tok) }))!;
          },
        },
        {
          ALT: () => {
            const tok = this.CONSUME(T.InfKw);
            return this.ACTION(() => ({ kind: "InfLiteral" as const, range: this.tokRange(tok) }))!;
          },
        },
        { ALT: () => this.SUBRULE(this.callOrVariable) },
      ],
      ERR_MSG: "an expression",
    });
  });

  /** `10`, `1.5e-3`, `10 mV`, `10mV` (a unit name juxtaposed to the number). */
  public numberLiteral = this.RULE("numberLiteral", (): A.NumberLiteral => {
    const tok = this.OR([{ ALT: () => this.CONSUME(T.IntegerLiteral) }, { ALT: () => this.CONSUME(T.FloatLiteral) }]);
    let unitTok: IToken | undefined;
    this.OPTION({
      // `2 exp(x)` is not a unit literal; let the parser report the missing operator instead.
      GATE: () => this.LA(2).tokenType !== T.LParen,
      DEF: () => {
        unitTok = this.CONSUME(T.Name);
      },
    });
    return this.ACTION(() => {
      const isInteger = tok.tokenType === T.IntegerLiteral;
      const node: Mutable<A.NumberLiteral> = {
        kind: "NumberLiteral",
        value: Number(tok.image),
        text: tok.image,
        isInteger,
        range: this.rangeFrom(tok),
      };
      if (unitTok) node.unit = { kind: "UnitName", name: unitTok.image, range: this.tokRange(unitTok) };
      return node;
    })!;
  });

  /** `f(args)` or `x`, `x'`, `x[i]` */
  public callOrVariable = this.RULE("callOrVariable", (): A.Expression => {
    const nameTok = this.CONSUME(T.Name);
    return this.OR([
      {
        ALT: () => {
          const { args, keywordArgs } = this.SUBRULE(this.callArguments);
          return this.ACTION(() => ({ kind: "Call" as const, callee: this.ident(nameTok), args, keywordArgs, range: this.rangeFrom(nameTok) }))!;
        },
      },
      { ALT: () => this.SUBRULE(this.variableSuffix, { ARGS: [nameTok] }) },
    ]);
  });

  /** `x`, `x'`, `x[i]` as a reference (ODE left-hand sides, kernel names, onReceive ports). */
  public variableRef = this.RULE("variableRef", (): A.VariableRef => {
    const nameTok = this.CONSUME(T.Name);
    return this.SUBRULE(this.variableSuffix, { ARGS: [nameTok] });
  });

  public variableSuffix = this.RULE("variableSuffix", (nameTok: IToken): A.VariableRef => {
    let index: A.Expression | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      index = this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
    let order = 0;
    this.MANY(() => {
      this.CONSUME(T.Prime);
      order++;
    });
    return this.ACTION(() => {
      const node: Mutable<A.VariableRef> = { kind: "VariableRef", name: nameTok.image, order, range: this.rangeFrom(nameTok) };
      if (index) node.index = index;
      return node;
    })!;
  });

  public callArguments = this.RULE("callArguments", () => {
    const args: A.Expression[] = [];
    const keywordArgs: A.HandlerArgument[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.OR([
          {
            GATE: () => this.LA(2).tokenType === T.Assign,
            ALT: () => {
              const kw = this.SUBRULE(this.handlerArgument);
              this.ACTION(() => keywordArgs.push(kw));
            },
          },
          {
            ALT: () => {
              const a = this.SUBRULE(this.expression);
              this.ACTION(() => args.push(a));
            },
          },
        ]);
      },
    });
    this.CONSUME(T.RParen);
    return { args, keywordArgs };
  });

  // ------------------------------------------------------------------------------------------
  // Recovery state (see recovery.ts)
  // ------------------------------------------------------------------------------------------

  /** Clears per-parse state; call before setting `input`. */
  resetRecovery(): void {
    this.softErrors = [];
    this.hints = [];
    this.ruleStarts = [];
    offender.token = undefined;
    offender.previous = undefined;
  }

  /** Hints for saved errors (by index into `errors`), e.g. a misspelled block name. */
  hints: { errorIndex: number; hint: string }[] = [];

  /** Token index (Chevrotain's currIdx) at the entry of each rule on the rule stack. */
  ruleStarts: number[] = [];
}

installLineRecovery(SpikelabParser.prototype, lineLevelRules, MAX_SYNTAX_ERRORS);

let instance: SpikelabParser | undefined;

/** The process-wide parser (grammar analysis runs once). */
export function spikelabParser(): SpikelabParser {
  instance ??= new SpikelabParser();
  return instance;
}
