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
  /**
   * The entries' values, interleaved (`columns` doubles per entry, so one replay step reads one
   * place): recurrent [ψ, L, FR] at 3k, 3k + 1, 3k + 2; readout [err] at k.
   */
  v: Float64Array;
  start = 0;
  end = 0;

  constructor(readonly columns: 1 | 3) {
    this.t = new Int32Array(INITIAL_CAPACITY);
    this.v = new Float64Array(INITIAL_CAPACITY * columns);
  }

  get size(): number {
    return this.end - this.start;
  }

  get capacity(): number {
    return this.t.length;
  }

  /** Bytes held by this buffer (for the memory benchmark). */
  get bytes(): number {
    return this.t.byteLength + this.v.byteLength;
  }

  /** Appends an entry at the back (steps arrive in increasing order). */
  append(t: number, a: number, b: number, c: number): void {
    if (this.end === this.t.length) this.makeRoom();
    const k = this.end++;
    this.t[k] = t;
    if (this.columns === 3) {
      const j = 3 * k;
      this.v[j] = a;
      this.v[j + 1] = b;
      this.v[j + 2] = c;
    } else {
      this.v[k] = a;
    }
  }

  /** Value `column` (0: ψ or err, 1: L, 2: FR) of entry index k. */
  value(k: number, column: number): number {
    return this.v[k * this.columns + column];
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
      if (ts[mid] < t) lo = mid + 1;
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
    const c = this.columns;
    this.t.copyWithin(dest, from, to);
    this.v.copyWithin(dest * c, from * c, to * c);
  }

  private resize(capacity: number): void {
    const size = this.size;
    const c = this.columns;
    const t = new Int32Array(capacity);
    t.set(this.t.subarray(this.start, this.end));
    const v = new Float64Array(capacity * c);
    v.set(this.v.subarray(this.start * c, this.end * c));
    this.t = t;
    this.v = v;
    this.start = 0;
    this.end = size;
  }

  private makeRoom(): void {
    const size = this.size;
    const cap = this.t.length;
    if (this.start > 0 && size <= cap >>> 1) {
      // Plenty of dead space at the front: compact in place (amortized O(1) per append).
      this.moveRange(this.start, this.end, 0);
      this.start = 0;
      this.end = size;
    } else {
      this.resize(Math.max(INITIAL_CAPACITY, cap * 2));
    }
  }

  /** Releases memory when the buffer became much smaller than its capacity. */
  shrinkIfSparse(): void {
    const cap = this.t.length;
    const size = this.size;
    if (cap <= 4 * INITIAL_CAPACITY || size * 4 > cap) return;
    this.resize(Math.max(INITIAL_CAPACITY, 2 * size));
  }
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
