/**
 * The simulation kernel: NEST's time-driven loop with event-driven communication.
 *
 * Time advances in min-delay slices. In each slice every block is updated (neurons read and clear
 * the ring slot of each step they advance), then the spikes emitted in the slice are delivered into
 * the targets' rings at arrival step = emission step + delay (stamp + delay − 1 in NEST's terms).
 * Every delay is ≥ the slice length, so events always land in a later slice, which makes
 * delivering at the end of the slice equivalent to NEST's deliver-at-the-start-of-the-next-slice.
 * Rings have `minDelay + maxDelay` slots, so no slot in flight is ever read early or overwritten.
 */
import { Xoshiro128 } from "../random/xoshiro.js";
import type { TimeGrid } from "../time.js";
import type { Block } from "./block.js";
import type { Projection } from "./projection.js";
import { PlasticProjection, type PostArchive } from "./plastic-projection.js";

/** Multimeters (and other samplers) ask for a look at the state after certain steps. */
export interface Sampler {
  /** The first stamp > `step` at which this sampler wants a sample, or Infinity. */
  nextSampleStamp(step: number): number;
  /** Take the sample stamped `stamp` (state after step stamp−1). */
  sample(stamp: number): void;
  /** Samples stamped ≤ `sliceOrigin` become visible (NEST reads a slice's data in the next slice). */
  commit(sliceOrigin: number): void;
}

/** Extensions (e-prop) hook into the slice loop without the kernel knowing them. */
export interface KernelHook {
  /** Before the blocks of a slice chunk are updated (NEST: deliver secondary events). */
  beforeUpdate?(origin: number, from: number, to: number): void;
  /** After the chunk's spikes were delivered (NEST: gather secondary events). */
  afterUpdate?(origin: number, from: number, to: number): void;
  /** At the start of every simulate, after rings are bound. */
  prepare?(): void;
}

export class Kernel {
  /** Current time in steps (completed steps since the start). */
  step = 0;
  readonly blocks: Block[] = [];
  readonly projections: Projection[] = [];
  readonly samplers: Sampler[] = [];
  readonly hooks: KernelHook[] = [];
  /** Next free global id. */
  nextId = 1;
  minDelaySteps = 1;
  maxDelaySteps = 1;
  ringSlots = 0;
  /**
   * CPU time (ms, process user+system) per phase when enabled (benchmarks): `update:<model>` per
   * block model and `deliver` for spike delivery. CPU rather than wall time, so figures stay
   * meaningful on a shared machine. Null (off) by default.
   */
  timing: Map<string, number> | null = null;

  constructor(
    readonly grid: TimeGrid,
    readonly seed: number,
  ) {}

  /** An independent random stream for `label` (same seed + label ⇒ same numbers). */
  stream(label: string): Xoshiro128 {
    return new Xoshiro128(this.seed, label);
  }

  addBlock(block: Block): void {
    block.first = this.nextId;
    this.nextId += block.n;
    this.blocks.push(block);
  }

  /** The block that holds global id `id`, or undefined. */
  blockOf(id: number): Block | undefined {
    const bs = this.blocks;
    let lo = 0;
    let hi = bs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = bs[mid];
      if (id < b.first) hi = mid - 1;
      else if (id >= b.first + b.n) lo = mid + 1;
      else return b;
    }
    return undefined;
  }

  addProjection(p: Projection): void {
    this.projections.push(p);
    p.source.outgoing.push(p);
  }

  /** Recomputes min/max delay, (re)allocates rings keeping events in flight, binds projections. */
  prepare(): void {
    let minD = Infinity;
    let maxD = 0;
    for (const p of this.projections) {
      if (p.count === 0) continue;
      minD = Math.min(minD, p.minDelay());
      maxD = Math.max(maxD, p.maxDelay());
    }
    if (minD === Infinity) {
      minD = 1;
      maxD = 1;
    }
    // The slice length may only change between slices; keep the current one until then.
    this.minDelaySteps = minD;
    this.maxDelaySteps = maxD;
    const oldSlots = this.ringSlots;
    // Never shrink: events already in flight may sit up to the old maximum delay ahead.
    const slots = Math.max(minD + maxD, oldSlots);
    for (const b of this.blocks) {
      const r = b.rings;
      if (r === null) continue;
      const resize = (a: Float64Array): Float64Array => {
        if (a.length === slots * r.n && oldSlots === slots) return a;
        const fresh = new Float64Array(slots * r.n);
        if (oldSlots > 0 && a.length === oldSlots * r.n) {
          // Keep what is in flight: the slot of absolute step s moves from s % old to s % new.
          for (let s = this.step; s < this.step + Math.min(oldSlots, slots); s++) {
            const from = (s % oldSlots) * r.n;
            fresh.set(a.subarray(from, from + r.n), (s % slots) * r.n);
          }
        }
        return fresh;
      };
      r.spikeRings = r.spikeRings.map(resize);
      r.countRings = r.countRings.map((a) => (a === undefined ? undefined : resize(a)));
      r.currentRings = r.currentRings.map(resize);
    }
    this.ringSlots = slots;
    for (const p of this.projections) p.bind(this);
    this.prunePostArchives();
    for (const b of this.blocks) b.prepare(this);
    for (const h of this.hooks) h.prepare?.();
  }

  /** Postsynaptic spike archives keep only what plastic synapses can still ask for. */
  private prunePostArchives(): void {
    for (const b of this.blocks) {
      const archive = (b as Block & { postArchive?: PostArchive }).postArchive;
      if (archive === undefined) continue;
      const keepAfter = new Float64Array(b.n).fill(Infinity);
      let ok = true;
      for (const p of this.projections) {
        if (p.target === b && p instanceof PlasticProjection) ok = p.lowerKeepAfter(keepAfter) && ok;
      }
      if (ok) archive.prune(keepAfter);
    }
  }

  /**
   * Runs `steps` steps. `onProgress(done, total)` is called between slices; it decides itself
   * how often to draw.
   */
  run(steps: number, onProgress?: (done: number, total: number) => void): void {
    this.prepare();
    const M = this.minDelaySteps;
    const end = this.step + steps;
    const blocks = this.blocks;
    const samplers = this.samplers;
    const hooks = this.hooks;
    while (this.step < end) {
      const origin = this.step - (this.step % M);
      const from = this.step - origin;
      const to = Math.min(M, end - origin);
      for (const s of samplers) s.commit(origin);
      for (const h of hooks) h.beforeUpdate?.(origin, from, to);
      // Cut the slice where a sampler wants to look at the state.
      let a = from;
      while (a < to) {
        let b = to;
        for (const s of samplers) {
          const stamp = s.nextSampleStamp(origin + a);
          if (stamp - origin < b) b = stamp - origin;
        }
        if (b <= a) b = a + 1;
        const timing = this.timing;
        for (let i = 0; i < blocks.length; i++) {
          const bl = blocks[i];
          bl.spikes.origin = origin;
          if (timing === null) bl.update(origin, a, b);
          else {
            const t0 = cpuMs();
            bl.update(origin, a, b);
            const key = `update:${bl.modelName}`;
            timing.set(key, (timing.get(key) ?? 0) + cpuMs() - t0);
          }
        }
        for (const s of samplers) {
          if (s.nextSampleStamp(origin + b - 1) === origin + b) s.sample(origin + b);
        }
        a = b;
      }
      if (this.timing === null) this.gather();
      else {
        const t0 = cpuMs();
        this.gather();
        this.timing.set("deliver", (this.timing.get("deliver") ?? 0) + cpuMs() - t0);
      }
      for (const h of hooks) h.afterUpdate?.(origin, from, to);
      this.step = origin + to;
      if (onProgress !== undefined) onProgress(steps - (end - this.step), steps);
    }
  }

  /** Hands every spike emitted in the chunk to the emitter's outgoing projections. */
  private gather(): void {
    const blocks = this.blocks;
    const dt = this.grid.resolution;
    // Plastic synapses see postsynaptic spikes of this slice before any delivery (NEST archives
    // at emission).
    for (let b = 0; b < blocks.length; b++) {
      const bl = blocks[b] as Block & { postArchive?: { record(i: number, t: number): void } };
      if (bl.postArchive === undefined) continue;
      const buf = bl.spikes;
      for (let e = 0; e < buf.count; e++) if (buf.flush[e] === 0) bl.postArchive.record(buf.index[e], (buf.step[e] + 1) * dt);
    }
    for (let b = 0; b < blocks.length; b++) {
      const bl = blocks[b];
      const buf = bl.spikes;
      const count = buf.count;
      if (count === 0) continue;
      const out = bl.outgoing;
      const nOut = out.length;
      if (nOut > 0) {
        const idx = buf.index;
        const st = buf.step;
        const mu = buf.multiplicity;
        const fa = buf.factor;
        const fl = buf.flush;
        for (let j = 0; j < nOut; j++) {
          const p = out[j];
          for (let e = 0; e < count; e++) p.deliver(idx[e], st[e], mu[e], fa[e], fl[e] === 1);
        }
      }
      buf.clear();
    }
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
