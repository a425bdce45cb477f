/**
 * Kernel-side connection objects of e-prop (runtime/engine/projection.ts's `Projection` interface):
 *
 * - `EpropProjection`: eprop_synapse connections from one source block onto one e-prop neuron block.
 *   Delivering an event runs `EpropSynapses.send` per connection (replay, optimizer, erase) and, for
 *   real spikes only, adds the *updated* weight to the target's ring for step stamp (delay 1).
 *   Flush events reach only this projection type; every other projection drops them.
 * - `LearningSignalProjection`: eprop_learning_signal_connection, readout → recurrent, static B_jk.
 *   It carries no spikes; the readout's step hook pushes B·err(t) into the recurrent archives.
 */
import { IllegalConnectionError, InvalidParameterError } from "../errors.js";
import type { Block } from "../engine/block.js";
import type { Kernel } from "../engine/kernel.js";
import { buildCsr, type Projection } from "../engine/projection.js";
import type { EpropArchive } from "./archive.js";
import { S_OPTIMIZER, S_WEIGHT, SYNAPSE_VARIABLES, type EpropSynapses } from "./synapses.js";
import { O_M, O_V } from "./optimizer.js";

/** (source, target, stamp, weight) → the weight recorder of the synapse model, if any. */
export type WeightRecorderFn = (source: number, target: number, stamp: number, weight: number) => void;

/** Validates NEST's e-prop constraint: delay exactly one step. */
export function requireUnitDelay(delays: ArrayLike<number>, synapseModel: string): void {
  for (let k = 0; k < delays.length; k++) {
    if (delays[k] !== 1) {
      throw new IllegalConnectionError(
        `${synapseModel} connections require a delay of exactly one simulation step (got ${delays[k]} steps)`,
        "syn_spec.delay",
      );
    }
  }
}

export class EpropProjection implements Projection {
  readonly count: number;
  readonly rowStart: Int32Array;
  readonly targets: Int32Array;
  /** Connection id in the synapse store, per CSR position. */
  readonly ids: Int32Array;
  private ring: Float64Array = new Float64Array(0);
  private slots = 1;
  private n = 1;
  weightRecorder: WeightRecorderFn | null = null;

  constructor(
    readonly source: Block,
    readonly target: Block,
    readonly synapseModel: string,
    readonly receptor: number,
    /** Index of the target's spike port (ring) that e-prop spikes reach. */
    private readonly port: number,
    readonly store: EpropSynapses,
    archive: EpropArchive,
    sources: Int32Array,
    targets: Int32Array,
    weights: Float64Array,
  ) {
    const settings = store.settings;
    for (let k = 0; k < weights.length; k++) {
      if (!(weights[k] >= settings.Wmin && weights[k] <= settings.Wmax)) {
        throw new InvalidParameterError(
          `${synapseModel}: weight ${weights[k]} must lie in [Wmin, Wmax] = [${settings.Wmin}, ${settings.Wmax}] of the optimizer`,
          "syn_spec.weight",
        );
      }
    }
    const csr = buildCsr(source.n, sources, targets);
    this.rowStart = csr.rowStart;
    this.targets = csr.sortedTargets;
    this.count = targets.length;
    this.ids = new Int32Array(this.count);
    for (let pos = 0; pos < this.count; pos++) {
      const k = csr.order[pos];
      this.ids[pos] = store.add(archive, targets[k], weights[k]);
    }
  }

  minDelay(): number {
    return 1;
  }

  maxDelay(): number {
    return 1;
  }

  bind(kernel: Kernel): void {
    this.slots = kernel.ringSlots;
    const rings = this.target.rings;
    if (rings === null) return;
    this.n = rings.n;
    this.ring = rings.spikeRings[this.port];
  }

  deliver(i: number, step: number, multiplicity: number, factor: number, flush: boolean): void {
    const start = this.rowStart[i];
    const end = this.rowStart[i + 1];
    if (start === end) return;
    const stamp = step + 1;
    const store = this.store;
    const ids = this.ids;
    const tg = this.targets;
    const ring = this.ring;
    const base = (stamp % this.slots) * this.n;
    const scale = multiplicity * factor;
    const rec = this.weightRecorder;
    for (let k = start; k < end; k++) {
      const w = store.send(ids[k], stamp, flush);
      if (flush) continue;
      ring[base + tg[k]] += w * scale;
      if (rec !== null) rec(this.source.first + i, this.target.first + tg[k], stamp, w);
    }
  }

  deliverValue(): void {}

  deliverPoisson(): void {
    throw new IllegalConnectionError("e-prop synapses cannot be driven by devices: connect generators through parrot_neuron", "pre");
  }

  weightAt(k: number): number {
    return this.store.weight(this.ids[k]);
  }

  delayAt(): number {
    return 1;
  }

  variableNames(): string[] {
    return Object.keys(SYNAPSE_VARIABLES);
  }

  getVariable(name: string, k: number): number {
    const field = SYNAPSE_VARIABLES[name];
    if (field === undefined) throw new InvalidParameterError(`${this.synapseModel} has no variable '${name}'`, name);
    return this.store.get(this.ids[k], field);
  }

  setWeights(ks: Int32Array, values: Float64Array): void {
    const s = this.store.settings;
    for (let j = 0; j < values.length; j++) {
      if (!(values[j] >= s.Wmin && values[j] <= s.Wmax)) {
        throw new InvalidParameterError(`${this.synapseModel}: weight ${values[j]} must lie in [Wmin, Wmax] = [${s.Wmin}, ${s.Wmax}]`, "weight");
      }
    }
    for (let j = 0; j < ks.length; j++) this.store.set(this.ids[ks[j]], S_WEIGHT, values[j]);
  }

  setDelays(_ks: Int32Array, steps: Int32Array): void {
    requireUnitDelay(steps, this.synapseModel);
  }

  setVariable(name: string, ks: Int32Array, values: Float64Array): void {
    const field = name === "m" ? S_OPTIMIZER + O_M : name === "v" ? S_OPTIMIZER + O_V : -1;
    if (field < 0) throw new InvalidParameterError(`${this.synapseModel}: variable '${name}' cannot be set (settable: weight, m, v)`, name);
    for (let j = 0; j < ks.length; j++) this.store.set(this.ids[ks[j]], field, values[j]);
  }

}

export class LearningSignalProjection implements Projection {
  readonly count: number;
  readonly rowStart: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;

  constructor(
    readonly source: Block,
    readonly target: Block,
    readonly synapseModel: string,
    readonly receptor: number,
    /** The recurrent neurons' archive. */
    readonly archive: EpropArchive,
    sources: Int32Array,
    targets: Int32Array,
    weights: Float64Array,
  ) {
    const csr = buildCsr(source.n, sources, targets);
    this.rowStart = csr.rowStart;
    this.targets = csr.sortedTargets;
    this.count = targets.length;
    this.weights = new Float64Array(this.count);
    for (let pos = 0; pos < this.count; pos++) this.weights[pos] = weights[csr.order[pos]];
  }

  /**
   * Readout `i` produced err in step `step`: NEST sends it at the end of the slice and delivers it
   * with stamp step + 1 before that slice's spikes; L(step − 1) += B·err. Writing it right away is
   * equivalent because nothing reads L(step − 1) before those spikes are delivered.
   */
  sendError(i: number, step: number, err: number): void {
    const start = this.rowStart[i];
    const end = this.rowStart[i + 1];
    const a = this.archive;
    const tg = this.targets;
    const ws = this.weights;
    for (let k = start; k < end; k++) a.writeLearningSignal(tg[k], step + 1, ws[k] * err);
  }

  minDelay(): number {
    return 1;
  }

  maxDelay(): number {
    return 1;
  }

  bind(): void {}

  deliver(): void {}

  deliverValue(): void {}

  deliverPoisson(): void {}

  weightAt(k: number): number {
    return this.weights[k];
  }

  delayAt(): number {
    return 1;
  }

  variableNames(): string[] {
    return [];
  }

  getVariable(name: string): number {
    throw new InvalidParameterError(`${this.synapseModel} has no variable '${name}'`, name);
  }

  setWeights(ks: Int32Array, values: Float64Array): void {
    for (let j = 0; j < ks.length; j++) this.weights[ks[j]] = values[j];
  }

  setDelays(_ks: Int32Array, steps: Int32Array): void {
    requireUnitDelay(steps, this.synapseModel);
  }

  setVariable(name: string): void {
    throw new InvalidParameterError(`${this.synapseModel} has no variable '${name}'`, name);
  }
}
