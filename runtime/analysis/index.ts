/**
 * Spike-train statistics for populations (NEST GPU's showcase statistics): firing rate per
 * neuron, coefficient of variation of inter-spike intervals, and Pearson correlation of binned
 * spike counts for sampled pairs. Inputs are recorder events (typed arrays); outputs are typed
 * arrays, one entry per neuron or per pair.
 */
import { InvalidParameterError } from "../errors.js";
import { Xoshiro128 } from "../random/xoshiro.js";

export interface SpikeEvents {
  readonly senders: ArrayLike<number>;
  readonly times: ArrayLike<number>;
}

export interface Window {
  /** Start of the analysis window (ms, exclusive like NEST's recorders). Default 0. */
  tStart?: number;
  /** End of the window (ms, inclusive). Default: the last spike time. */
  tStop?: number;
}

/** Spike times per id (ascending), restricted to the window. */
export function spikeTrains(events: SpikeEvents, ids: ArrayLike<number>, window: Window = {}): Float64Array[] {
  const index = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  const t0 = window.tStart ?? 0;
  const t1 = window.tStop ?? Infinity;
  const counts = new Int32Array(ids.length);
  for (let e = 0; e < events.senders.length; e++) {
    const j = index.get(events.senders[e]);
    const t = events.times[e];
    if (j !== undefined && t > t0 && t <= t1) counts[j]++;
  }
  const trains = Array.from(counts, (c) => new Float64Array(c));
  counts.fill(0);
  for (let e = 0; e < events.senders.length; e++) {
    const j = index.get(events.senders[e]);
    const t = events.times[e];
    if (j !== undefined && t > t0 && t <= t1) trains[j][counts[j]++] = t;
  }
  for (const tr of trains) tr.sort();
  return trains;
}

function duration(events: SpikeEvents, window: Window): number {
  const t0 = window.tStart ?? 0;
  let t1 = window.tStop;
  if (t1 === undefined) {
    t1 = t0;
    for (let e = 0; e < events.times.length; e++) t1 = Math.max(t1, events.times[e]);
  }
  if (!(t1 > t0)) throw new InvalidParameterError(`analysis window (${t0}, ${t1}] is empty`, "window");
  return t1 - t0;
}

/** Firing rate (Hz) of each id over the window. */
export function firingRates(events: SpikeEvents, ids: ArrayLike<number>, window: Window = {}): Float64Array {
  const T = duration(events, window);
  const trains = spikeTrains(events, ids, window);
  return Float64Array.from(trains, (tr) => (tr.length * 1000) / T);
}

/** Mean firing rate (Hz) of the population. */
export function meanRate(events: SpikeEvents, ids: ArrayLike<number>, window: Window = {}): number {
  const r = firingRates(events, ids, window);
  let s = 0;
  for (const x of r) s += x;
  return r.length ? s / r.length : 0;
}

/** CV of inter-spike intervals per id (NaN for fewer than 3 spikes). */
export function cvIsi(events: SpikeEvents, ids: ArrayLike<number>, window: Window = {}): Float64Array {
  const trains = spikeTrains(events, ids, window);
  return Float64Array.from(trains, (tr) => {
    const n = tr.length - 1;
    if (n < 2) return NaN;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += tr[i + 1] - tr[i];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (tr[i + 1] - tr[i] - mean) ** 2;
    v /= n;
    return Math.sqrt(v) / mean;
  });
}

export interface CorrelationOptions extends Window {
  /** Bin width (ms), default 2. */
  binSize?: number;
  /** Number of distinct pairs sampled, default 500 (all pairs if fewer exist). */
  pairs?: number;
  /** Seed of the pair sampling, default 1. */
  seed?: number;
}

/**
 * Pearson correlation coefficients of binned spike counts for randomly sampled pairs of ids
 * (pairs with a silent member give NaN and are left out).
 */
export function pairwiseCorrelations(events: SpikeEvents, ids: ArrayLike<number>, options: CorrelationOptions = {}): Float64Array {
  const bin = options.binSize ?? 2;
  if (!(bin > 0)) throw new InvalidParameterError(`binSize must be > 0, got ${bin}`, "options.binSize");
  const t0 = options.tStart ?? 0;
  const T = duration(events, options);
  const nBins = Math.max(1, Math.ceil(T / bin));
  const trains = spikeTrains(events, ids, options);
  const n = trains.length;
  const total = (n * (n - 1)) / 2;
  const want = Math.min(options.pairs ?? 500, total);
  const rng = new Xoshiro128(options.seed ?? 1, "pairwiseCorrelations");
  const chosen = new Set<number>();
  const pairs: [number, number][] = [];
  if (want === total) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  } else {
    while (pairs.length < want) {
      const i = rng.uniformInt(n);
      const j = rng.uniformInt(n);
      if (i === j) continue;
      const key = Math.min(i, j) * n + Math.max(i, j);
      if (chosen.has(key)) continue;
      chosen.add(key);
      pairs.push([Math.min(i, j), Math.max(i, j)]);
    }
  }
  const binned = new Map<number, Float64Array>();
  const counts = (i: number) => {
    let c = binned.get(i);
    if (c === undefined) {
      c = new Float64Array(nBins);
      for (const t of trains[i]) c[Math.min(nBins - 1, Math.floor((t - t0 - 1e-9) / bin))]++;
      binned.set(i, c);
    }
    return c;
  };
  const out: number[] = [];
  for (const [i, j] of pairs) {
    const a = counts(i);
    const b = counts(j);
    let ma = 0;
    let mb = 0;
    for (let k = 0; k < nBins; k++) {
      ma += a[k];
      mb += b[k];
    }
    ma /= nBins;
    mb /= nBins;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let k = 0; k < nBins; k++) {
      const x = a[k] - ma;
      const y = b[k] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    if (saa > 0 && sbb > 0) out.push(sab / Math.sqrt(saa * sbb));
  }
  return Float64Array.from(out);
}
