/**
 * Connectivity between one source block and one target block, stored as CSR grouped by source
 * (NEST and Brian keep outgoing synapses contiguous per source; scattered storage costs 15–20×).
 *
 * Storage decisions (bytes per synapse):
 * - targets: Int32Array (4 B);
 * - weight: one double per projection when all weights are equal (Brunel: 0 B/synapse), else a
 *   Float64Array (8 B) — or a Float32Array (4 B) when every weight round-trips through float32
 *   exactly (lossless), or when the user opted in with `weightPrecision: "float32"` (lossy);
 * - delay: one step count per projection when homogeneous, else a Uint16Array of steps (2 B).
 */
import type { Block } from "./block.js";
import type { Kernel } from "./kernel.js";
import type { PoissonTable } from "../random/poisson-table.js";
import type { Xoshiro128 } from "../random/xoshiro.js";

/** How a connection's value reaches the target's rings. */
export type Routing =
  | { readonly kind: "spike"; readonly port: number; readonly countPort: boolean }
  | { readonly kind: "signed"; readonly excitatory: number; readonly inhibitory: number; readonly countExc: boolean; readonly countInh: boolean }
  | { readonly kind: "current"; readonly port: number }
  /** Recording devices and other native sinks: `deliver` calls the sink directly. */
  | { readonly kind: "sink" };

export interface Projection {
  readonly source: Block;
  readonly target: Block;
  readonly synapseModel: string;
  readonly receptor: number;
  readonly count: number;
  readonly rowStart: Int32Array;
  readonly targets: Int32Array;
  minDelay(): number;
  maxDelay(): number;
  /** Re-reads ring arrays and slot count after the kernel (re)allocated them. */
  bind(kernel: Kernel): void;
  /** Spike(s) of source local `i` emitted in step `step` (stamp step+1, arrival step+delay). */
  deliver(i: number, step: number, multiplicity: number, factor: number, flush: boolean): void;
  /** A continuous value (current, rate) sent by source `i` in step `step`. */
  deliverValue(i: number, step: number, value: number): void;
  /**
   * An independent Poisson count per connection (NEST's poisson_generator draws one per target per
   * step): source `i` active in step `step`.
   */
  deliverPoisson(i: number, step: number, table: PoissonTable | null, lambda: number, rng: Xoshiro128): void;
  weightAt(k: number): number;
  delayAt(k: number): number;
  /** Variable names `getConnections().get` offers beyond source/target/weight/delay. */
  variableNames(): string[];
  getVariable(name: string, k: number): number;
  /** Sets weights for connections `ks` (already validated). */
  setWeights(ks: Int32Array, values: Float64Array): void;
  setDelays(ks: Int32Array, steps: Int32Array): void;
  setVariable(name: string, ks: Int32Array, values: Float64Array): void;
}

export type WeightPrecision = "auto" | "float64" | "float32";

/** Picks the per-connection weight array: float32 only when lossless (or explicitly requested). */
export function packWeights(values: Float64Array, precision: WeightPrecision): Float64Array | Float32Array {
  if (precision === "float64") return values;
  const f32 = Float32Array.from(values);
  if (precision === "float32") return f32;
  for (let k = 0; k < values.length; k++) if (f32[k] !== values[k]) return values;
  return f32;
}

/** Static synapses: the hot delivery path. */
export class StaticProjection implements Projection {
  readonly count: number;
  /** Homogeneous weight (used when `weights` is null). */
  weight: number;
  weights: Float64Array | Float32Array | null;
  /** Homogeneous delay in steps (used when `delays` is null). */
  delay: number;
  delays: Uint16Array | null;
  private slots = 1;
  private n = 1;
  private ringA: Float64Array = new Float64Array(0);
  private ringB: Float64Array = new Float64Array(0);
  private countA: Float64Array | undefined;
  private countB: Float64Array | undefined;
  /** Optional weight recorder (NEST's weight_recorder on the synapse model). */
  weightRecorder: ((source: number, target: number, stamp: number, weight: number) => void) | null = null;

  constructor(
    readonly source: Block,
    readonly target: Block,
    readonly synapseModel: string,
    readonly receptor: number,
    readonly routing: Routing,
    readonly rowStart: Int32Array,
    readonly targets: Int32Array,
    weight: number,
    weights: Float64Array | Float32Array | null,
    delay: number,
    delays: Uint16Array | null,
  ) {
    this.count = targets.length;
    this.weight = weight;
    this.weights = weights;
    this.delay = delay;
    this.delays = delays;
  }

  minDelay(): number {
    return this.delays === null ? this.delay : minOf(this.delays);
  }

  maxDelay(): number {
    return this.delays === null ? this.delay : maxOf(this.delays);
  }

  bind(kernel: Kernel): void {
    this.slots = kernel.ringSlots;
    const rings = this.target.rings;
    if (rings === null) return;
    this.n = rings.n;
    const r = this.routing;
    if (r.kind === "spike") {
      this.ringA = rings.spikeRings[r.port];
      this.countA = r.countPort ? rings.countRings[r.port] : undefined;
    } else if (r.kind === "signed") {
      this.ringA = rings.spikeRings[r.excitatory];
      this.ringB = rings.spikeRings[r.inhibitory];
      this.countA = r.countExc ? rings.countRings[r.excitatory] : undefined;
      this.countB = r.countInh ? rings.countRings[r.inhibitory] : undefined;
    } else if (r.kind === "current") {
      this.ringA = rings.currentRings[r.port];
    }
  }

  deliver(i: number, step: number, multiplicity: number, factor: number, flush: boolean): void {
    if (flush) return; // only e-prop synapses accept flush events
    const start = this.rowStart[i];
    const end = this.rowStart[i + 1];
    if (start === end) return;
    if (this.routing.kind === "current" || this.routing.kind === "sink") return;
    const scale = multiplicity * factor;
    const tg = this.targets;
    const n = this.n;
    const slots = this.slots;
    if (this.weightRecorder !== null) this.recordWeights(i, step, start, end, factor);
    if (this.routing.kind === "spike" || (this.weights === null && this.weight * scale >= 0)) {
      const ring = this.routing.kind === "spike" ? this.ringA : this.ringA;
      const count = this.routing.kind === "spike" ? this.countA : this.countA;
      this.addRow(ring, count, start, end, step, scale, 1, multiplicity);
      return;
    }
    if (this.weights === null) {
      // homogeneous negative weight on a sign-routed target: inhibitory port, sign flipped
      this.addRow(this.ringB, this.countB, start, end, step, scale, -1, multiplicity);
      return;
    }
    const ws = this.weights;
    const ra = this.ringA;
    const rb = this.ringB;
    if (this.delays === null) {
      const base = ((step + this.delay) % slots) * n;
      for (let k = start; k < end; k++) {
        const w = ws[k] * scale;
        if (w >= 0) ra[base + tg[k]] += w;
        else rb[base + tg[k]] -= w;
      }
    } else {
      const ds = this.delays;
      const s0 = step % slots;
      for (let k = start; k < end; k++) {
        let s = s0 + ds[k];
        if (s >= slots) s -= slots;
        const w = ws[k] * scale;
        if (w >= 0) ra[s * n + tg[k]] += w;
        else rb[s * n + tg[k]] -= w;
      }
    }
    if (this.countA !== undefined || this.countB !== undefined) {
      for (let k = start; k < end; k++) {
        const d = this.delays === null ? this.delay : this.delays[k];
        const idx = ((step + d) % slots) * n + tg[k];
        const w = ws[k] * scale;
        const c = w >= 0 ? this.countA : this.countB;
        if (c !== undefined) c[idx] += multiplicity;
      }
    }
  }

  /** ring[slot(step + d)·n + target] += sign · w · scale for a row, in the variant its storage needs. */
  private addRow(
    ring: Float64Array,
    count: Float64Array | undefined,
    start: number,
    end: number,
    step: number,
    scale: number,
    sign: number,
    multiplicity: number,
  ): void {
    const tg = this.targets;
    const n = this.n;
    const slots = this.slots;
    const ws = this.weights;
    if (this.delays === null) {
      const base = ((step + this.delay) % slots) * n;
      if (ws === null) {
        const w = sign * this.weight * scale;
        // Unrolled by four: the independent read-modify-writes overlap in the CPU (measured ~2×
        // faster than the plain loop in V8); equal targets still add sequentially.
        let k = start;
        for (; k + 3 < end; k += 4) {
          const a = base + tg[k];
          const b = base + tg[k + 1];
          const c = base + tg[k + 2];
          const d = base + tg[k + 3];
          ring[a] += w;
          ring[b] += w;
          ring[c] += w;
          ring[d] += w;
        }
        for (; k < end; k++) ring[base + tg[k]] += w;
      } else {
        const s = sign * scale;
        let k = start;
        for (; k + 3 < end; k += 4) {
          const a = base + tg[k];
          const b = base + tg[k + 1];
          const c = base + tg[k + 2];
          const d = base + tg[k + 3];
          ring[a] += ws[k] * s;
          ring[b] += ws[k + 1] * s;
          ring[c] += ws[k + 2] * s;
          ring[d] += ws[k + 3] * s;
        }
        for (; k < end; k++) ring[base + tg[k]] += ws[k] * s;
      }
      if (count !== undefined) for (let k = start; k < end; k++) count[base + tg[k]] += multiplicity;
    } else {
      const ds = this.delays;
      const s0 = step % slots;
      const w0 = sign * this.weight * scale;
      const s = sign * scale;
      for (let k = start; k < end; k++) {
        let sl = s0 + ds[k];
        if (sl >= slots) sl -= slots;
        const idx = sl * n + tg[k];
        ring[idx] += ws === null ? w0 : ws[k] * s;
        if (count !== undefined) count[idx] += multiplicity;
      }
    }
  }

  deliverValue(i: number, step: number, value: number): void {
    if (this.routing.kind !== "current") return;
    const start = this.rowStart[i];
    const end = this.rowStart[i + 1];
    const ring = this.ringA;
    const tg = this.targets;
    const n = this.n;
    const slots = this.slots;
    for (let k = start; k < end; k++) {
      const d = this.delays === null ? this.delay : this.delays[k];
      const w = this.weights === null ? this.weight : this.weights[k];
      ring[((step + d) % slots) * n + tg[k]] += w * value;
    }
  }

  deliverPoisson(i: number, step: number, table: PoissonTable | null, lambda: number, rng: Xoshiro128): void {
    const start = this.rowStart[i];
    const end = this.rowStart[i + 1];
    if (start === end || this.routing.kind === "current" || this.routing.kind === "sink") return;
    if (table === null || this.delays !== null || this.weights !== null || this.routing.kind !== "spike" || this.countA !== undefined) {
      // General path: draw per connection, deliver as a spike of that multiplicity.
      for (let k = start; k < end; k++) {
        const c = table === null ? rng.poisson(lambda) : table.sample(rng.uint32());
        if (c > 0) this.deliverOne(k, step, c);
      }
      return;
    }
    // Hot path (Brunel's drive): homogeneous weight and delay, xoshiro128** inlined, table inversion.
    const ring = this.ringA;
    const tg = this.targets;
    const base = ((step + this.delay) % this.slots) * this.n;
    const w = this.weight;
    const thr = table.thresholds;
    const guide = table.guide;
    const shift = table.guideShift;
    const off = table.offset;
    // Two interleaved streams (even/odd connections of the row): two independent dependency chains
    // keep the CPU busier than one (~10% in V8 microbenchmarks). Streams come from the generator.
    const rng2 = rng.partner();
    let s0 = rng.s0;
    let s1 = rng.s1;
    let s2 = rng.s2;
    let s3 = rng.s3;
    let q0 = rng2.s0;
    let q1 = rng2.s1;
    let q2 = rng2.s2;
    let q3 = rng2.s3;
    let k = start;
    for (; k + 1 < end; k += 2) {
      const x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const y = Math.imul(q1, 5);
      const u = Math.imul((y << 7) | (y >>> 25), 9) >>> 0;
      const v = q1 << 9;
      q2 ^= q0;
      q3 ^= q1;
      q1 ^= q2;
      q0 ^= q3;
      q2 ^= v;
      q3 = (q3 << 11) | (q3 >>> 21);
      let j = guide[r >>> shift];
      while (r >= thr[j]) j++;
      let i2 = guide[u >>> shift];
      while (u >= thr[i2]) i2++;
      // Branch-free: adding w·0 costs less than a mispredicted test for "no spike".
      ring[base + tg[k]] += w * (off + j);
      ring[base + tg[k + 1]] += w * (off + i2);
    }
    if (k < end) {
      const x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      let j = guide[r >>> shift];
      while (r >= thr[j]) j++;
      ring[base + tg[k]] += w * (off + j);
    }
    rng.s0 = s0;
    rng.s1 = s1;
    rng.s2 = s2;
    rng.s3 = s3;
    rng2.s0 = q0;
    rng2.s1 = q1;
    rng2.s2 = q2;
    rng2.s3 = q3;
  }

  /** One connection `k` carrying `multiplicity` spikes emitted in `step` (slow path). */
  private deliverOne(k: number, step: number, multiplicity: number): void {
    const d = this.delays === null ? this.delay : this.delays[k];
    const idx = ((step + d) % this.slots) * this.n + this.targets[k];
    const w = this.weightAt(k) * multiplicity;
    if (this.routing.kind === "spike") {
      this.ringA[idx] += w;
      if (this.countA !== undefined) this.countA[idx] += multiplicity;
    } else if (w >= 0) {
      this.ringA[idx] += w;
      if (this.countA !== undefined) this.countA[idx] += multiplicity;
    } else {
      this.ringB[idx] -= w;
      if (this.countB !== undefined) this.countB[idx] += multiplicity;
    }
  }

  private recordWeights(i: number, step: number, start: number, end: number, factor: number): void {
    const rec = this.weightRecorder!;
    const src = this.source.first + i;
    for (let k = start; k < end; k++) rec(src, this.target.first + this.targets[k], step + 1, this.weightAt(k) * factor);
  }

  weightAt(k: number): number {
    return this.weights === null ? this.weight : this.weights[k];
  }

  delayAt(k: number): number {
    return this.delays === null ? this.delay : this.delays[k];
  }

  variableNames(): string[] {
    return [];
  }

  getVariable(name: string, _k: number): number {
    throw new Error(`static_synapse has no variable ${name}`);
  }

  setWeights(ks: Int32Array, values: Float64Array): void {
    if (ks.length === this.count) {
      let same = true;
      for (let j = 1; j < values.length; j++) if (values[j] !== values[0]) same = false;
      if (same && values.length > 0) {
        this.weight = values[0];
        this.weights = null;
        return;
      }
    }
    let ws = this.weights;
    if (ws === null) {
      ws = new Float64Array(this.count).fill(this.weight);
    } else if (ws instanceof Float32Array) {
      let lossless = true;
      for (let j = 0; j < values.length; j++) if (Math.fround(values[j]) !== values[j]) lossless = false;
      if (!lossless) ws = Float64Array.from(ws);
    }
    for (let j = 0; j < ks.length; j++) ws[ks[j]] = values[j];
    this.weights = ws;
  }

  setDelays(ks: Int32Array, steps: Int32Array): void {
    let ds = this.delays;
    if (ds === null) ds = new Uint16Array(this.count).fill(this.delay);
    for (let j = 0; j < ks.length; j++) ds[ks[j]] = steps[j];
    let same = true;
    for (let k = 1; k < ds.length; k++) if (ds[k] !== ds[0]) same = false;
    if (same && ds.length > 0) {
      this.delay = ds[0];
      this.delays = null;
    } else this.delays = ds;
  }

  setVariable(name: string): void {
    throw new Error(`static_synapse has no variable ${name}`);
  }
}

/**
 * Groups connections (source local, target local, weight, delay) into CSR rows by source with a
 * stable counting sort, so connections keep their creation order within a row.
 */
export function buildCsr(
  nSources: number,
  sources: Int32Array,
  targets: Int32Array,
  withOrder = true,
  sourceOffset = 0,
  targetOffset = 0,
): { rowStart: Int32Array; order: Int32Array; sortedTargets: Int32Array } {
  // Local indices are sources[k] + sourceOffset and targets[k] + targetOffset.
  const m = sources.length;
  const rowStart = new Int32Array(nSources + 1);
  for (let k = 0; k < m; k++) rowStart[sources[k] + sourceOffset + 1]++;
  for (let i = 0; i < nSources; i++) rowStart[i + 1] += rowStart[i];
  const fill = rowStart.slice(0, nSources);
  const order = new Int32Array(withOrder ? m : 0);
  const sortedTargets = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const pos = fill[sources[k] + sourceOffset]++;
    if (withOrder) order[pos] = k;
    sortedTargets[pos] = targets[k] + targetOffset;
  }
  return { rowStart, order, sortedTargets };
}

/** Smallest delay (steps) of a projection; Infinity when it has no connections. */
export function minOf(delays: ArrayLike<number>): number {
  let m = Infinity;
  for (let k = 0; k < delays.length; k++) if (delays[k] < m) m = delays[k];
  return m;
}

/** Largest delay (steps) of a projection; 0 when it has no connections. */
export function maxOf(delays: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < delays.length; k++) if (delays[k] > m) m = delays[k];
  return m;
}
