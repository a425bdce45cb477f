/**
 * Compact per-neuron e-prop histories (nest-eprop.md §3.8, §8).
 *
 * NEST keeps a `std::vector` of entries sorted by step, erased at the front *and in the middle* by the
 * erase logic, so this is not a plain ring: it is a growable window [start, end) over typed columns,
 * with O(1) front/back erasure and a copy of the shorter side for erasures in the middle. Columns are
 * structure-of-arrays (no object per entry): the step `t` (Int32) and up to three doubles
 * (recurrent: ψ, L, FR; readout: err).
 */

const INITIAL_CAPACITY = 16;

export class HistoryBuffer {
  /** Step of each entry (sorted ascending within [start, end)). */
  t: Int32Array;
  /** Recurrent: surrogate gradient ψ. Readout: error signal. */
  a: Float64Array;
  /** Recurrent: learning signal L (accumulated later). */
  b: Float64Array;
  /** Recurrent: firing-rate regularization term FR. */
  c: Float64Array;
  start = 0;
  end = 0;

  constructor(readonly columns: 1 | 3) {
    this.t = new Int32Array(INITIAL_CAPACITY);
    this.a = new Float64Array(INITIAL_CAPACITY);
    this.b = new Float64Array(columns === 3 ? INITIAL_CAPACITY : 0);
    this.c = new Float64Array(columns === 3 ? INITIAL_CAPACITY : 0);
  }

  get size(): number {
    return this.end - this.start;
  }

  get capacity(): number {
    return this.t.length;
  }

  /** Bytes held by this buffer's columns (for the memory benchmark). */
  get bytes(): number {
    return this.t.byteLength + this.a.byteLength + this.b.byteLength + this.c.byteLength;
  }

  /** Appends an entry at the back (steps arrive in increasing order). */
  append(t: number, a: number, b: number, c: number): void {
    if (this.end === this.t.length) this.makeRoom();
    const k = this.end++;
    this.t[k] = t;
    this.a[k] = a;
    if (this.columns === 3) {
      this.b[k] = b;
      this.c[k] = c;
    }
  }

  /** Index of the first entry with step ≥ t (`end` if none): std::lower_bound. */
  lowerBound(t: number): number {
    let lo = this.start;
    let hi = this.end;
    if (hi === lo) return lo;
    const ts = this.t;
    const last = ts[hi - 1];
    if (last < t) return hi;
    // Histories are contiguous runs of steps almost everywhere: guess the index from the back and
    // fall back to binary search only across gaps (this lookup is on every synapse event).
    const guess = hi - 1 - (last - t);
    if (guess >= lo && ts[guess] === t) return guess;
    if (ts[lo] >= t) return lo;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Erases entries at indices [from, to) (absolute indices within [start, end)). */
  erase(from: number, to: number): void {
    if (from >= to) return;
    const n = to - from;
    if (from === this.start) {
      this.start = to;
    } else if (to === this.end) {
      this.end = from;
    } else if (from - this.start < this.end - to) {
      // Shift the front part right over the gap.
      this.moveRange(this.start, from, this.start + n);
      this.start += n;
    } else {
      this.moveRange(to, this.end, from);
      this.end -= n;
    }
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** Erases everything. */
  clear(): void {
    this.start = this.end = 0;
  }

  private moveRange(from: number, to: number, dest: number): void {
    this.t.copyWithin(dest, from, to);
    this.a.copyWithin(dest, from, to);
    if (this.columns === 3) {
      this.b.copyWithin(dest, from, to);
      this.c.copyWithin(dest, from, to);
    }
  }

  private makeRoom(): void {
    const size = this.size;
    const cap = this.t.length;
    if (this.start > 0 && size <= cap >>> 1) {
      // Plenty of dead space at the front: compact in place (amortized O(1) per append).
      this.moveRange(this.start, this.end, 0);
    } else {
      const next = Math.max(INITIAL_CAPACITY, cap * 2);
      this.t = grow(this.t, next, this.start, this.end) as Int32Array;
      this.a = grow(this.a, next, this.start, this.end) as Float64Array;
      if (this.columns === 3) {
        this.b = grow(this.b, next, this.start, this.end) as Float64Array;
        this.c = grow(this.c, next, this.start, this.end) as Float64Array;
      }
    }
    this.start = 0;
    this.end = size;
  }

  /** Releases memory when the buffer became much smaller than its capacity. */
  shrinkIfSparse(): void {
    const cap = this.t.length;
    const size = this.size;
    if (cap <= 4 * INITIAL_CAPACITY || size * 4 > cap) return;
    const next = Math.max(INITIAL_CAPACITY, 2 * size);
    this.t = grow(this.t, next, this.start, this.end) as Int32Array;
    this.a = grow(this.a, next, this.start, this.end) as Float64Array;
    if (this.columns === 3) {
      this.b = grow(this.b, next, this.start, this.end) as Float64Array;
      this.c = grow(this.c, next, this.start, this.end) as Float64Array;
    }
    this.start = 0;
    this.end = size;
  }
}

function grow(old: Int32Array | Float64Array, capacity: number, from: number, to: number): Int32Array | Float64Array {
  const out = old instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity);
  out.set(old.subarray(from, to), 0);
  return out;
}

/**
 * NEST's `update_history_`: sorted steps of the presynaptic events (spikes and flushes) that the
 * incoming e-prop synapses last saw, with an access counter per step.
 */
export class UpdateHistory {
  t = new Int32Array(4);
  count = new Int32Array(4);
  size = 0;

  get bytes(): number {
    return this.t.byteLength + this.count.byteLength;
  }

  lowerBound(t: number, from = 0): number {
    let lo = from;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Increments the counter at step t, inserting it if absent. */
  increment(t: number): void {
    const size = this.size;
    // Events arrive in time order: t is usually the newest step.
    const k = size > 0 && this.t[size - 1] < t ? size : size > 0 && this.t[size - 1] === t ? size - 1 : this.lowerBound(t);
    if (k < this.size && this.t[k] === t) {
      this.count[k]++;
      return;
    }
    if (this.size === this.t.length) {
      const t2 = new Int32Array(this.t.length * 2);
      t2.set(this.t);
      this.t = t2;
      const c2 = new Int32Array(this.count.length * 2);
      c2.set(this.count);
      this.count = c2;
    }
    this.t.copyWithin(k + 1, k, this.size);
    this.count.copyWithin(k + 1, k, this.size);
    this.t[k] = t;
    this.count[k] = 1;
    this.size++;
  }

  /**
   * Decrements the counter at step t (if present and > 0) and removes it when it reaches 0. Returns
   * the lower bound of t afterwards (the index of the first entry ≥ t).
   */
  decrement(t: number): number {
    const k = this.lowerBound(t);
    if (k >= this.size || this.t[k] !== t) return k;
    if (this.count[k] > 0) this.count[k]--;
    if (this.count[k] === 0) {
      this.t.copyWithin(k, k + 1, this.size);
      this.count.copyWithin(k, k + 1, this.size);
      this.size--;
    }
    return k;
  }
}
