/** Spike raster: one dot per spike, time on x, neuron id on y. */
import { Chart } from "./chart.js";
import { checkSameLength, eventsOf, formatCount, roundTime, type NumericArray, type RecorderLike } from "./data.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, makeTitle, type ChartOptions, type DataRow } from "./spec.js";

/** At most this many spikes are embedded; beyond it whole neurons are left out (see `spikeRaster`). */
export const RASTER_MAX_POINTS = 50_000;

/** Up to this many neurons get one labelled row each (ticks); more are drawn as dots on a numeric axis. */
export const FEW_NEURONS = 40;

/** A named group of neurons drawn in its own colour (e.g. excitatory and inhibitory populations). */
export interface RasterGroup {
  name: string;
  /** Neuron ids (senders) that belong to the group. */
  ids: ArrayLike<number>;
}

export interface RasterOptions extends ChartOptions {
  /** Cap on embedded spikes (default `RASTER_MAX_POINTS`). */
  maxPoints?: number;
  /** Only spikes in [start, end) ms are shown. */
  timeRange?: readonly [number, number];
  /** Colours spikes by group; neurons in no group are drawn grey as "other". */
  groups?: readonly RasterGroup[];
  /** Dot size in square pixels (default adapts to the number of spikes). */
  markSize?: number;
}

export interface SpikeEvents {
  senders: NumericArray;
  times: NumericArray;
}

/**
 * A spike raster of a spike recorder (`spikeRaster(sr)`) or of its events (`sr.get("events")`).
 *
 * When there are more than `maxPoints` spikes, every k-th neuron (by id) is kept with its complete spike
 * train — thinning spikes instead would fake lower firing rates — and the subtitle says how many spikes
 * and neurons are shown.
 */
export function spikeRaster(source: SpikeEvents | RecorderLike, options: RasterOptions = {}): Chart {
  const { senders, times } = eventsOf<SpikeEvents>(source, "spikeRaster", ["senders", "times"]);
  checkSameLength("spikeRaster", senders, "senders", times, "times");
  const maxPoints = options.maxPoints ?? RASTER_MAX_POINTS;
  const [t0, t1] = options.timeRange ?? [-Infinity, Infinity];

  const inWindow: number[] = [];
  const neuronIds = new Set<number>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= t0 && t < t1) {
      inWindow.push(i);
      neuronIds.add(senders[i]!);
    }
  }
  const total = inWindow.length;

  // Keep every `stride`-th neuron so the embedded spike count stays under the cap.
  const sortedIds = [...neuronIds].sort((a, b) => a - b);
  const stride = total > maxPoints ? Math.ceil(total / maxPoints) : 1;
  const keepIds = new Set(sortedIds.filter((_, k) => k % stride === 0));

  const groupOf = new Map<number, string>();
  for (const g of options.groups ?? []) for (let k = 0; k < g.ids.length; k++) groupOf.set(g.ids[k]!, g.name);

  // Ids with big gaps (e.g. 50 E neurons 1..50 and 50 I neurons 10001..10050) would squash every row
  // onto a numeric id axis: then the rows are drawn by rank, in id order.
  const keptSorted = sortedIds.filter((id) => keepIds.has(id));
  const span = keptSorted.length > 0 ? keptSorted[keptSorted.length - 1]! - keptSorted[0]! + 1 : 0;
  const byRank = keptSorted.length > FEW_NEURONS && span > 2 * keptSorted.length;
  const rank = new Map(keptSorted.map((id, k) => [id, k]));

  const values: DataRow[] = [];
  for (const i of inWindow) {
    const id = senders[i]!;
    if (!keepIds.has(id)) continue;
    if (values.length >= maxPoints) break;
    const row: DataRow = { t: roundTime(times[i]!), n: id };
    if (byRank) row.r = rank.get(id)!;
    if (options.groups) row.g = groupOf.get(id) ?? "other";
    values.push(row);
  }

  const notes: string[] = [];
  notes.push(`${formatCount(total)} spikes from ${formatCount(neuronIds.size)} neurons`);
  if (values.length < total) {
    notes.push(
      `showing ${formatCount(values.length)} spikes of every ${stride}${ordinalSuffix(stride)} neuron ` +
        `(cap ${formatCount(maxPoints)} points)`,
    );
  }
  // Few neurons: one labelled row per neuron with vertical ticks; many: a dot per spike on a numeric axis.
  const fewNeurons = keepIds.size <= FEW_NEURONS;
  const height = options.height ?? (fewNeurons ? Math.max(60, Math.min(DEFAULT_HEIGHT, 22 * keepIds.size)) : DEFAULT_HEIGHT);
  const size = options.markSize ?? (values.length > 20_000 ? 1 : values.length > 2_000 ? 3 : 6);
  const encoding: Record<string, unknown> = {
    x: { field: "t", type: "quantitative", title: "time (ms)", scale: { zero: false, nice: false } },
    y: fewNeurons
      ? { field: "n", type: "ordinal", title: "neuron id", sort: "descending", scale: { paddingInner: 0.2 } }
      : byRank
        ? { field: "r", type: "quantitative", title: "neuron (in id order)", scale: { zero: false, nice: false } }
        : { field: "n", type: "quantitative", title: "neuron id", scale: { zero: false, nice: false } },
  };
  if (options.groups) {
    const used = new Set(values.map((r) => r.g as string));
    const names = [...options.groups.map((g) => g.name), "other"];
    const palette = groupPalette(options.groups.length);
    const shown = names.map((name, k) => ({ name, colour: palette[k]! })).filter((e) => used.has(e.name) || e.name !== "other");
    encoding.color = {
      field: "g",
      type: "nominal",
      title: null,
      scale: { domain: shown.map((e) => e.name), range: shown.map((e) => e.colour) },
    };
  }
  const colour = options.groups ? {} : { color: "#1f4e8c" };
  // aria: false keeps per-spike labels out of the SVG (it would triple its size).
  const mark = fewNeurons
    ? { type: "tick", orient: "vertical", thickness: 1.5, aria: false, ...colour }
    : { type: "square", size, opacity: 0.8, aria: false, ...colour };
  const title = options.title ?? "Spike raster";
  return new Chart(
    {
      title: makeTitle(title, notes),
      width: options.width ?? DEFAULT_WIDTH,
      height,
      data: { values },
      mark,
      encoding,
    },
    `${title}: ${notes.join("; ")}`,
  );
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

/** Excitatory-blue, inhibitory-red, then the Tableau colours; "other" is grey. */
function groupPalette(n: number): string[] {
  const base = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(base[k % base.length]!);
  out.push("#999999");
  return out;
}
