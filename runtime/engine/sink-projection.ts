/**
 * Connections into recording devices (spike_recorder): the recorder stores the spike's stamp, so
 * the delay only matters for NEST's min-delay bookkeeping. Flush events are dropped here too.
 */
import type { Block } from "./block.js";
import type { Projection } from "./projection.js";
import { maxOf, minOf } from "./projection.js";
import type { PoissonTable } from "../random/poisson-table.js";
import type { Xoshiro128 } from "../random/xoshiro.js";

export interface SpikeSinkDevice extends Block {
  record(i: number, sender: number, stamp: number, multiplicity: number): void;
}

export class SinkProjection implements Projection {
  readonly count: number;
  readonly receptor = 0;
  constructor(
    readonly source: Block,
    readonly target: SpikeSinkDevice,
    readonly synapseModel: string,
    readonly rowStart: Int32Array,
    readonly targets: Int32Array,
    readonly weights: Float64Array,
    readonly delays: Int32Array,
  ) {
    this.count = targets.length;
  }

  minDelay(): number {
    return minOf(this.delays);
  }
  maxDelay(): number {
    return maxOf(this.delays);
  }
  bind(): void {}

  deliver(i: number, step: number, multiplicity: number, _factor: number, flush: boolean): void {
    if (flush) return;
    const sender = this.source.first + i;
    for (let k = this.rowStart[i]; k < this.rowStart[i + 1]; k++) this.target.record(this.targets[k], sender, step + 1, multiplicity);
  }

  deliverValue(): void {}

  deliverPoisson(i: number, step: number, table: PoissonTable | null, lambda: number, rng: Xoshiro128): void {
    const sender = this.source.first + i;
    for (let k = this.rowStart[i]; k < this.rowStart[i + 1]; k++) {
      const c = table === null ? rng.poisson(lambda) : table.sample(rng.uint32());
      if (c > 0) this.target.record(this.targets[k], sender, step + 1, c);
    }
  }

  weightAt(k: number): number {
    return this.weights[k];
  }
  delayAt(k: number): number {
    return this.delays[k];
  }
  variableNames(): string[] {
    return [];
  }
  getVariable(name: string): number {
    throw new Error(`no variable ${name}`);
  }
  setWeights(ks: Int32Array, values: Float64Array): void {
    for (let j = 0; j < ks.length; j++) this.weights[ks[j]] = values[j];
  }
  setDelays(ks: Int32Array, steps: Int32Array): void {
    for (let j = 0; j < ks.length; j++) this.delays[ks[j]] = steps[j];
  }
  setVariable(name: string): void {
    throw new Error(`no variable ${name}`);
  }
}
