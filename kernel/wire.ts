/**
 * The Jupyter wire protocol (messaging 5.3): how one message becomes zeromq frames and back.
 * Shared by the kernel and by the test client so both sides sign and parse identically.
 *
 * Frames: `[...identities, "<IDS|MSG>", signature, header, parent_header, metadata, content, ...buffers]`;
 * the signature is the hex HMAC of the four JSON frames (empty when the connection has no key).
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface ConnectionInfo {
  readonly transport: string;
  readonly ip: string;
  readonly shell_port: number;
  readonly iopub_port: number;
  readonly stdin_port: number;
  readonly control_port: number;
  readonly hb_port: number;
  readonly key: string;
  readonly signature_scheme: string;
  readonly kernel_name?: string;
}

export interface MessageHeader {
  readonly msg_id: string;
  readonly session: string;
  readonly username: string;
  readonly date: string;
  readonly msg_type: string;
  readonly version: string;
}

/** A JSON object as it travels in a message (content, metadata). */
export type JsonObject = Record<string, unknown>;

export interface Message {
  readonly identities: readonly Buffer[];
  readonly header: MessageHeader;
  /** Empty object for messages that answer nothing. */
  readonly parent_header: Partial<MessageHeader>;
  readonly metadata: JsonObject;
  readonly content: JsonObject;
  readonly buffers: readonly Buffer[];
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}${info.transport === "ipc" ? "-" : ":"}${port}`;
}

/** Signs and verifies messages with the connection's key (HMAC-SHA256 by default). */
export class Signer {
  private readonly algorithm: string;

  constructor(private readonly key: string, scheme = "hmac-sha256") {
    this.algorithm = scheme.replace(/^hmac-/, "");
  }

  sign(frames: readonly Buffer[]): string {
    if (this.key === "") return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest("hex");
  }

  verify(signature: string, frames: readonly Buffer[]): boolean {
    if (this.key === "") return true;
    const expected = Buffer.from(this.sign(frames));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

export function makeHeader(msgType: string, session: string, username = "spikelab"): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

export function encodeMessage(signer: Signer, msg: Omit<Message, "buffers"> & { buffers?: readonly Buffer[] }): Buffer[] {
  const json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part)));
  return [...msg.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(json)), ...json, ...(msg.buffers ?? [])];
}

export class BadMessageError extends Error {
  override readonly name = "BadMessageError";
}

/** Parses and verifies frames; throws `BadMessageError` for a malformed or badly signed message. */
export function decodeMessage(signer: Signer, frames: readonly Buffer[]): Message {
  const split = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (split < 0 || frames.length < split + 6) throw new BadMessageError("missing <IDS|MSG> delimiter or frames");
  const signature = frames[split + 1]!.toString();
  const json = frames.slice(split + 2, split + 6);
  if (!signer.verify(signature, json)) throw new BadMessageError("invalid message signature");
  const [header, parent, metadata, content] = json.map((f) => JSON.parse(f.toString()) as unknown);
  if (!isObject(header) || typeof header["msg_type"] !== "string") throw new BadMessageError("header without msg_type");
  return {
    identities: frames.slice(0, split),
    header: header as unknown as MessageHeader,
    parent_header: (isObject(parent) ? parent : {}) as Partial<MessageHeader>,
    metadata: isObject(metadata) ? metadata : {},
    content: isObject(content) ? content : {},
    buffers: frames.slice(split + 6),
  };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
