/**
 * Everything the kernel broadcasts: status, inputs, results, errors, displays and the text that cells
 * write to stdout/stderr. Stream text is buffered briefly and always flushed before any other
 * message, so outputs reach the notebook in the order the cell produced them.
 */
import type { Channels } from "./channels.js";
import { encodeMessage, makeHeader, type JsonObject, type Message, type Signer } from "./wire.js";

export type StreamName = "stdout" | "stderr";

const STREAM_FLUSH_MS = 30;
/** A chatty cell sends its text in pieces of about this size rather than one huge message at the end. */
const STREAM_FLUSH_BYTES = 64 * 1024;
/** Text printed by a cell that blocks the event loop still goes out this often (checked on write). */
const STREAM_MAX_DELAY_MS = 200;

export class Iopub {
  /** The request outputs belong to: the running (or last) execute_request. */
  parent: Message | undefined;
  private buffered: { name: StreamName; text: string }[] = [];
  private bufferedLength = 0;
  private lastFlush = Date.now();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly channels: Channels,
    private readonly signer: Signer,
    private readonly session: string,
  ) {}

  publish(msgType: string, content: JsonObject, parent: Message | undefined = this.parent): void {
    this.flushStreams();
    this.send(msgType, content, parent);
  }

  status(state: "busy" | "idle" | "starting", parent: Message | undefined): void {
    this.publish("status", { execution_state: state }, parent);
  }

  stream(name: StreamName, text: string): void {
    if (text === "") return;
    const last = this.buffered[this.buffered.length - 1];
    if (last && last.name === name) last.text += text;
    else this.buffered.push({ name, text });
    this.bufferedLength += text.length;
    if (this.bufferedLength >= STREAM_FLUSH_BYTES || Date.now() - this.lastFlush >= STREAM_MAX_DELAY_MS) this.flushStreams();
    else this.flushTimer ??= setTimeout(() => this.flushStreams(), STREAM_FLUSH_MS);
  }

  flushStreams(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlush = Date.now();
    const pending = this.buffered;
    this.buffered = [];
    this.bufferedLength = 0;
    for (const { name, text } of pending) this.send("stream", { name, text }, this.parent);
  }

  private send(msgType: string, content: JsonObject, parent: Message | undefined): void {
    const header = makeHeader(msgType, this.session);
    const frames = encodeMessage(this.signer, {
      identities: [Buffer.from(msgType)], // the topic frame subscribers filter on
      header,
      parent_header: parent?.header ?? {},
      metadata: {},
      content,
    });
    void this.channels.send("iopub", frames);
  }
}

type Write = typeof process.stdout.write;

/**
 * Sends what cells write to process.stdout/stderr (console.log, console.error, direct writes) to the
 * notebook. Returns the original stderr writer, for the kernel's own log.
 */
export function captureStandardStreams(iopub: Iopub): (text: string) => void {
  const originalErr = process.stderr.write.bind(process.stderr) as (text: string) => boolean;
  const redirect = (name: StreamName): Write =>
    function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      iopub.stream(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    } as Write;
  process.stdout.write = redirect("stdout");
  process.stderr.write = redirect("stderr");
  return (text: string) => {
    originalErr(text);
  };
}
