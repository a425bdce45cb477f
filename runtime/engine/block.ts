/**
 * A block is what one `create` call made: `n` nodes of one model with consecutive global ids.
 * Neuron blocks wrap a compiled population; device blocks are native TypeScript. The kernel updates
 * blocks, collects what they emitted, and hands it to their outgoing projections.
 */
import type { Projection } from "./projection.js";
import { SpikeBuffer } from "./spike-buffer.js";
import type { Kernel } from "./kernel.js";

/** Where incoming events land: ring buffers with NEST's PopulationIO layout. */
export interface RingHost {
  readonly n: number;
  spikeRings: Float64Array[];
  countRings: (Float64Array | undefined)[];
  currentRings: Float64Array[];
}

export type BlockKind = "neuron" | "generator" | "recorder";

export abstract class Block {
  /** Global id of local node 0 (NEST ids start at 1). */
  first = 0;
  readonly outgoing: Projection[] = [];
  readonly spikes = new SpikeBuffer();
  /** Rings for blocks that receive events (neurons); null for devices that do not. */
  rings: RingHost | null = null;

  constructor(
    readonly kind: BlockKind,
    readonly modelName: string,
    readonly n: number,
  ) {}

  /** Called at the start of every simulate (after ring allocation). */
  abstract prepare(kernel: Kernel): void;
  /** Advance steps origin+from ... origin+to-1. */
  abstract update(origin: number, from: number, to: number): void;

  /** Parameter names `get()` shows. */
  abstract parameterNames(): string[];
  /** The value of `name` for local nodes `locals` (typed array for per-node numbers). */
  abstract getParameter(name: string, locals: Int32Array, argument: string): unknown;
  /**
   * Validates the per-node updates completely, then applies them; throws (changing nothing) on any
   * problem. `updates[j]` belongs to local node `locals[j]`.
   */
  abstract setParameters(locals: Int32Array, updates: readonly Readonly<Record<string, unknown>>[], argument: string): void;
}
