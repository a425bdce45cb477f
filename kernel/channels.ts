/**
 * The five zeromq sockets of a kernel. zeromq 6 allows one pending `send()` per socket, so every
 * socket sends through a promise queue; each receiving socket has exactly one `for await` reader.
 */
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import type { ControlCommand, ControlEvent, ControlThreadData } from "./control-thread.js";
import { type ConnectionInfo, endpoint } from "./wire.js";

export type ChannelName = "shell" | "control" | "stdin" | "iopub";

/**
 * Sends on one socket in order. zeromq 6 allows one pending `send()` per socket, so messages wait in
 * a backlog while a send is pending. When the socket can take a message at once, it is sent
 * synchronously: outputs (progress bars, prints) leave while a cell is still computing, instead of
 * waiting for the event loop the cell is blocking.
 */
export class SendQueue {
  private readonly backlog: (readonly Buffer[])[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private waiting = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly socket: zmq.Writable, private readonly onError: (e: unknown) => void) {}

  send(frames: readonly Buffer[]): Promise<void> {
    this.backlog.push(frames);
    if (!this.waiting) this.pump();
    return this.drain();
  }

  /** Resolves once everything queued so far has been handed to zeromq. */
  drain(): Promise<void> {
    if (this.backlog.length === 0 && !this.waiting) return this.inflight;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.backlog.length > 0) {
      let sent: Promise<void>;
      try {
        sent = this.socket.send(this.backlog[0] as Buffer[]);
      } catch (e) {
        if (isBusy(e)) {
          // The previous send is still pending: continue when it is done.
          this.waiting = true;
          void this.inflight.then(() => {
            this.waiting = false;
            this.pump();
          });
          return;
        }
        this.onError(e);
        this.backlog.shift();
        continue;
      }
      this.backlog.shift();
      this.inflight = sent.catch(this.onError);
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    const done = this.inflight;
    for (const w of waiters) void done.then(w);
  }
}

function isBusy(e: unknown): boolean {
  return e instanceof Error && /busy/i.test(e.message);
}

/**
 * Shell, stdin and iopub live on the main thread; control and heartbeat on a worker thread
 * (`control-thread.ts`) so they answer while a cell is running.
 */
export class Channels {
  readonly shell = new zmq.Router();
  readonly stdin = new zmq.Router();
  readonly iopub = new zmq.Publisher();
  private readonly queues: Record<Exclude<ChannelName, "control">, SendQueue>;
  private worker: Worker | undefined;
  private controlHandler: ((frames: Buffer[]) => void) | undefined;
  private interruptHandler: ((frames: Buffer[]) => void) | undefined;
  private closed = false;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly session: string,
    private readonly log: (e: unknown) => void,
  ) {
    this.queues = {
      shell: new SendQueue(this.shell, log),
      stdin: new SendQueue(this.stdin, log),
      iopub: new SendQueue(this.iopub, log),
    };
  }

  async bind(): Promise<void> {
    const i = this.info;
    // Replies must not block forever on a vanished client.
    for (const s of [this.shell, this.stdin]) s.linger = 0;
    this.iopub.linger = 1000;
    await Promise.all([
      this.shell.bind(endpoint(i, i.shell_port)),
      this.stdin.bind(endpoint(i, i.stdin_port)),
      this.iopub.bind(endpoint(i, i.iopub_port)),
      this.startControlThread(),
    ]);
  }

  send(channel: ChannelName, frames: readonly Buffer[]): Promise<void> {
    if (channel === "control") {
      this.worker?.postMessage({ type: "send", frames: [...frames] } satisfies ControlCommand);
      return Promise.resolve();
    }
    return this.queues[channel].send(frames);
  }

  /** Calls `handle` for every multipart message on the shell socket (one reader). */
  async listenShell(handle: (frames: Buffer[]) => void): Promise<void> {
    try {
      for await (const frames of this.shell) handle(frames);
    } catch (e) {
      if (!this.closed) this.log(e);
    }
  }

  /** Control messages (answered by the kernel) and interrupts (already answered by the control thread). */
  listenControl(handle: (frames: Buffer[]) => void, interrupted: (frames: Buffer[]) => void): void {
    this.controlHandler = handle;
    this.interruptHandler = interrupted;
  }

  async flush(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
  }

  /** Closes every socket (the control thread's too) so the process can exit cleanly. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        worker.on("message", (event: ControlEvent) => {
          if (event.type === "closed") {
            clearTimeout(timer);
            resolve();
          }
        });
        worker.postMessage({ type: "close" } satisfies ControlCommand);
      });
    }
    for (const s of [this.shell, this.stdin, this.iopub]) s.close();
  }

  private startControlThread(): Promise<void> {
    const data: ControlThreadData = { info: this.info, session: this.session };
    const worker = new Worker(new URL("./control-thread.js", import.meta.url), { workerData: data });
    this.worker = worker;
    worker.unref();
    return new Promise<void>((resolve, reject) => {
      worker.on("error", (e) => {
        this.log(e);
        reject(e);
      });
      worker.on("message", (event: ControlEvent) => {
        const frames = "frames" in event ? event.frames.map((f) => Buffer.from(f)) : [];
        if (event.type === "ready") resolve();
        else if (event.type === "message") this.controlHandler?.(frames);
        else if (event.type === "interrupted") this.interruptHandler?.(frames);
        else if (event.type === "log") this.log(event.text);
      });
    });
  }
}
