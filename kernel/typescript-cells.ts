/**
 * TypeScript cells, compiled and run by tslab's own converter and executor (tslab 1.0.22, its TS 5.0.4):
 * top-level await, imports and declarations that carry over from cell to cell all behave as in tslab.
 *
 * We wrap tslab's pieces rather than fork them:
 * - the converter is wrapped to prepend a prelude declaring the kernel's cell globals (`display`, ...)
 *   and to keep the structured diagnostics of the last conversion (the executor only prints them);
 * - the executor reports through a console we pass in, so we capture the last expression's value and
 *   the thrown error instead of printing them;
 * - the kernel's globals live in the executor's `locals`, because tslab rewrites references to names
 *   declared before the cell into `exports.NAME`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** tslab's diagnostic shape (`converter.d.ts`). */
export interface TsDiagnostic {
  readonly start: { readonly offset: number; readonly line: number; readonly character: number };
  readonly end: { readonly offset: number; readonly line: number; readonly character: number };
  readonly messageText: string;
  readonly category: number;
  readonly code: number;
  readonly fileName?: string;
}

interface ConvertResult {
  readonly diagnostics: TsDiagnostic[];
}

interface CompletionInfo {
  readonly start: number;
  readonly end: number;
  readonly candidates: string[];
  readonly original?: { readonly entries?: readonly { readonly name: string; readonly kind: string }[] };
}

interface QuickInfo {
  readonly displayParts?: readonly { text: string }[];
  readonly documentation?: readonly { text: string }[];
  readonly tags?: readonly { name: string; text?: readonly { text: string }[] }[];
  readonly textSpan?: { start: number; length: number };
}

interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  inspect(prevDecl: string, src: string, position: number): QuickInfo | undefined;
  complete(prevDecl: string, src: string, position: number): CompletionInfo;
  addModule(name: string, content: string, meta?: unknown): TsDiagnostic[];
  close(): void;
}

interface Executor {
  execute(src: string): Promise<boolean>;
  inspect(src: string, position: number): QuickInfo | undefined;
  complete(src: string, position: number): CompletionInfo;
  interrupt(): void;
  locals: Record<string, unknown>;
  close(): void;
}

interface TslabConverterModule {
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
}
interface TslabExecutorModule {
  createExecutor(
    rootDir: string,
    convs: { node: Converter; browser: Converter; close(): void },
    console: { log(...args: unknown[]): void; error(...args: unknown[]): void },
  ): Executor;
}

/** Declarations of the globals every cell sees; the values are installed by `setGlobal`. */
const PRELUDE = `declare global {
  /** Shows a value in the notebook (charts, MIME bundles, anything with toMimeBundle(); text otherwise). With a displayId, updateDisplay replaces it in place. Resolves when sent; the cell waits for it anyway. */
  function display(value: unknown, displayId?: string): Promise<void>;
  /** Replaces the output shown by display(value, displayId). */
  function updateDisplay(value: unknown, displayId: string): Promise<void>;
  /** Clears this cell's output; with wait = true, only when the next output arrives. */
  function clearOutput(wait?: boolean): void;
}
`;

/** The printf format tslab's executor uses for a diagnostic; anything else it prints is an error. */
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";

export type CellOutcome =
  | { readonly kind: "ok"; readonly hasValue: boolean; readonly value: unknown }
  | { readonly kind: "diagnostics"; readonly diagnostics: readonly TsDiagnostic[] }
  | { readonly kind: "exception"; readonly error: unknown };

export interface Completion {
  readonly matches: string[];
  /** TypeScript's kind of each match ("method", "property", "function", "var", ...). */
  readonly kinds: string[];
  /** UTF-16 offsets into the code. */
  readonly start: number;
  readonly end: number;
}

export class TypeScriptCells {
  private readonly converter: Converter;
  private browserConverter: Converter | undefined;
  private readonly executor: Executor;
  private lastDiagnostics: readonly TsDiagnostic[] = [];
  private lastValue: { value: unknown } | undefined;
  private lastError: { error: unknown } | undefined;
  private interruptWaiters = new Set<(e: Error) => void>();

  /** `rootDir`: where relative imports in cells resolve from (the notebook's folder). */
  constructor(rootDir: string) {
    const { createConverter } = require("tslab/dist/converter.js") as TslabConverterModule;
    const { createExecutor } = require("tslab/dist/executor.js") as TslabExecutorModule;
    this.converter = createConverter({ isJS: false, isBrowser: false });
    const node = this.withPrelude(this.converter);
    const self = this;
    const convs = {
      node,
      get browser(): Converter {
        self.browserConverter ??= createConverter({ isJS: false, isBrowser: true });
        return self.withPrelude(self.browserConverter);
      },
      close: () => {
        this.converter.close();
        this.browserConverter?.close();
      },
    };
    this.executor = createExecutor(rootDir, convs, {
      log: (value: unknown) => {
        this.lastValue = { value };
      },
      error: (first: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT && rest.length === 4) return; // structured copy kept by the wrapper
        this.lastError = { error: first };
      },
    });
  }

  /** Makes `name` a global of every cell (declare its type in the prelude). */
  setGlobal(name: string, value: unknown): void {
    this.executor.locals[name] = value;
  }

  async execute(code: string): Promise<CellOutcome> {
    this.lastDiagnostics = [];
    this.lastValue = undefined;
    this.lastError = undefined;
    const ok = await this.executor.execute(code);
    // Filled in by the executor's console callbacks during execute().
    const value = this.lastValue as { value: unknown } | undefined;
    const thrown = this.lastError as { error: unknown } | undefined;
    if (ok) return { kind: "ok", hasValue: value !== undefined, value: value?.value };
    if (this.lastDiagnostics.length > 0) return { kind: "diagnostics", diagnostics: this.lastDiagnostics };
    return { kind: "exception", error: thrown?.error };
  }

  /** Rejects the promise a top-level-await cell is waiting on (a synchronous loop stops on SIGINT). */
  interrupt(): void {
    this.executor.interrupt();
    const interrupted = new Error("Interrupted asynchronously");
    for (const reject of this.interruptWaiters) reject(interrupted);
    this.interruptWaiters.clear();
  }

  /** Awaits `promise` unless the user interrupts first (then rejects like tslab's interrupt). */
  awaitInterruptibly<T>(promise: PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.interruptWaiters.add(reject);
      Promise.resolve(promise).then(resolve, reject).finally(() => this.interruptWaiters.delete(reject));
    });
  }

  complete(code: string, cursor: number): Completion {
    const info = this.executor.complete(code, cursor);
    const kindOf = new Map((info.original?.entries ?? []).map((e) => [e.name, e.kind]));
    return { matches: info.candidates, kinds: info.candidates.map((c) => kindOf.get(c) ?? ""), start: info.start, end: info.end };
  }

  /** Quick info (signature and docs) at the cursor, or undefined when there is nothing there. */
  inspect(code: string, cursor: number): string | undefined {
    // Look at the identifier the cursor touches (frontends put the cursor right after it).
    const at = cursor > 0 && !/[\w$]/.test(code[cursor] ?? "") ? cursor - 1 : cursor;
    const info = this.executor.inspect(code, at);
    if (!info) return undefined;
    const signature = (info.displayParts ?? []).map((p) => p.text).join("");
    const docs = (info.documentation ?? []).map((d) => d.text).join("");
    const tags = (info.tags ?? []).map((t) => `@${t.name} ${(t.text ?? []).map((x) => x.text).join("")}`);
    const text = [signature, docs, ...tags].filter((s) => s.length > 0).join("\n\n");
    return text.length > 0 ? text : undefined;
  }

  close(): void {
    this.executor.close();
  }

  private withPrelude(conv: Converter): Converter {
    return {
      convert: (prev, src) => {
        const result = conv.convert(PRELUDE + prev, src);
        this.lastDiagnostics = result.diagnostics;
        return result;
      },
      inspect: (prev, src, pos) => conv.inspect(PRELUDE + prev, src, pos),
      complete: (prev, src, pos) => conv.complete(PRELUDE + prev, src, pos),
      addModule: (name, content, meta) => {
        const diagnostics = conv.addModule(name, content, meta);
        this.lastDiagnostics = diagnostics;
        return diagnostics;
      },
      close: () => conv.close(),
    };
  }
}

/** The root of the installed spikelab package (dist/kernel/x.js -> package root). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

let resolutionHooked = false;

/**
 * Makes `import ... from "spikelab"` work in cells wherever the notebook lives, like tslab does for
 * "tslab": Node's resolver maps "spikelab" (and "spikelab/...") to this package, and the TypeScript
 * used by tslab sees `<cwd>/node_modules/spikelab/...` as this package's files when the notebook's
 * folder has no such directory of its own.
 */
export function hookSpikelabResolution(cwd: string): void {
  if (resolutionHooked) return;
  resolutionHooked = true;
  const root = packageRoot();
  const Module = require("node:module") as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
    if (request === "spikelab") return path.join(root, "dist", "index.js");
    if (request.startsWith("spikelab/")) return original.call(this, path.join(root, request.slice("spikelab/".length)), parent, ...rest);
    return original.call(this, request, parent, ...rest);
  };

  const ts = require("@tslab/typescript-for-tslab") as {
    sys: {
      readFile(p: string, encoding?: string): string | undefined;
      fileExists(p: string): boolean;
      directoryExists(p: string): boolean;
      realpath?(p: string): string;
    };
  };
  const fake = path.join(cwd, "node_modules", "spikelab");
  const fs = require("node:fs") as typeof import("node:fs");
  if (fs.existsSync(fake)) return; // a real link is there: nothing to fake
  const forward = (p: string): string => {
    const rel = path.relative(fake, p);
    return rel.startsWith("..") || path.isAbsolute(rel) ? p : path.join(root, rel);
  };
  const sys = ts.sys;
  const { readFile, fileExists, directoryExists } = sys;
  sys.readFile = (p, encoding) => readFile.call(sys, forward(p), encoding);
  sys.fileExists = (p) => fileExists.call(sys, forward(p));
  sys.directoryExists = (p) => directoryExists.call(sys, forward(p)) || p === path.join(cwd, "node_modules");
  if (sys.realpath) {
    const realpath = sys.realpath;
    sys.realpath = (p) => (forward(p) !== p ? p : realpath.call(sys, p));
  }
}
