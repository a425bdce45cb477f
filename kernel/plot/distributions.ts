/**
 * Distributions of per-neuron statistics (firing rate, CV of ISIs, pairwise correlations), as violins
 * or box plots, one per named group — the summary figures of NEST GPU's Brunel showcase.
 *
 * Densities and quartiles are computed here rather than by Vega-Lite transforms, so the embedded data stay
 * small (about a hundred points per group however many neurons there are) and degenerate groups (one value,
 * all values equal) still draw.
 */
import { Chart } from "./chart.js";
import { finiteValues, formatCount, quantileSample, roundSignificant, summarize, type NumericArray, type Summary } from "./data.js";
import { DEFAULT_HEIGHT, makeTitle, type ChartOptions, type DataRow, type VegaLiteSpec } from "./spec.js";

/** Kernel density estimates use at most this many values per group (an even quantile sample). */
export const DENSITY_MAX_VALUES = 5_000;
const GRID_POINTS = 80;

export interface DistributionOptions extends ChartOptions {
  /** `"violin"` (default) or `"box"` (box = quartiles, whiskers = min..max, white tick = median). */
  kind?: "violin" | "box";
  /** Title of the value axis, e.g. "firing rate (Hz)". */
  valueTitle?: string;
  /** Group order (default: insertion order of the record). */
  order?: readonly string[];
}

/**
 * One violin (or box) per group: `distributions({ E: ratesE, I: ratesI }, { valueTitle: "rate (Hz)" })`.
 * Non-finite values (e.g. the CV of a neuron with fewer than 3 spikes) are left out and counted.
 */
export function distributions(groups: Readonly<Record<string, NumericArray>>, options: DistributionOptions = {}): Chart {
  const names = options.order ? [...options.order] : Object.keys(groups);
  if (names.length === 0) throw new RangeError("distributions: pass at least one group, e.g. { E: rates }");
  const summaries = new Map<string, Summary>();
  const sortedByGroup = new Map<string, number[]>();
  let omitted = 0;
  for (const name of names) {
    const raw = groups[name];
    if (!raw) throw new RangeError(`distributions: no group named '${name}'`);
    const finite = finiteValues(raw).sort((a, b) => a - b);
    omitted += raw.length - finite.length;
    sortedByGroup.set(name, finite);
    summaries.set(name, summarize(finite));
  }

  const valueTitle = options.valueTitle ?? "value";
  const title = options.title ?? `Distribution of ${valueTitle}`;
  const kind = options.kind ?? "violin";
  // One subtitle line per group, so that side-by-side panels stay narrow.
  const notes = names.map((n) => {
    const s = summaries.get(n)!;
    return `${n}: n=${formatCount(s.count)}, median ${fmt(s.median)}, mean ${fmt(s.mean)}`;
  });
  if (omitted > 0) notes.push(`${formatCount(omitted)} undefined (NaN) values omitted`);
  const height = options.height ?? DEFAULT_HEIGHT;
  const body =
    kind === "box"
      ? boxSpec(names, summaries, valueTitle, options.width ?? Math.max(120, 70 * names.length), height)
      : violinSpec(names, sortedByGroup, summaries, valueTitle, options.width ?? 80, height);
  return new Chart({ title: makeTitle(title, notes), ...body }, `${title}: ${notes.join("; ")}`);
}

function violinSpec(
  names: readonly string[],
  sortedByGroup: ReadonlyMap<string, number[]>,
  summaries: ReadonlyMap<string, Summary>,
  valueTitle: string,
  width: number,
  height: number,
): VegaLiteSpec {
  const values: DataRow[] = [];
  for (const name of names) {
    const sorted = sortedByGroup.get(name)!;
    if (sorted.length === 0) continue;
    // Each violin is drawn symmetric around x = 0 (from -density/2 to +density/2), so the median tick
    // can sit at x = 0 and violins of different groups share one density scale.
    for (const [v, d] of kernelDensity(sorted)) {
      const half = roundSignificant(d / 2);
      values.push({ group: name, kind: "kde", value: roundSignificant(v), lo: -half, hi: half });
    }
    values.push({ group: name, kind: "median", value: roundSignificant(summaries.get(name)!.median), lo: 0, hi: 0 });
  }
  const y = { field: "value", type: "quantitative", title: valueTitle, scale: { zero: false } };
  return {
    data: { values },
    facet: {
      column: {
        field: "group",
        type: "nominal",
        title: null,
        sort: [...names],
        header: { labelOrient: "bottom", labelFontSize: 12 },
      },
    },
    spacing: 4,
    spec: {
      width,
      height,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'kde'" }],
          mark: { type: "area", orient: "horizontal", opacity: 0.75 },
          encoding: {
            y,
            x: { field: "lo", type: "quantitative", title: null, axis: null },
            x2: { field: "hi" },
            color: { field: "group", type: "nominal", legend: null, sort: [...names] },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'median'" }],
          mark: { type: "tick", orient: "horizontal", color: "black", thickness: 2, size: 24 },
          encoding: { y, x: { datum: 0, type: "quantitative" } },
        },
      ],
    },
  };
}

function boxSpec(
  names: readonly string[],
  summaries: ReadonlyMap<string, Summary>,
  valueTitle: string,
  width: number,
  height: number,
): VegaLiteSpec {
  const values: DataRow[] = [];
  for (const name of names) {
    const s = summaries.get(name)!;
    if (s.count === 0) continue;
    values.push({
      group: name,
      min: roundSignificant(s.min),
      q1: roundSignificant(s.q1),
      median: roundSignificant(s.median),
      q3: roundSignificant(s.q3),
      max: roundSignificant(s.max),
    });
  }
  const x = { field: "group", type: "nominal", title: null, sort: [...names], axis: { labelAngle: 0 } };
  return {
    width,
    height,
    data: { values },
    encoding: { x },
    layer: [
      {
        mark: { type: "rule", color: "#555" },
        encoding: { y: { field: "min", type: "quantitative", title: valueTitle, scale: { zero: false } }, y2: { field: "max" } },
      },
      {
        mark: { type: "bar", size: 26 },
        encoding: {
          y: { field: "q1", type: "quantitative" },
          y2: { field: "q3" },
          color: { field: "group", type: "nominal", legend: null, sort: [...names] },
        },
      },
      { mark: { type: "tick", color: "white", size: 26, thickness: 2 }, encoding: { y: { field: "median", type: "quantitative" } } },
    ],
  };
}

/**
 * Gaussian kernel density over the data range (Silverman's bandwidth), normalised to unit area; a group
 * whose values are all equal gets a narrow bump instead of a zero-width spike.
 */
export function kernelDensity(sorted: readonly number[]): Array<[number, number]> {
  const sample = quantileSample(sorted, DENSITY_MAX_VALUES);
  const n = sample.length;
  const s = summarize(sample);
  let variance = 0;
  for (const v of sample) variance += (v - s.mean) ** 2;
  const sd = n > 1 ? Math.sqrt(variance / (n - 1)) : 0;
  const spread = Math.min(sd, (s.q3 - s.q1) / 1.34) || sd;
  let h = 0.9 * spread * n ** -0.2;
  // Quantized data (rates = spike count / duration come in steps) would show one bump per step:
  // never smooth below the typical spacing of distinct values.
  h = Math.max(h, typicalSpacing(sample));
  if (!(h > 0)) h = Math.max(Math.abs(s.median) * 0.02, 1e-6);
  const lo = s.min === s.max ? s.min - 3 * h : s.min;
  const hi = s.min === s.max ? s.max + 3 * h : s.max;
  const out: Array<[number, number]> = [];
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  for (let k = 0; k < GRID_POINTS; k++) {
    const x = lo + ((hi - lo) * k) / (GRID_POINTS - 1);
    let d = 0;
    for (const v of sample) {
      const z = (x - v) / h;
      d += Math.exp(-0.5 * z * z);
    }
    out.push([x, d * norm]);
  }
  return out;
}

/** Median gap between consecutive distinct values (0 for fewer than two distinct values). */
function typicalSpacing(sorted: readonly number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! > sorted[i - 1]!) gaps.push(sorted[i]! - sorted[i - 1]!);
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return "–";
  return Math.abs(x) >= 1e-2 && Math.abs(x) < 1e4 ? Number(x.toPrecision(3)).toString() : x.toExponential(2);
}
