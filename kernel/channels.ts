/**
 * The five zeromq sockets of a kernel. zeromq 6 allows one pending `send()` per socket, so every
 * socket sends through a promise queue; each receiving socket has exactly one `for await` reader.
 */
import * as zmq from "zeromq";
import { type ConnectionInfo, endpoint } from "./wire.js";

export type ChannelName = "shell" | "control" | "stdin" | "iopub";

/** Serializes sends on one socket (zeromq 6 rejects a second concurrent send). */
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: zmq.Writable, private readonly onError: (e: unknown) => void) {}

  send(frames: readonly Buffer[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames as Buffer[]));
    this.tail = next.catch(this.onError);
    return this.tail;
  }

  /** Resolves once everything queued so far has been handed to zeromq. */
  drain(): Promise<void> {
    return this.tail;
  }
}

export class Channels {
  readonly shell = new zmq.Router();
  readonly control = new zmq.Router();
  readonly stdin = new zmq.Router();
  readonly iopub = new zmq.Publisher();
  private readonly heartbeat = new zmq.Reply();
  private readonly queues: Record<ChannelName, SendQueue>;
  private closed = false;

  constructor(private readonly info: ConnectionInfo, private readonly log: (e: unknown) => void) {
    this.queues = {
      shell: new SendQueue(this.shell, log),
      control: new SendQueue(this.control, log),
      stdin: new SendQueue(this.stdin, log),
      iopub: new SendQueue(this.iopub, log),
    };
  }

  async bind(): Promise<void> {
    const i = this.info;
    // Replies must not block forever on a vanished client.
    for (const s of [this.shell, this.control, this.stdin]) s.linger = 0;
    this.iopub.linger = 1000;
    await Promise.all([
      this.shell.bind(endpoint(i, i.shell_port)),
      this.control.bind(endpoint(i, i.control_port)),
      this.stdin.bind(endpoint(i, i.stdin_port)),
      this.iopub.bind(endpoint(i, i.iopub_port)),
      this.heartbeat.bind(endpoint(i, i.hb_port)),
    ]);
    void this.echoHeartbeats();
  }

  send(channel: ChannelName, frames: readonly Buffer[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  /** Calls `handle` for every multipart message arriving on a router socket, one reader per socket. */
  async listen(channel: "shell" | "control", handle: (frames: Buffer[]) => void): Promise<void> {
    const socket = channel === "shell" ? this.shell : this.control;
    try {
      for await (const frames of socket) handle(frames);
    } catch (e) {
      if (!this.closed) this.log(e);
    }
  }

  async flush(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
  }

  close(): void {
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) s.close();
  }

  private async echoHeartbeats(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (e) {
      if (!this.closed) this.log(e);
    }
  }
}
