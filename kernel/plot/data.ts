/**
 * Turning typed arrays into compact inline data for Vega-Lite, and keeping it small.
 *
 * Notebooks embed the data of every chart (twice: in the Vega-Lite spec and as SVG marks), so each helper
 * caps the number of points it embeds and says so in the chart's subtitle. Values are rounded to what a
 * plot can show, which roughly halves the JSON size of long float64 series.
 */

/** What the helpers accept as a numeric series: typed arrays or plain arrays. */
export type NumericArray = ArrayLike<number>;

/** Rounds to `digits` significant digits (keeps integers and non-finite values as they are). */
export function roundSignificant(x: number, digits = 6): number {
  if (!Number.isFinite(x) || x === 0 || Number.isInteger(x)) return x;
  return Number(x.toPrecision(digits));
}

/** Rounds a time stamp in ms to 1e-4 ms (below any simulation resolution we support). */
export function roundTime(t: number): number {
  return Math.round(t * 1e4) / 1e4;
}

/** `12345` → `"12,345"` (independent of the machine's locale, so test output is stable). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Finite values only (NaN marks "undefined" in statistics such as the CV of a silent neuron). */
export function finiteValues(values: NumericArray): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function checkSameLength(what: string, a: NumericArray, aName: string, b: NumericArray, bName: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: '${aName}' has ${a.length} entries but '${bName}' has ${b.length}`);
  }
}

/**
 * Indices that keep a line's shape with at most about `maxPoints` points: the series is cut into buckets
 * and each bucket keeps its first, minimum and maximum sample (in time order), so spikes in a membrane
 * trace survive decimation (plain striding would drop most peaks).
 */
export function minMaxDecimate(values: NumericArray, maxPoints: number): number[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = n / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    const picked = [start, lo, hi].sort((x, y) => x - y);
    for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) keep.push(picked[k]!);
  }
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep;
}

/**
 * `count` values spread evenly over the sorted sample (its quantiles): a small set with the same
 * distribution, used to cap box plots of very large populations.
 */
export function quantileSample(sorted: readonly number[], count: number): number[] {
  if (sorted.length <= count) return [...sorted];
  const out: number[] = new Array<number>(count);
  for (let k = 0; k < count; k++) out[k] = sorted[Math.round((k * (sorted.length - 1)) / (count - 1))]!;
  return out;
}

/** Five-number summary plus mean, of finite values. */
export interface Summary {
  count: number;
  mean: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(sorted: readonly number[]): Summary {
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length > 0 ? sum / sorted.length : NaN,
    min: sorted.length > 0 ? sorted[0]! : NaN,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
  };
}

/** Anything with NEST's `get("events")`: a spike recorder or multimeter (a NodeCollection). */
export interface RecorderLike {
  get(name: "events"): unknown;
}

function isArrayLikeOfNumbers(x: unknown): x is NumericArray {
  return (ArrayBuffer.isView(x) && !(x instanceof DataView)) || (Array.isArray(x) && (x.length === 0 || typeof x[0] === "number"));
}

/**
 * The events record of `source`: the record itself, or `source.get("events")` for a recorder. Checks
 * that the named arrays exist, so a wrong argument fails with a message instead of an empty chart.
 */
export function eventsOf<T extends object>(source: T | RecorderLike, helper: string, required: readonly string[]): T {
  let events: unknown = source;
  if (typeof (source as RecorderLike).get === "function" && !required.every((k) => k in (source as object))) {
    events = (source as RecorderLike).get("events");
  }
  if (typeof events !== "object" || events === null) {
    throw new TypeError(`${helper}: expected recorder events ({ ${required.join(", ")} }) or a recorder, got ${String(events)}`);
  }
  for (const key of required) {
    if (!isArrayLikeOfNumbers((events as Record<string, unknown>)[key])) {
      throw new TypeError(`${helper}: the events have no numeric array '${key}'`);
    }
  }
  return events as T;
}
