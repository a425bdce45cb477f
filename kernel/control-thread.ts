/**
 * The control channel and the heartbeat, served from a worker thread so they keep answering while a
 * cell blocks the main thread (`while (true) {}`): heartbeats are echoed, and an `interrupt_request`
 * raises SIGINT in this process, which stops the running cell (tslab runs cells with `breakOnSigint`).
 *
 * Every other control message is passed to the main thread, which answers through `send` messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { SendQueue } from "./channels.js";
import { decodeMessage, encodeMessage, endpoint, makeHeader, Signer, type ConnectionInfo } from "./wire.js";

export interface ControlThreadData {
  readonly info: ConnectionInfo;
  readonly session: string;
}

/** Worker -> main. */
export type ControlEvent =
  | { readonly type: "ready" }
  | { readonly type: "message"; readonly frames: Uint8Array[] }
  | { readonly type: "interrupted"; readonly frames: Uint8Array[] }
  | { readonly type: "log"; readonly text: string }
  | { readonly type: "closed" };

/** Main -> worker. */
export type ControlCommand = { readonly type: "send"; readonly frames: Uint8Array[] } | { readonly type: "close" };

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { info, session } = workerData as ControlThreadData;
  const signer = new Signer(info.key, info.signature_scheme);
  const log = (e: unknown) => port.postMessage({ type: "log", text: `spikelab kernel (control): ${String(e)}\n` } satisfies ControlEvent);
  const control = new zmq.Router();
  const heartbeat = new zmq.Reply();
  control.linger = 0;
  heartbeat.linger = 0;
  const queue = new SendQueue(control, log);
  let closed = false;
  port.on("message", (command: ControlCommand) => {
    if (command.type === "send") void queue.send(command.frames.map((f) => Buffer.from(f)));
    else if (command.type === "close") {
      void queue.drain().then(() => {
        closed = true;
        control.close();
        heartbeat.close();
        port.postMessage({ type: "closed" } satisfies ControlEvent);
      });
    }
  });
  await Promise.all([control.bind(endpoint(info, info.control_port)), heartbeat.bind(endpoint(info, info.hb_port))]);
  port.postMessage({ type: "ready" } satisfies ControlEvent);

  void (async () => {
    try {
      for await (const frames of heartbeat) await heartbeat.send(frames);
    } catch (e) {
      if (!closed) log(e);
    }
  })();

  try {
    for await (const frames of control) {
      let msgType: string | undefined;
      let msg;
      try {
        msg = decodeMessage(signer, frames);
        msgType = msg.header.msg_type;
      } catch {
        // Let the main thread log the rejection like any other bad message.
      }
      if (msg && msgType === "interrupt_request") {
        process.kill(process.pid, "SIGINT");
        const reply = encodeMessage(signer, {
          identities: msg.identities,
          header: makeHeader("interrupt_reply", session, msg.header.username),
          parent_header: msg.header,
          metadata: {},
          content: { status: "ok" },
        });
        void queue.send(reply);
        port.postMessage({ type: "interrupted", frames } satisfies ControlEvent);
      } else {
        port.postMessage({ type: "message", frames } satisfies ControlEvent);
      }
    }
  } catch (e) {
    if (!closed) log(e);
  }
}

void serve();
