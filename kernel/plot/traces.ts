/** Membrane potential and other recordables over time, one colour per neuron. */
import { Chart } from "./chart.js";
import { eventsOf, formatCount, minMaxDecimate, roundSignificant, roundTime, type NumericArray, type RecorderLike } from "./data.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, makeTitle, type ChartOptions, type DataRow, type VegaLiteSpec } from "./spec.js";

/** At most this many samples are embedded over all series; each series is decimated (min/max-preserving). */
export const TRACES_MAX_POINTS = 40_000;

/**
 * Multimeter events (`mm.get("events")`): `times`, `senders` and one array per recordable, all the same
 * length. `senders` may be omitted for a single series.
 */
export interface TraceEvents {
  times: NumericArray;
  senders?: NumericArray;
  [recordable: string]: NumericArray | undefined;
}

export interface TracesOptions extends ChartOptions {
  /** Which recordables to plot (default: every array in the events besides `times` and `senders`). */
  recordables?: readonly string[];
  /** Only these neurons (default: all). */
  senders?: readonly number[];
  /** Units for axis titles, e.g. `{ V_m: "mV" }` (V_* default to mV, I_* to pA, g_* to nS). */
  units?: Readonly<Record<string, string>>;
  /**
   * `"facet"` (default): one panel per recordable with its own y axis, colour = neuron.
   * `"overlay"`: all recordables on one axis, colour = recordable (e.g. readout vs target signal).
   */
  layout?: "facet" | "overlay";
  /** Spike times drawn as vertical rules (e.g. a spike recorder's events for the same neurons). */
  spikes?: { senders?: NumericArray; times: NumericArray } | RecorderLike;
  /** Cap on embedded samples (default `TRACES_MAX_POINTS`). */
  maxPoints?: number;
}

const RESERVED = new Set(["times", "senders"]);

/** Plots recordables of a multimeter (`traces(mm)`), its events, or any `{ times, <name>: values }` record. */
export function traces(source: TraceEvents | RecorderLike, options: TracesOptions = {}): Chart {
  const events = eventsOf<TraceEvents>(source, "traces", ["times"]);
  const times = events.times;
  const names = options.recordables ?? Object.keys(events).filter((k) => !RESERVED.has(k) && isNumericArray(events[k]));
  if (names.length === 0) throw new RangeError("traces: no recordable to plot (pass options.recordables)");
  for (const name of names) {
    const arr = events[name];
    if (!isNumericArray(arr)) throw new RangeError(`traces: events has no recordable '${name}'`);
    if (arr.length !== times.length) {
      throw new RangeError(`traces: '${name}' has ${arr.length} entries but 'times' has ${times.length}`);
    }
  }
  const senders = events.senders;
  if (senders && senders.length !== times.length) {
    throw new RangeError(`traces: 'senders' has ${senders.length} entries but 'times' has ${times.length}`);
  }

  // Split samples into one index list per neuron (multimeter events interleave neurons).
  const wanted = options.senders ? new Set(options.senders) : undefined;
  const bySender = new Map<number, number[]>();
  for (let i = 0; i < times.length; i++) {
    const s = senders ? senders[i]! : 0;
    if (wanted && !wanted.has(s)) continue;
    let list = bySender.get(s);
    if (!list) bySender.set(s, (list = []));
    list.push(i);
  }
  const neuronIds = [...bySender.keys()].sort((a, b) => a - b);
  const seriesCount = Math.max(1, neuronIds.length * names.length);
  const maxPoints = options.maxPoints ?? TRACES_MAX_POINTS;
  const perSeries = Math.max(30, Math.floor(maxPoints / seriesCount));

  // Series are labelled with their unit ("V_m (mV)"), which is what facet headers and legends show.
  const labels = new Map(names.map((n) => [n, axisTitle(n, options.units)]));
  const values: DataRow[] = [];
  let totalSamples = 0;
  for (const id of neuronIds) {
    const idx = bySender.get(id)!;
    for (const name of names) {
      const arr = events[name]!;
      const series = idx.map((i) => arr[i]!);
      totalSamples += series.length;
      for (const k of minMaxDecimate(series, perSeries)) {
        values.push({ t: roundTime(times[idx[k]!]!), v: roundSignificant(series[k]!), neuron: String(id), var: labels.get(name)! });
      }
    }
  }

  const notes: string[] = [];
  if (values.length < totalSamples) {
    notes.push(`${formatCount(values.length)} of ${formatCount(totalSamples)} samples shown (min/max per bucket)`);
  }
  const layout = options.layout ?? "facet";
  const title = options.title ?? (names.length === 1 ? `${names[0]} over time` : "Recorded traces");
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? (names.length > 1 && layout === "facet" ? 140 : DEFAULT_HEIGHT);
  const single = names.length === 1 || layout === "overlay";
  const yTitle = single && names.length === 1 ? axisTitle(names[0]!, options.units) : layout === "overlay" ? "value" : null;
  const colorField = layout === "overlay" && names.length > 1 ? "var" : "neuron";
  const multiNeuron = neuronIds.length > 1;

  const encoding: Record<string, unknown> = {
    x: { field: "t", type: "quantitative", title: "time (ms)", scale: { zero: false, nice: false } },
    y: { field: "v", type: "quantitative", title: yTitle, scale: { zero: false } },
    detail: { field: colorField === "var" ? "neuron" : "var", type: "nominal" },
  };
  if (colorField === "var" || multiNeuron) {
    encoding.color = {
      field: colorField,
      type: "nominal",
      title: colorField === "var" ? null : "neuron",
      ...(colorField === "neuron" ? { sort: neuronIds.map(String) } : {}),
    };
  }
  const line: VegaLiteSpec = {
    mark: { type: "line", strokeWidth: 1.2, interpolate: "linear" },
    encoding,
  };
  const spikeLayer = options.spikes
    ? spikeRules(eventsOf<{ senders?: NumericArray; times: NumericArray }>(options.spikes, "traces (options.spikes)", ["times"]), wanted)
    : undefined;

  let inner: VegaLiteSpec;
  if (single) {
    inner = spikeLayer
      ? { width, height, layer: [{ data: { values }, ...line }, spikeLayer] }
      : { width, height, data: { values }, ...line };
  } else {
    inner = {
      data: { values },
      facet: { row: { field: "var", type: "nominal", title: null, sort: names.map((n) => labels.get(n)!), header: { labelFontSize: 12 } } },
      spec: { width, height, ...line },
      resolve: { scale: { y: "independent" } },
    };
  }
  const summary = `${names.join(", ")} of ${neuronIds.length} neuron${neuronIds.length === 1 ? "" : "s"}, ${formatCount(totalSamples)} samples`;
  return new Chart({ title: makeTitle(title, notes), ...inner }, `${title}: ${summary}`);
}

function spikeRules(spikes: { senders?: NumericArray; times: NumericArray }, wanted: Set<number> | undefined): VegaLiteSpec {
  const rows: DataRow[] = [];
  for (let i = 0; i < spikes.times.length; i++) {
    if (wanted && spikes.senders && !wanted.has(spikes.senders[i]!)) continue;
    rows.push({ t: roundTime(spikes.times[i]!) });
  }
  return {
    data: { values: rows },
    mark: { type: "rule", color: "#d62728", strokeDash: [3, 3], opacity: 0.6 },
    encoding: { x: { field: "t", type: "quantitative" } },
  };
}

function axisTitle(name: string, units: Readonly<Record<string, string>> | undefined): string {
  const unit = units?.[name] ?? defaultUnit(name);
  return unit ? `${name} (${unit})` : name;
}

function defaultUnit(name: string): string | undefined {
  if (name === "V_m" || name.startsWith("V_")) return "mV";
  if (name.startsWith("I_")) return "pA";
  if (name.startsWith("g_")) return "nS";
  return undefined;
}

function isNumericArray(x: unknown): x is NumericArray {
  return (ArrayBuffer.isView(x) && !(x instanceof DataView)) || (Array.isArray(x) && (x.length === 0 || typeof x[0] === "number"));
}
