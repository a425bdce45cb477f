/**
 * Connections through a synapse model compiled from the language (stdp_synapse, ...): the
 * synapse's code runs only when a presynaptic spike crosses it (event-driven), seeing the
 * postsynaptic spikes archived since its previous spike, as NEST's archiving nodes provide them:
 * post spike times in (t_last_pre − d, t_spike − d] with d the (dendritic) delay.
 */
import type { RandomSource, SynapseModel, SynapsePopulation } from "../model-abi.js";
import type { PoissonTable } from "../random/poisson-table.js";
import type { Xoshiro128 } from "../random/xoshiro.js";
import type { TimeGrid } from "../time.js";
import type { Block } from "./block.js";
import type { Kernel } from "./kernel.js";
import type { NeuronBlock } from "./neuron-block.js";
import type { Routing } from "./projection.js";
import type { Projection } from "./projection.js";
import { maxOf, minOf } from "./projection.js";

/** Spike times (ms, stamps) per neuron of a block, for plastic synapses onto it. */
export class PostArchive {
  readonly times: Float64Array[];
  readonly counts: Int32Array;
  constructor(n: number) {
    this.times = Array.from({ length: n }, () => new Float64Array(8));
    this.counts = new Int32Array(n);
  }
  /** Drops entries ≤ `keepAfter[i]` (no synapse will ask for them again). */
  prune(keepAfter: Float64Array): void {
    for (let i = 0; i < this.counts.length; i++) {
      const a = this.times[i];
      const c = this.counts[i];
      let drop = 0;
      while (drop < c && a[drop] <= keepAfter[i]) drop++;
      if (drop === 0) continue;
      a.copyWithin(0, drop, c);
      this.counts[i] = c - drop;
    }
  }

  record(i: number, t: number): void {
    let a = this.times[i];
    const c = this.counts[i];
    if (c === a.length) {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      this.times[i] = a = b;
    }
    a[c] = t;
    this.counts[i] = c + 1;
  }
}

export class PlasticProjection implements Projection {
  readonly count: number;
  readonly synapses: SynapsePopulation;
  readonly delays: Uint16Array;
  private readonly archive: PostArchive;
  private slots = 1;
  private dt: number;
  weightRecorder: ((source: number, target: number, stamp: number, weight: number) => void) | null = null;

  constructor(
    readonly source: Block,
    readonly target: NeuronBlock,
    readonly synapseModel: string,
    readonly model: SynapseModel,
    readonly receptor: number,
    readonly routing: Routing,
    readonly rowStart: Int32Array,
    readonly targets: Int32Array,
    weight: number | Float64Array,
    delay: number | Float64Array,
    extras: Record<string, number | Float64Array>,
    grid: TimeGrid,
    rng?: RandomSource,
  ) {
    this.count = targets.length;
    this.dt = grid.resolution;
    this.synapses = model.instantiate(this.count);
    // ABI v6: random_*() in the synapse's handlers draw from this projection's own stream.
    if (rng !== undefined) this.synapses.setRandom?.(rng);
    const arrays = this.synapses.arrays;
    if (this.synapses.reset !== undefined) {
      for (let k = 0; k < this.count; k++) this.synapses.reset(k);
    } else {
      for (const v of model.variables) {
        const a = arrays[v.name];
        if (a !== undefined && v.vectorSize === undefined) a.fill(v.defaultValue);
      }
    }
    const wv = arrays[model.weightVariable];
    if (typeof weight === "number") wv.fill(weight);
    else wv.set(weight);
    for (const [name, v] of Object.entries(extras)) {
      const a = arrays[name];
      if (a === undefined) continue;
      if (typeof v === "number") a.fill(v);
      else a.set(v);
    }
    this.delays = typeof delay === "number" ? new Uint16Array(this.count).fill(delay) : Uint16Array.from(delay);
    const t = target as NeuronBlock & { postArchive?: PostArchive };
    if (t.postArchive === undefined) t.postArchive = new PostArchive(target.n);
    this.archive = t.postArchive;
  }

  minDelay(): number {
    return minOf(this.delays);
  }
  maxDelay(): number {
    return maxOf(this.delays);
  }
  bind(kernel: Kernel): void {
    this.slots = kernel.ringSlots;
    this.dt = kernel.grid.resolution;
    this.synapses.prepare(this.dt);
  }

  /**
   * Lowers `keepAfter[target]` to the oldest postsynaptic time any of this projection's synapses
   * can still ask for (its last spike − delay), so the shared archive can drop older entries.
   * Returns false when the synapse model does not expose its last spike time (no pruning).
   */
  lowerKeepAfter(keepAfter: Float64Array): boolean {
    const tLast = this.synapses.arrays.__t_last;
    if (tLast === undefined) return false;
    for (let k = 0; k < this.count; k++) {
      const t = tLast[k] - this.delays[k] * this.dt;
      const tgt = this.targets[k];
      if (t < keepAfter[tgt]) keepAfter[tgt] = t;
    }
    return true;
  }

  deliver(i: number, step: number, multiplicity: number, factor: number, flush: boolean): void {
    if (flush) return;
    const rings = this.target.rings!;
    const n = rings.n;
    const tSpike = (step + 1) * this.dt;
    for (let k = this.rowStart[i]; k < this.rowStart[i + 1]; k++) {
      const tgt = this.targets[k];
      const dd = this.delays[k] * this.dt;
      // The generated code filters the window (t_last − d, t_spike − d] itself (ABI v2), so the
      // whole archive of the target is passed.
      const raw = this.synapses.onPreSpike(k, tSpike, this.archive.times[tgt], this.archive.counts[tgt], dd);
      if (Number.isNaN(raw)) continue;
      const w = raw * factor;
      if (this.weightRecorder !== null) this.weightRecorder(this.source.first + i, this.target.first + tgt, step + 1, w);
      const idx = ((step + this.delays[k]) % this.slots) * n + tgt;
      const r = this.routing;
      if (r.kind === "spike") {
        rings.spikeRings[r.port][idx] += w * multiplicity;
        const cr = r.countPort ? rings.countRings[r.port] : undefined;
        if (cr) cr[idx] += multiplicity;
      } else if (r.kind === "signed") {
        if (w >= 0) rings.spikeRings[r.excitatory][idx] += w * multiplicity;
        else rings.spikeRings[r.inhibitory][idx] -= w * multiplicity;
      }
    }
  }

  deliverValue(): void {}

  deliverPoisson(i: number, step: number, table: PoissonTable | null, lambda: number, rng: Xoshiro128): void {
    for (let k = this.rowStart[i]; k < this.rowStart[i + 1]; k++) {
      const c = table === null ? rng.poisson(lambda) : table.sample(rng.uint32());
      if (c > 0) this.deliverSingle(i, k, step, c);
    }
  }

  private deliverSingle(i: number, k: number, step: number, multiplicity: number): void {
    // Route one connection through the row machinery by temporarily narrowing the row.
    const save0 = this.rowStart[i];
    const save1 = this.rowStart[i + 1];
    this.rowStart[i] = k;
    this.rowStart[i + 1] = k + 1;
    try {
      this.deliver(i, step, multiplicity, 1, false);
    } finally {
      this.rowStart[i] = save0;
      this.rowStart[i + 1] = save1;
    }
  }

  weightAt(k: number): number {
    return this.synapses.arrays[this.model.weightVariable][k];
  }
  delayAt(k: number): number {
    return this.delays[k];
  }
  variableNames(): string[] {
    return this.model.variables.filter((v) => v.visible && v.name !== this.model.weightVariable).map((v) => v.name);
  }
  getVariable(name: string, k: number): number {
    return this.synapses.arrays[name][k];
  }
  setWeights(ks: Int32Array, values: Float64Array): void {
    const a = this.synapses.arrays[this.model.weightVariable];
    for (let j = 0; j < ks.length; j++) a[ks[j]] = values[j];
  }
  setDelays(ks: Int32Array, steps: Int32Array): void {
    for (let j = 0; j < ks.length; j++) this.delays[ks[j]] = steps[j];
  }
  setVariable(name: string, ks: Int32Array, values: Float64Array): void {
    const a = this.synapses.arrays[name];
    for (let j = 0; j < ks.length; j++) a[ks[j]] = values[j];
  }
  storageBytes(): number {
    let b = this.delays.byteLength;
    for (const a of Object.values(this.synapses.arrays)) b += a.byteLength;
    return b;
  }
}
