/** Collects diagnostics for one file; every stage after the parser reports through one of these. */
import type { Range } from "../ast.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  /** The source text, when known, lets messages quote sub-expressions. */
  constructor(readonly fileName: string, readonly source?: string) {}

  error(code: string, at: { readonly range: Range }, message: string, hint?: string): void {
    this.diagnostics.push(makeDiagnostic(code, readable(message), this.fileName, at.range, "error", hint));
  }

  warning(code: string, at: { readonly range: Range }, message: string, hint?: string): void {
    this.diagnostics.push(makeDiagnostic(code, readable(message), this.fileName, at.range, "warning", hint));
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.diagnostics) if (d.severity === "error") n++;
    return n;
  }
}

/** `'V_m''` reads badly: names with primes are shown without the surrounding quotes (V_m'). */
function readable(message: string): string {
  return message.replace(/'([A-Za-z_$][A-Za-z0-9_$]*'+)'/g, "$1");
}
