/** Named x/y series on one axis: the generic line chart, and the history-memory chart built on it. */
import { Chart } from "./chart.js";
import { checkSameLength, formatCount, minMaxDecimate, roundSignificant, type NumericArray } from "./data.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, makeTitle, type ChartOptions, type DataRow } from "./spec.js";

/** At most this many points are embedded per series (min/max-preserving decimation). */
export const LINES_MAX_POINTS_PER_SERIES = 5_000;

/** One named series: x values (e.g. time in ms) and y values of the same length. */
export interface Series {
  name: string;
  x: NumericArray;
  y: NumericArray;
}

export interface LinesOptions extends ChartOptions {
  xTitle?: string;
  yTitle?: string;
  /** y scale type (default linear). */
  yScale?: "linear" | "log";
  /** Draw the lines as steps (for quantities that change at events, such as memory counters). */
  step?: boolean;
  maxPointsPerSeries?: number;
  /** The x values are counts (iterations, trials): integer ticks only. */
  xInteger?: boolean;
  /** Dashed series by name (e.g. targets). */
  dashed?: readonly string[];
}

/** Accepts an array of series or a record `{ name: { x, y } }`. */
export type SeriesInput = readonly Series[] | Readonly<Record<string, { x: NumericArray; y: NumericArray }>>;

export function lines(input: SeriesInput, options: LinesOptions = {}): Chart {
  const series: Series[] = Array.isArray(input)
    ? [...(input as readonly Series[])]
    : Object.entries(input as Record<string, { x: NumericArray; y: NumericArray }>).map(([name, s]) => ({ name, x: s.x, y: s.y }));
  if (series.length === 0) throw new RangeError("lines: pass at least one series");
  const cap = options.maxPointsPerSeries ?? LINES_MAX_POINTS_PER_SERIES;
  const values: DataRow[] = [];
  let decimated = false;
  for (const s of series) {
    checkSameLength(`lines: series '${s.name}'`, s.x, "x", s.y, "y");
    const keep = minMaxDecimate(s.y, cap);
    if (keep.length < s.y.length) decimated = true;
    for (const i of keep) values.push({ x: roundSignificant(s.x[i]!, 8), y: roundSignificant(s.y[i]!), series: s.name });
  }
  const names = series.map((s) => s.name);
  const notes = decimated ? [`decimated to ≤ ${formatCount(cap)} points per series (min/max kept)`] : [];
  const title = options.title ?? "Series";
  const encoding: Record<string, unknown> = {
    x: {
      field: "x",
      type: "quantitative",
      title: options.xTitle ?? "x",
      scale: { nice: false, zero: false },
      ...(options.xInteger ? { axis: { tickMinStep: 1, format: "d" } } : {}),
    },
    y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", scale: options.yScale === "log" ? { type: "log" } : {} },
    color: { field: "series", type: "nominal", title: null, sort: names },
  };
  if (options.dashed && options.dashed.length > 0) {
    const dashed = new Set(options.dashed);
    encoding.strokeDash = {
      field: "series",
      type: "nominal",
      legend: null,
      sort: names,
      scale: { domain: names, range: names.map((n) => (dashed.has(n) ? [5, 3] : [1, 0])) },
    };
  }
  return new Chart(
    {
      title: makeTitle(title, notes),
      width: options.width ?? DEFAULT_WIDTH,
      height: options.height ?? DEFAULT_HEIGHT,
      data: { values },
      mark: { type: "line", strokeWidth: 1.5, interpolate: options.step ? "step-after" : "linear" },
      encoding,
    },
    `${title}: ${series.map((s) => `${s.name} (${formatCount(s.y.length)} points)`).join(", ")}`,
  );
}

/** A history-memory series: time stamps (ms) and the memory measure at those times. */
export interface MemorySeries {
  times: NumericArray;
  values: NumericArray;
}

export interface HistoryMemoryOptions extends LinesOptions {
  /** What `values` measure (y axis title), default "history entries per neuron". */
  measure?: string;
}

/**
 * e-prop history memory over time, one line per run — e.g.
 * `historyMemory({ "with flush events": a, "without flush events": b })` — drawn as steps, since the
 * history grows and is erased at events.
 */
export function historyMemory(
  series: Readonly<Record<string, MemorySeries>> | readonly (MemorySeries & { name: string })[],
  options: HistoryMemoryOptions = {},
): Chart {
  const list = Array.isArray(series)
    ? (series as readonly (MemorySeries & { name: string })[]).map((s) => ({ name: s.name, x: s.times, y: s.values }))
    : Object.entries(series as Record<string, MemorySeries>).map(([name, s]) => ({ name, x: s.times, y: s.values }));
  return lines(list, {
    title: "e-prop history memory over time",
    xTitle: "time (ms)",
    yTitle: options.measure ?? "history entries per neuron",
    step: true,
    ...options,
  });
}
