/**
 * The Spikelab Jupyter kernel: answers the messaging protocol (5.3) on the shell and control
 * channels and runs cells — TypeScript through tslab's converter and executor, model cells through
 * the language front end and runtime.
 *
 * Shell requests run one at a time in arrival order; control requests (interrupt, shutdown,
 * kernel_info) are answered at once. Each request is bracketed by iopub `busy` ... `idle`.
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { Channels, type ChannelName } from "./channels.js";
import { inspect } from "node:util";
import { hasRichRepresentation, toMimeBundle } from "./display.js";
import { display as displayValue, updateDisplay as updateDisplayValue } from "./display.js";
import { exceptionError, diagnosticsError, type JupyterError } from "./errors.js";
import { History, type HistoryQuery } from "./history.js";
import { setKernelHost, type KernelHost, type MimeBundle } from "./host.js";
import { captureStandardStreams, Iopub } from "./iopub.js";
import { isComplete } from "./is-complete.js";
import { completeModel, inspectModel } from "./model-assist.js";
import { isModelCell, runModelCell } from "./model-cells.js";
import { hookSpikelabResolution, TypeScriptCells } from "./typescript-cells.js";
import { BadMessageError, decodeMessage, encodeMessage, makeHeader, PROTOCOL_VERSION, Signer, type ConnectionInfo, type JsonObject, type Message } from "./wire.js";

export const KERNEL_VERSION = "0.1.0";

export interface KernelOptions {
  /** Folder cells run in (relative imports, `rootDir` of tslab's compiler). Default: process.cwd(). */
  readonly cwd?: string;
  /** Called after the shutdown reply is sent; the default exits the process. */
  readonly onShutdown?: (restart: boolean) => void;
}

export class Kernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly channels: Channels;
  private readonly iopub: Iopub;
  private readonly history = new History();
  private readonly shellQueue: { frames: Buffer[]; channel: "shell" | "control" }[] = [];
  private shellBusy = false;
  private executionCount = 0;
  private cells: TypeScriptCells | undefined;
  private readonly pendingWork = new Set<Promise<unknown>>();
  private log: (text: string) => void = (text) => process.stderr.write(text);
  private shuttingDown = false;

  constructor(private readonly info: ConnectionInfo, private readonly options: KernelOptions = {}) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.channels = new Channels(info, this.session, (e) => this.log(typeof e === "string" ? e : `spikelab kernel: socket error: ${String(e)}\n`));
    this.iopub = new Iopub(this.channels, this.signer, this.session);
  }

  async start(): Promise<void> {
    await this.channels.bind();
    this.log = captureStandardStreams(this.iopub);
    const cwd = this.options.cwd ?? process.cwd();
    hookSpikelabResolution(cwd);
    this.cells = new TypeScriptCells(cwd);
    this.installCellGlobals(this.cells);
    setKernelHost(this.host());
    this.hookTslabDisplay();
    process.on("SIGINT", () => this.cells?.interrupt());
    process.on("uncaughtException", (e) => this.iopub.stream("stderr", `Uncaught exception: ${describe(e)}\n`));
    process.on("unhandledRejection", (e) => this.iopub.stream("stderr", `Unhandled promise rejection: ${describe(e)}\n`));
    this.iopub.status("starting", undefined);
    void this.channels.listenShell((frames) => this.enqueue(frames, "shell"));
    this.channels.listenControl(
      (frames) => void this.handle(frames, "control"),
      (frames) => this.interrupted(frames),
    );
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private enqueue(frames: Buffer[], channel: "shell" | "control"): void {
    this.shellQueue.push({ frames, channel });
    if (!this.shellBusy) void this.drainShell();
  }

  private async drainShell(): Promise<void> {
    this.shellBusy = true;
    while (this.shellQueue.length > 0) {
      const next = this.shellQueue.shift()!;
      await this.handle(next.frames, next.channel);
    }
    this.shellBusy = false;
  }

  private async handle(frames: Buffer[], channel: "shell" | "control"): Promise<void> {
    let msg: Message;
    try {
      msg = decodeMessage(this.signer, frames);
    } catch (e) {
      // A forged or garbled message is dropped unanswered, as the protocol requires.
      this.log(`spikelab kernel: rejected message on ${channel}: ${e instanceof BadMessageError ? e.message : String(e)}\n`);
      return;
    }
    const type = msg.header.msg_type;
    const handler = this.handlers[type];
    if (!handler) {
      if (!type.startsWith("comm_")) this.log(`spikelab kernel: unsupported message type ${type}\n`);
      return;
    }
    this.iopub.status("busy", msg);
    try {
      await handler.call(this, msg, channel);
    } catch (e) {
      this.log(`spikelab kernel: ${type} failed: ${describe(e)}\n`);
    } finally {
      this.iopub.status("idle", msg);
    }
  }

  /** The control thread has raised SIGINT and replied; stop awaited work and report busy/idle. */
  private interrupted(frames: Buffer[]): void {
    this.cells?.interrupt();
    try {
      const msg = decodeMessage(this.signer, frames);
      this.iopub.status("busy", msg);
      this.iopub.status("idle", msg);
    } catch {
      // already verified by the control thread
    }
  }

  private reply(msg: Message, channel: ChannelName, content: JsonObject): void {
    const replyType = msg.header.msg_type.replace(/_request$/, "_reply");
    const frames = encodeMessage(this.signer, {
      identities: msg.identities,
      header: makeHeader(replyType, this.session, msg.header.username),
      parent_header: msg.header,
      metadata: {},
      content,
    });
    void this.channels.send(channel, frames);
  }

  private readonly handlers: Record<string, (msg: Message, channel: "shell" | "control") => Promise<void> | void> = {
    kernel_info_request: (msg, channel) => this.reply(msg, channel, this.kernelInfo()),
    execute_request: (msg, channel) => this.execute(msg, channel),
    is_complete_request: (msg, channel) => this.reply(msg, channel, { ...isComplete(String(msg.content["code"] ?? "")) }),
    complete_request: (msg, channel) => this.reply(msg, channel, this.complete(msg)),
    inspect_request: (msg, channel) => this.reply(msg, channel, this.inspect(msg)),
    history_request: (msg, channel) =>
      this.reply(msg, channel, { status: "ok", history: this.history.query(msg.content as HistoryQuery) }),
    comm_info_request: (msg, channel) => this.reply(msg, channel, { status: "ok", comms: {} }),
    comm_open: (msg) => {
      // No comm targets are registered: close it so the frontend does not wait.
      this.iopub.publish("comm_close", { comm_id: msg.content["comm_id"], data: {} }, msg);
    },
    interrupt_request: (msg, channel) => {
      this.cells?.interrupt();
      this.reply(msg, channel, { status: "ok" });
    },
    shutdown_request: (msg, channel) => this.shutdown(msg, channel),
  };

  // ---- requests -------------------------------------------------------------------------------

  private kernelInfo(): JsonObject {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "spikelab",
      implementation_version: KERNEL_VERSION,
      language_info: {
        name: "typescript",
        version: "5.0.4",
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        codemirror_mode: { name: "javascript", typescript: true },
      },
      banner:
        `Spikelab ${KERNEL_VERSION} — spiking neural networks in TypeScript (tslab 1.0.22, TypeScript 5.0.4, Node ${process.version}).\n` +
        "Cells are TypeScript; a cell starting with %%model holds model-language source.",
      help_links: [
        { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
        { text: "tslab (how TypeScript cells run)", url: "https://github.com/yunabe/tslab" },
        { text: "NESTML language (the model language's ancestor)", url: "https://nestml.readthedocs.io/" },
        { text: "Vega-Lite (charts)", url: "https://vega.github.io/vega-lite/docs/" },
      ],
      debugger: false,
    };
  }

  private async execute(msg: Message, channel: "shell" | "control"): Promise<void> {
    const code = String(msg.content["code"] ?? "");
    const silent = msg.content["silent"] === true;
    const storeHistory = silent ? false : msg.content["store_history"] !== false;
    const stopOnError = msg.content["stop_on_error"] !== false;
    this.iopub.flushStreams();
    this.iopub.parent = msg;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.iopub.publish("execute_input", { code, execution_count: count });
    const entry = storeHistory ? this.history.add(count, code) : undefined;
    const cellName = `cell[${count}]`;

    let error: JupyterError | undefined;
    let result: MimeBundle | undefined;
    if (isModelCell(code)) {
      const outcome = await runModelCell(code, cellName);
      if (outcome.ok) this.iopub.stream("stdout", outcome.summary + "\n");
      else error = outcome.error;
    } else if (code.trim() !== "") {
      const outcome = await this.cells!.execute(code);
      if (outcome.kind === "diagnostics") error = diagnosticsError(outcome.diagnostics, code, cellName);
      else if (outcome.kind === "exception") error = exceptionError(outcome.error, cellName);
      else if (outcome.hasValue) {
        try {
          // A promise as the last expression is awaited (interruptibly); undefined shows nothing.
          const value = isThenable(outcome.value) ? await this.cells!.awaitInterruptibly(outcome.value) : outcome.value;
          result = await this.resultBundle(value);
        } catch (e) {
          error = exceptionError(e, cellName);
        }
      }
    }
    error ??= await this.settlePendingWork();

    if (silent) {
      // Silent requests produce no outputs (only side effects) and record nothing.
    } else if (error) {
      this.iopub.publish("error", { ...error });
    } else if (result) {
      if (entry) entry.output = String(result.data["text/plain"] ?? "");
      this.iopub.publish("execute_result", { execution_count: count, data: result.data, metadata: result.metadata ?? {} });
    }
    this.iopub.flushStreams();
    if (error) {
      // Requests the client sent before learning of this error are aborted, as IPython does ("Run
      // All" stops at the failing cell); requests sent after the reply run normally.
      const aborted = stopOnError ? await this.takeQueuedExecutions() : [];
      this.reply(msg, channel, { status: "error", execution_count: count, ...error });
      for (const { msg: queued, channel: ch } of aborted) {
        this.iopub.status("busy", queued);
        this.reply(queued, ch, { status: "aborted", execution_count: this.executionCount });
        this.iopub.status("idle", queued);
      }
    } else {
      const userExpressions = await this.evaluateUserExpressions(msg.content["user_expressions"], cellName);
      this.reply(msg, channel, { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] });
    }
  }

  /** `user_expressions`: each evaluated after the cell, as a text/plain bundle or an error. */
  private async evaluateUserExpressions(requested: unknown, cellName: string): Promise<JsonObject> {
    const results: JsonObject = {};
    if (typeof requested !== "object" || requested === null || !this.cells) return results;
    for (const [name, expression] of Object.entries(requested as Record<string, unknown>)) {
      const code = String(expression);
      const outcome = await this.cells.execute(code);
      if (outcome.kind === "ok") {
        const value = outcome.hasValue ? outcome.value : undefined;
        results[name] = { status: "ok", data: { "text/plain": inspect(value, { depth: 2 }) }, metadata: {} };
      } else {
        const error = outcome.kind === "diagnostics" ? diagnosticsError(outcome.diagnostics, code, name) : exceptionError(outcome.error, cellName);
        results[name] = { status: "error", ...error };
      }
    }
    return results;
  }

  /** Removes the execute_requests already sent to us (zeromq's buffer is read into the queue first). */
  private async takeQueuedExecutions(): Promise<{ msg: Message; channel: "shell" | "control" }[]> {
    for (let round = 0, before = -1; round < 10 && before !== this.shellQueue.length; round++) {
      before = this.shellQueue.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const taken: { msg: Message; channel: "shell" | "control" }[] = [];
    const kept = [];
    for (const item of this.shellQueue.splice(0)) {
      let msg: Message | undefined;
      try {
        msg = decodeMessage(this.signer, item.frames);
      } catch {
        msg = undefined;
      }
      if (msg?.header.msg_type === "execute_request") taken.push({ msg, channel: item.channel });
      else kept.push(item);
    }
    this.shellQueue.push(...kept);
    return taken;
  }

  private async resultBundle(value: unknown): Promise<MimeBundle | undefined> {
    if (value === undefined) return undefined;
    if (hasRichRepresentation(value)) {
      try {
        return await toMimeBundle(value);
      } catch (e) {
        this.iopub.stream("stderr", `display failed: ${describe(e)}\n`);
      }
    }
    // As the Node REPL prints it: strings quoted, objects through util.inspect.
    return { data: { "text/plain": inspect(value, { depth: 2, maxArrayLength: 100, breakLength: 100 }) }, metadata: {} };
  }

  /** Waits for display work handed over by library code; an interrupt or failure there is the cell's error. */
  private async settlePendingWork(): Promise<JupyterError | undefined> {
    while (this.pendingWork.size > 0) {
      const batch = [...this.pendingWork];
      this.pendingWork.clear();
      const results = await Promise.allSettled(batch);
      for (const r of results) {
        if (r.status === "rejected") return exceptionError(r.reason);
      }
    }
    return undefined;
  }

  private complete(msg: Message): JsonObject {
    const code = String(msg.content["code"] ?? "");
    const cursor = toUtf16Offset(code, Number(msg.content["cursor_pos"] ?? code.length));
    if (isModelCell(code)) {
      const m = completeModel(code, cursor);
      return { status: "ok", matches: m.matches, cursor_start: toCodePoints(code, m.start), cursor_end: toCodePoints(code, m.end), metadata: {} };
    }
    if (!this.cells) return { status: "ok", matches: [], cursor_start: cursor, cursor_end: cursor, metadata: {} };
    try {
      const c = this.cells.complete(code, cursor);
      const start = toCodePoints(code, c.start);
      const end = toCodePoints(code, c.end);
      // JupyterLab shows these types next to the matches.
      const types = c.matches.map((text, i) => ({ start, end, text, type: c.kinds[i] ?? "" }));
      return { status: "ok", matches: c.matches, cursor_start: start, cursor_end: end, metadata: { _jupyter_types_experimental: types } };
    } catch (e) {
      this.log(`spikelab kernel: completion failed: ${describe(e)}\n`);
      return { status: "ok", matches: [], cursor_start: cursor, cursor_end: cursor, metadata: {} };
    }
  }

  private inspect(msg: Message): JsonObject {
    const code = String(msg.content["code"] ?? "");
    const cursor = toUtf16Offset(code, Number(msg.content["cursor_pos"] ?? code.length));
    let text: string | undefined;
    if (isModelCell(code)) text = inspectModel(code, cursor);
    else if (this.cells) {
      try {
        text = this.cells.inspect(code, cursor);
      } catch (e) {
        this.log(`spikelab kernel: inspection failed: ${describe(e)}\n`);
      }
    }
    return text === undefined
      ? { status: "ok", found: false, data: {}, metadata: {} }
      : { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
  }

  private shutdown(msg: Message, channel: "shell" | "control"): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const restart = msg.content["restart"] === true;
    this.reply(msg, channel, { status: "ok", restart });
    this.iopub.publish("shutdown_reply", { status: "ok", restart }, msg);
    void this.stop(restart);
  }

  /** Sends what is queued, closes every socket (the control thread's too), then exits. */
  async stop(restart = false): Promise<void> {
    this.shuttingDown = true;
    await this.channels.flush();
    // Give zeromq a moment to put the last frames on the wire before the sockets close.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.cells?.close();
    await this.channels.close();
    if (this.options.onShutdown) this.options.onShutdown(restart);
    else process.exit(0);
  }

  // ---- what cells can reach ---------------------------------------------------------------------

  /** The host library code talks to (kernel/host.ts): display and update in place. */
  private host(): KernelHost {
    const send = (type: "display_data" | "update_display_data", bundle: MimeBundle, displayId: string | undefined) => {
      this.iopub.publish(type, {
        data: bundle.data,
        metadata: bundle.metadata ?? {},
        transient: displayId === undefined ? {} : { display_id: displayId },
      });
    };
    return {
      display: (bundle, displayId) => send("display_data", bundle, displayId),
      updateDisplay: (bundle, displayId) => send("update_display_data", bundle, displayId),
      waitFor: (work) => {
        const tracked = work.finally(() => this.pendingWork.delete(tracked));
        this.pendingWork.add(tracked);
      },
      clearOutput: (wait = false) => this.iopub.publish("clear_output", { wait }),
    };
  }

  private installCellGlobals(cells: TypeScriptCells): void {
    // They return promises; a promise left as a cell's last value is awaited and, being undefined, shows nothing.
    cells.setGlobal("display", displayValue);
    cells.setGlobal("updateDisplay", updateDisplayValue);
    cells.setGlobal("clearOutput", (wait?: boolean) => this.iopub.publish("clear_output", { wait: wait === true }));
  }

  /** `import * as tslab from "tslab"; tslab.display.html(...)` keeps working in our kernel. */
  private hookTslabDisplay(): void {
    try {
      const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter.js") as {
        lastWriteDisplayData: ((data: { data: JsonObject; metadata: JsonObject; transient?: { display_id?: string } }, update: boolean) => void) | null;
      };
      jupyter.lastWriteDisplayData = (data, update) => {
        this.iopub.publish(update ? "update_display_data" : "display_data", {
          data: data.data,
          metadata: data.metadata ?? {},
          transient: data.transient?.display_id ? { display_id: data.transient.display_id } : {},
        });
      };
    } catch (e) {
      this.log(`spikelab kernel: tslab.display unavailable: ${describe(e)}\n`);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as { then?: unknown }).then === "function";
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings index UTF-16 units. */
export function toUtf16Offset(text: string, codePoints: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= codePoints) break;
    units += ch.length;
    points++;
  }
  return units;
}

export function toCodePoints(text: string, utf16: number): number {
  return [...text.slice(0, Math.max(0, utf16))].length;
}
