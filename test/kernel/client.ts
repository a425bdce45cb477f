/**
 * A small Jupyter client for tests, without Python: writes a connection file, spawns the built
 * kernel, talks to it with a Dealer (shell), a Dealer (control) and a Subscriber (iopub), and
 * collects each request's iopub messages until its `status: idle`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { decodeMessage, encodeMessage, endpoint, makeHeader, Signer, type ConnectionInfo, type JsonObject, type Message } from "../../kernel/wire.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const KERNEL_MAIN = path.join(REPO, "dist", "kernel", "main.js");

export function assertBuilt(): void {
  if (!existsSync(KERNEL_MAIN)) {
    throw new Error(`${KERNEL_MAIN} is missing: run \`npm run build\` before the kernel tests`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function writeConnectionFile(dir: string): Promise<{ file: string; info: ConnectionInfo }> {
  const [shell, iopub, stdin, control, hb] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(16).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "spikelab",
  };
  const file = path.join(dir, "connection.json");
  writeFileSync(file, JSON.stringify(info));
  return { file, info };
}

export interface Exchange {
  readonly reply: Message;
  /** iopub messages for the request between busy and idle (status messages excluded). */
  readonly outputs: Message[];
  /** When each output arrived (Date.now()), and when the reply did. */
  readonly arrivals: number[];
  readonly replyArrival: number;
}

interface Pending {
  reply?: Message;
  replyArrival?: number;
  outputs: Message[];
  arrivals: number[];
  idle: boolean;
  done: () => void;
}

export class KernelClient {
  private readonly shell = new zmq.Dealer();
  private readonly control = new zmq.Dealer();
  private readonly iopub = new zmq.Subscriber();
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly pending = new Map<string, Pending>();
  private shellSends: Promise<unknown> = Promise.resolve();
  private controlSends: Promise<unknown> = Promise.resolve();
  /** Everything the kernel printed on its own stderr (its log). */
  stderr = "";
  exited: Promise<number | null>;

  private constructor(readonly info: ConnectionInfo, readonly child: ChildProcess, private readonly dir: string) {
    this.signer = new Signer(info.key, info.signature_scheme);
    child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  /** Spawns the built kernel in `cwd` and waits until it answers kernel_info on shell and iopub. */
  static async start(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<KernelClient> {
    assertBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), "spikelab-kernel-"));
    const { file, info } = await writeConnectionFile(dir);
    const child = spawn(process.execPath, [KERNEL_MAIN, file], {
      cwd: options.cwd ?? REPO,
      // The kernel exits by itself if this test process dies (no stray kernels).
      env: { ...process.env, JPY_PARENT_PID: String(process.pid), ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const client = new KernelClient(info, child, dir);
    client.shell.connect(endpoint(info, info.shell_port));
    client.control.connect(endpoint(info, info.control_port));
    client.iopub.connect(endpoint(info, info.iopub_port));
    client.iopub.subscribe();
    void client.readReplies(client.shell);
    void client.readReplies(client.control);
    void client.readIopub();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kernel exited with ${child.exitCode}: ${client.stderr}`);
      try {
        // Retrying also waits out zeromq's PUB/SUB slow joiner: we need the idle on iopub too.
        await client.request("kernel_info_request", {}, { timeoutMs: 1000 });
        return client;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
  }

  /** Sends a request and resolves with its reply and the iopub outputs up to `idle`. */
  request(msgType: string, content: JsonObject, options: { channel?: "shell" | "control"; timeoutMs?: number } = {}): Promise<Exchange> {
    const header = makeHeader(msgType, this.session, "test");
    const frames = encodeMessage(this.signer, { identities: [], header, parent_header: {}, metadata: {}, content });
    return this.sendAndWait(header.msg_id, frames, options.channel ?? "shell", options.timeoutMs ?? 30_000);
  }

  /** Sends raw frames (e.g. with a forged signature) and resolves with the reply, if any, in time. */
  sendFrames(frames: Buffer[], msgId: string, timeoutMs: number): Promise<Exchange> {
    return this.sendAndWait(msgId, frames, "shell", timeoutMs);
  }

  sign(frames: Buffer[]): string {
    return this.signer.sign(frames);
  }

  execute(code: string, extra: JsonObject = {}, timeoutMs = 60_000): Promise<Exchange> {
    return this.request(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra },
      { timeoutMs },
    );
  }

  async shutdown(restart = false): Promise<Exchange> {
    return this.request("shutdown_request", { restart }, { channel: "control", timeoutMs: 10_000 });
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      try {
        await this.shutdown();
      } catch {
        // fall through to kill
      }
      const exited = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
      if (!exited) this.child.kill("SIGKILL");
    }
    this.shell.close();
    this.control.close();
    this.iopub.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private sendAndWait(msgId: string, frames: Buffer[], channel: "shell" | "control", timeoutMs: number): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msgId);
        reject(new Error(`no complete answer to ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Pending = {
        outputs: [],
        arrivals: [],
        idle: false,
        done: () => {
          if (entry.reply && entry.idle) {
            clearTimeout(timer);
            this.pending.delete(msgId);
            resolve({ reply: entry.reply, outputs: entry.outputs, arrivals: entry.arrivals, replyArrival: entry.replyArrival ?? Date.now() });
          }
        },
      };
      this.pending.set(msgId, entry);
      const socket = channel === "shell" ? this.shell : this.control;
      if (channel === "shell") this.shellSends = this.shellSends.then(() => socket.send(frames));
      else this.controlSends = this.controlSends.then(() => socket.send(frames));
    });
  }

  private async readReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const msg = decodeMessage(this.signer, frames);
        const entry = this.pending.get(String(msg.parent_header.msg_id));
        if (entry) {
          entry.reply = msg;
          entry.replyArrival = Date.now();
          entry.done();
        }
      }
    } catch {
      // socket closed
    }
  }

  private async readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const msg = decodeMessage(this.signer, frames);
        const entry = this.pending.get(String(msg.parent_header.msg_id));
        if (!entry) continue;
        if (msg.header.msg_type === "status") {
          if (msg.content["execution_state"] === "idle") {
            entry.idle = true;
            entry.done();
          }
        } else {
          entry.outputs.push(msg);
          entry.arrivals.push(Date.now());
        }
      }
    } catch {
      // socket closed
    }
  }
}

/** Text of all `stream` outputs with the given name. */
export function streamText(outputs: readonly Message[], name: "stdout" | "stderr"): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && m.content["name"] === name)
    .map((m) => String(m.content["text"]))
    .join("");
}

export function outputsOfType(outputs: readonly Message[], type: string): Message[] {
  return outputs.filter((m) => m.header.msg_type === type);
}
