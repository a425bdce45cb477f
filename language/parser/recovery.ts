/**
 * Line-level error recovery for the parser (see parser.ts): hooks into three internal methods of
 * Chevrotain 11's recognizer (`invokeRuleCatch`, `SAVE_ERROR`, `ruleInvocationStateUpdate`); they
 * are not public API, so a Chevrotain upgrade must re-run test/language/parser.errors.test.ts.
 *
 * - Every line-level rule that fails skips exactly its broken construct: the rest of its logical
 *   line, any block it had opened, and the block hanging from the line; then returns `undefined`,
 *   which the enclosing loop drops.
 * - Inner rules never resync on their own (that would hand `undefined` to the AST builders); the
 *   error travels up to the enclosing line-level rule.
 * - After `maxErrors` errors the rest of the input is skipped.
 */
import { EmbeddedActionsParser, EOF, isRecognitionException, type IRecognitionException, type IToken } from "chevrotain";
import * as T from "../scanner/tokens.js";
import { offender } from "./messages.js";

/** What recovery needs from the parser: public state plus Chevrotain internals. */
interface RecoveringParser {
  readonly input: IToken[];
  readonly errors: Error[];
  hints: { errorIndex: number; hint: string }[];
  ruleStarts: number[];
  LA(howMuch: number): IToken;
  invokeRuleCatch(e: unknown, resyncEnabled: boolean, recoveryValueFunc: (e: unknown) => unknown): unknown;
  getCurrRuleFullName(): string;
  isBackTracking(): boolean;
  recoveryEnabled: boolean;
  consumeToken(): void;
  moveToTerminatedState(): void;
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void;
  currIdx: number;
  RULE_STACK_IDX: number;
  SAVE_ERROR(error: Error): Error;
}

export function installLineRecovery(prototype: object, lineLevelRules: ReadonlySet<string>, maxErrors: number): void {
  const base = EmbeddedActionsParser.prototype as unknown as RecoveringParser;
  const proto = prototype as RecoveringParser;

  const baseInvokeRuleCatch = base.invokeRuleCatch;
  proto.invokeRuleCatch = function (this: RecoveringParser, e, resyncEnabled, recoveryValueFunc) {
    if (isRecognitionException(e as Error) && this.recoveryEnabled && !this.isBackTracking()) {
      const rule = this.getCurrRuleFullName();
      if (lineLevelRules.has(rule)) {
        const start = this.ruleStarts[this.RULE_STACK_IDX] ?? -1;
        if (rule === "settingsBlock") hintMisspelledBlock(this, start);
        // A file that is mostly errors is not worth more work (and stays fast for any input).
        if (this.errors.length >= maxErrors) this.moveToTerminatedState();
        else skipBrokenConstruct(this, start);
        return undefined;
      }
      if (rule !== "sourceFile") throw e;
    }
    return baseInvokeRuleCatch.call(this, e, resyncEnabled, recoveryValueFunc);
  };

  // Attach the token that really broke a line (see messages.ts `offender`) to the saved error.
  const baseSaveError = base.SAVE_ERROR;
  proto.SAVE_ERROR = function (this: RecoveringParser, error: Error) {
    if (offender.token !== undefined) {
      const e = error as Error & { offendingToken?: IToken; previousToken?: IToken };
      e.offendingToken = offender.token;
      e.previousToken = offender.previous;
      offender.token = undefined;
    }
    return baseSaveError.call(this, error);
  };

  // Remember where each rule invocation started, so a failure knows which blocks it had opened.
  const baseRuleInvocation = base.ruleInvocationStateUpdate;
  proto.ruleInvocationStateUpdate = function (this: RecoveringParser, shortName, fullName, idxInCallingRule) {
    baseRuleInvocation.call(this, shortName, fullName, idxInCallingRule);
    this.ruleStarts[this.RULE_STACK_IDX] = this.currIdx;
  };
}

/**
 * Chevrotain's in-repetition recovery skips tokens until the next iteration can start; when the first
 * skipped token is an Indent (a line indented deeper than its block), its matching Dedent stays in
 * the input and later closes the enclosing block, so every block after it fell out of the model
 * ("unexpected 'state'; expected 'model NAME:'"). Leave that case to the line-level recovery, which
 * skips the over-indented lines with their Dedent.
 */
export function keepIndentationBalancedInRepetitions(parser: object): void {
  const p = parser as { attemptInRepetitionRecovery: (...args: unknown[]) => void; LA(howMuch: number): IToken };
  const base = p.attemptInRepetitionRecovery;
  p.attemptInRepetitionRecovery = function (this: typeof p, ...args: unknown[]) {
    if (this.LA(1).tokenType === T.Indent) return;
    base.apply(this, args);
  };
}

/**
 * Skips the rest of a broken line-level construct that started after token `startIdx`: the rest of
 * its logical line, any indented block it had opened, and the indented block hanging from the
 * line (e.g. the body of an `if` whose header is broken, plus its `elif`/`else` parts).
 */
function skipBrokenConstruct(parser: RecoveringParser, startIdx: number): void {
  const consumed = parser.input;
  let depth = 0;
  for (let i = startIdx + 1; i <= parser.currIdx && i < consumed.length; i++) {
    const type = consumed[i]!.tokenType;
    if (type === T.Indent) depth++;
    else if (type === T.Dedent) depth = Math.max(0, depth - 1);
  }
  for (;;) {
    const type = parser.LA(1).tokenType;
    if (type === EOF) return;
    if (type === T.Dedent) {
      if (depth === 0) return;
      depth--;
      parser.consumeToken();
      if (depth === 0) {
        // The construct's block ended; `elif`/`else` would still belong to it.
        const next = parser.LA(1).tokenType;
        if (next !== T.ElifKw && next !== T.ElseKw) return;
      }
      continue;
    }
    parser.consumeToken();
    if (type === T.Indent) depth++;
    else if (type === T.Newline && depth === 0 && parser.LA(1).tokenType !== T.Indent) return;
  }
}

/**
 * A broken `name:` block whose name is a typo of a block keyword (`updat:`) is reported at that name:
 * the lines below it are fine `update` statements, so an error pointing into them misleads.
 */
function hintMisspelledBlock(parser: RecoveringParser, startIdx: number): void {
  const nameTok = parser.input[startIdx + 1];
  if (nameTok === undefined || nameTok.tokenType !== T.Name || parser.errors.length === 0) return;
  const suggestion = closestBlockKeyword(nameTok.image);
  if (suggestion !== undefined) {
    const index = parser.errors.length - 1;
    const err = parser.errors[index] as unknown as IRecognitionException & { offendingToken?: IToken; previousToken?: IToken };
    err.message = `'${nameTok.image}' is not a block; did you mean '${suggestion}'?`;
    err.token = nameTok;
    err.offendingToken = undefined;
    err.previousToken = undefined;
    parser.hints.push({ errorIndex: index, hint: `the lines of '${nameTok.image}:' were skipped; rename it to '${suggestion}:'` });
  }
}

const blockKeywords = ["state", "parameters", "internals", "equations", "input", "output", "update", "function", "onReceive", "onCondition"];

/** The block keyword within edit distance 2 of `name` (case-insensitive), if any. */
export function closestBlockKeyword(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const kw of blockKeywords) {
    const d = editDistance(name.toLowerCase(), kw.toLowerCase());
    if (d < bestDistance) {
      best = kw;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
