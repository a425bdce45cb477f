/**
 * What a node block emitted during one update chunk: (local index, step, multiplicity, weight
 * factor, flush) in push order. Grows geometrically and is reused, so steady state allocates nothing.
 */
import type { SpikeSink } from "../model-abi.js";

export class SpikeBuffer implements SpikeSink {
  count = 0;
  index = new Int32Array(256);
  step = new Int32Array(256);
  multiplicity = new Int32Array(256);
  /** Per-spike weight factor (spike_generator's spike_weights); 1 otherwise. */
  factor = new Float64Array(256);
  flush = new Uint8Array(256);
  /** Slice origin the lags of `push` are relative to (set by the engine before each update). */
  origin = 0;

  push(i: number, lag: number, multiplicity: number, flush: boolean): void {
    this.pushWeighted(i, this.origin + lag, multiplicity, 1, flush);
  }

  pushWeighted(i: number, step: number, multiplicity: number, factor: number, flush: boolean): void {
    if (this.count === this.index.length) this.grow();
    const c = this.count++;
    this.index[c] = i;
    this.step[c] = step;
    this.multiplicity[c] = multiplicity;
    this.factor[c] = factor;
    this.flush[c] = flush ? 1 : 0;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const n = this.index.length * 2;
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.index = grow32(this.index);
    this.step = grow32(this.step);
    this.multiplicity = grow32(this.multiplicity);
    const f = new Float64Array(n);
    f.set(this.factor);
    this.factor = f;
    const fl = new Uint8Array(n);
    fl.set(this.flush);
    this.flush = fl;
  }
}
