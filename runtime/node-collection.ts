/**
 * NodeCollection: an ordered set of global node ids of one simulator, as in PyNEST. Slicing and
 * concatenation make new collections; `get` and `set` go to the blocks that hold the nodes.
 */
import type { Block } from "./engine/block.js";
import { InvalidParameterError, ShapeMismatchError } from "./errors.js";
import { checkNumber, describe, isArrayLike, isPlainObject } from "./params.js";

/** What a collection needs from its simulator (kept narrow so this file does not import it). */
export interface NodeOwner {
  blockOf(id: number): Block | undefined;
}

export interface NodeGroup {
  readonly block: Block;
  /** Local indices within the block. */
  readonly locals: Int32Array;
  /** Positions of these nodes within the collection. */
  readonly positions: Int32Array;
}

/**
 * What `recorder.get("events")` returns: for a spike_recorder `senders` and `times`; a multimeter adds
 * one array per recorded variable; a weight_recorder adds `targets`, `weights`, `receptors`.
 */
export interface RecordedEvents {
  readonly senders: Int32Array;
  readonly times: Float64Array;
  readonly [name: string]: Int32Array | Float64Array;
}

/** A value `get` can return: per-node arrays for neurons, scalars/strings/arrays for devices. */
export type StatusValue =
  | number
  | string
  | boolean
  | Float64Array
  | Int32Array
  | RecordedEvents
  | readonly unknown[]
  | { readonly [key: string]: unknown };

export class NodeCollection implements Iterable<number> {
  private groupCache: NodeGroup[] | null = null;

  /** @internal use `sim.create`; ids must be valid global ids of `owner`. */
  constructor(
    readonly owner: NodeOwner,
    private readonly idArray: Int32Array,
  ) {}

  /** Number of nodes. */
  get size(): number {
    return this.idArray.length;
  }

  get length(): number {
    return this.idArray.length;
  }

  /** The global ids (a copy). */
  get ids(): Int32Array {
    return this.idArray.slice();
  }

  /** @internal the ids without copying. */
  get rawIds(): Int32Array {
    return this.idArray;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.idArray[Symbol.iterator]();
  }

  /** Python-style slice: `slice(0, 50)`, negative indices count from the end, optional step. */
  slice(start = 0, end: number = this.size, step = 1): NodeCollection {
    checkNumber(start, "start");
    checkNumber(end, "end");
    checkNumber(step, "step");
    if (!Number.isInteger(step) || step < 1) throw new InvalidParameterError(`slice step must be a positive integer, got ${step}`, "step");
    const n = this.size;
    const norm = (x: number) => Math.min(n, Math.max(0, x < 0 ? n + x : x));
    const a = norm(Math.trunc(start));
    const b = norm(Math.trunc(end));
    const out: number[] = [];
    for (let i = a; i < b; i += step) out.push(this.idArray[i]);
    return new NodeCollection(this.owner, Int32Array.from(out));
  }

  /** The node at position `i` as a collection of one. */
  at(i: number): NodeCollection {
    const k = i < 0 ? this.size + i : i;
    if (!Number.isInteger(k) || k < 0 || k >= this.size) {
      throw new InvalidParameterError(`index ${i} is out of range for a collection of ${this.size}`, "index");
    }
    return new NodeCollection(this.owner, Int32Array.of(this.idArray[k]));
  }

  /** Concatenation (PyNEST's `a + b`); nodes may not repeat. */
  concat(...others: NodeCollection[]): NodeCollection {
    const parts = [this.idArray];
    for (const [k, o] of others.entries()) {
      if (!(o instanceof NodeCollection) || o.owner !== this.owner) {
        throw new InvalidParameterError(`concat: argument ${k} is not a NodeCollection of the same simulator`, `others[${k}]`);
      }
      parts.push(o.idArray);
    }
    const total = parts.reduce((s, p) => s + p.length, 0);
    const ids = new Int32Array(total);
    let pos = 0;
    for (const p of parts) {
      ids.set(p, pos);
      pos += p.length;
    }
    if (new Set(ids).size !== ids.length) throw new InvalidParameterError("concat: the collections overlap", "others");
    return new NodeCollection(this.owner, ids);
  }

  /** Nodes grouped by the block that holds them, in order of first appearance. */
  groups(): NodeGroup[] {
    if (this.groupCache !== null) return this.groupCache;
    const byBlock = new Map<Block, { locals: number[]; positions: number[] }>();
    for (let p = 0; p < this.idArray.length; p++) {
      const id = this.idArray[p];
      const b = this.owner.blockOf(id)!;
      let g = byBlock.get(b);
      if (g === undefined) byBlock.set(b, (g = { locals: [], positions: [] }));
      g.locals.push(id - b.first);
      g.positions.push(p);
    }
    this.groupCache = [...byBlock].map(([block, g]) => ({ block, locals: Int32Array.from(g.locals), positions: Int32Array.from(g.positions) }));
    return this.groupCache;
  }

  /**
   * `get("V_m")` → one value per node (a Float64Array for numbers; for devices with one node the
   * value itself, e.g. a recorder's `events`); `get(["V_m", "V_th"])` → a record of those;
   * `get()` → every parameter.
   */
  /** Recorded events of a recorder collection (one recorder). */
  get(name: "events"): RecordedEvents;
  /**
   * One status value: a Float64Array with one entry per neuron, or a device's value. Narrow it with a
   * type argument where you know it, e.g. `neurons.get<Float64Array>("V_m")`.
   */
  get<T extends StatusValue = StatusValue>(name: string): T;
  /** Several values by name, or every parameter when called without arguments. */
  get(names?: readonly string[]): Record<string, StatusValue>;
  get(name?: string | readonly string[]): unknown {
    if (name === undefined) {
      const names = this.groups()[0]?.block.parameterNames() ?? [];
      return this.get(names);
    }
    if (Array.isArray(name)) {
      const out: Record<string, unknown> = {};
      for (const n of name) out[n] = this.get(n as string);
      return out;
    }
    if (typeof name !== "string") throw new InvalidParameterError(`get: name must be a string or an array of strings, got ${describe(name)}`, "name");
    const groups = this.groups();
    if (groups.length === 1) return groups[0].block.getParameter(name, groups[0].locals, name);
    const parts = groups.map((g) => ({ g, v: g.block.getParameter(name, g.locals, name) }));
    if (parts.every((p) => p.v instanceof Float64Array && p.v.length === p.g.locals.length)) {
      const out = new Float64Array(this.size);
      for (const { g, v } of parts) for (let j = 0; j < g.positions.length; j++) out[g.positions[j]] = (v as Float64Array)[j];
      return out;
    }
    const out: unknown[] = new Array(this.size);
    for (const { g, v } of parts) {
      for (let j = 0; j < g.positions.length; j++) {
        out[g.positions[j]] = g.locals.length === 1 && !(v instanceof Float64Array) ? v : Array.isArray(v) ? v[j] : (v as Float64Array)[j];
      }
    }
    return out;
  }

  /**
   * `set({ V_m: -70 })` sets every node; `set({ V_m: Float64Array(n) })` one value per node (neurons);
   * `set([{...}, {...}])` one record per node. Everything is validated before anything changes.
   */
  set(params: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]): void {
    const perNode = this.expand(params, "params");
    const groups = this.groups();
    const snapshots = groups.map((g) => ({ g, updates: Array.from(g.positions, (p) => perNode[p]) }));
    if (snapshots.length === 1) {
      snapshots[0].g.block.setParameters(snapshots[0].g.locals, snapshots[0].updates, "params");
      return;
    }
    // Several blocks: make each block validate its part before any block applies.
    const restore: (() => void)[] = [];
    try {
      for (const { g, updates } of snapshots) {
        const names = new Set(updates.flatMap((u) => Object.keys(u)));
        const before = [...names].map((n) => ({ n, v: safeGet(g.block, n, g.locals) }));
        g.block.setParameters(g.locals, updates, "params");
        restore.push(() => {
          const back = Array.from(g.locals, (_, j) => {
            const r: Record<string, unknown> = {};
            for (const { n, v } of before) {
              if (v === undefined) continue;
              r[n] = v instanceof Float64Array ? v[j] : Array.isArray(v) ? v[j] : v;
            }
            return r;
          });
          g.block.setParameters(g.locals, back, "params");
        });
      }
    } catch (e) {
      for (const undo of restore.reverse()) undo();
      throw e;
    }
  }

  /** One update record per node from the forms `set` accepts. */
  expand(params: unknown, argument: string): Readonly<Record<string, unknown>>[] {
    const n = this.size;
    if (Array.isArray(params)) {
      if (params.length !== n) throw new ShapeMismatchError(`${argument}: expected ${n} records (one per node), got ${params.length}`, argument);
      return params.map((p, i) => {
        if (!isPlainObject(p)) throw new InvalidParameterError(`${argument}[${i}] must be an object, got ${describe(p)}`, `${argument}[${i}]`);
        return p;
      });
    }
    if (!isPlainObject(params)) throw new InvalidParameterError(`${argument} must be an object, got ${describe(params)}`, argument);
    const out: Record<string, unknown>[] = Array.from({ length: n }, () => ({}));
    for (const [key, value] of Object.entries(params)) {
      const perNode = isArrayLike(value) && this.groups().every((g) => g.block.kind === "neuron");
      if (perNode) {
        const arr = value as ArrayLike<unknown>;
        if (arr.length !== n) {
          throw new ShapeMismatchError(`${argument}.${key}: expected ${n} values (one per node), got ${arr.length}`, `${argument}.${key}`);
        }
        for (let i = 0; i < n; i++) out[i][key] = arr[i];
      } else {
        for (let i = 0; i < n; i++) out[i][key] = value;
      }
    }
    return out;
  }

  toString(): string {
    const ids = this.idArray;
    if (ids.length === 0) return "NodeCollection(<empty>)";
    const contiguous = ids.every((id, i) => i === 0 || id === ids[i - 1] + 1);
    const models = [...new Set(this.groups().map((g) => g.block.modelName))].join(", ");
    return contiguous
      ? `NodeCollection(model=${models}, size=${ids.length}, first=${ids[0]}, last=${ids[ids.length - 1]})`
      : `NodeCollection(model=${models}, size=${ids.length})`;
  }

  /** Node's inspector (REPL, console.log, a notebook cell's result) shows the summary, not the simulator inside. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function safeGet(block: Block, name: string, locals: Int32Array): unknown {
  try {
    return block.getParameter(name, locals, name);
  } catch {
    return undefined;
  }
}
