/**
 * A minimal, local description of a Vega-Lite v5 specification.
 *
 * We deliberately do not re-export vega-lite's own `TopLevelSpec` type: vega-lite publishes its types only
 * under `exports`, which the TypeScript 5.0 / Node10 resolver inside tslab cannot see, so a `.d.ts` that
 * mentions it would degrade to `any` (or fail without `skipLibCheck`). The chart helpers build plain JSON;
 * the tests check every spec against the real Vega-Lite v5 JSON schema instead.
 */

/** The `$schema` every chart carries: JupyterLab's renderer keys on the v5 MIME type and schema. */
export const VEGA_LITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The MIME type of a Vega-Lite v5 spec in a Jupyter bundle (the value is a JSON object, not a string). */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** Any JSON value (what a spec is made of). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One row of inline data. */
export type DataRow = Record<string, string | number | boolean | null>;

/** A chart title with an optional subtitle (we use the subtitle to say when data were downsampled). */
export interface TitleSpec {
  text: string;
  subtitle?: string | string[];
  anchor?: "start" | "middle" | "end";
}

/**
 * A Vega-Lite spec: the keys our helpers use are typed, everything else stays open so advanced users can
 * add any Vega-Lite property (`chart.spec.config = …`) without fighting the type.
 */
export interface VegaLiteSpec {
  $schema?: string;
  title?: string | TitleSpec;
  description?: string;
  width?: number | "container";
  height?: number | "container";
  data?: { values: DataRow[] } | { name: string };
  mark?: string | { type: string; [key: string]: JsonValue | undefined };
  encoding?: Record<string, unknown>;
  transform?: Record<string, unknown>[];
  layer?: VegaLiteSpec[];
  hconcat?: VegaLiteSpec[];
  vconcat?: VegaLiteSpec[];
  facet?: Record<string, unknown>;
  spec?: VegaLiteSpec;
  resolve?: Record<string, unknown>;
  config?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Options every helper accepts. */
export interface ChartOptions {
  /** Chart title (each helper has a sensible default). */
  title?: string;
  /** Plot area width in pixels. */
  width?: number;
  /** Plot area height in pixels. */
  height?: number;
}

export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 240;

/** Shared look: readable fonts, no chart border, left-aligned titles with a grey subtitle. */
export const DEFAULT_CONFIG: Record<string, unknown> = {
  view: { stroke: null },
  title: { anchor: "start", fontSize: 14, subtitleColor: "#666", subtitleFontSize: 11 },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

/** Builds the title object, adding the subtitle lines (e.g. a downsampling note) when there are any. */
export function makeTitle(text: string, subtitle: readonly string[] = []): string | TitleSpec {
  const lines = subtitle.filter((s) => s.length > 0);
  if (lines.length === 0) return text;
  return { text, subtitle: lines.length === 1 ? lines[0]! : [...lines] };
}

/** Wraps a unit/layer/facet spec into a top-level spec with the v5 `$schema` and shared config. */
export function topLevel(spec: VegaLiteSpec): VegaLiteSpec {
  return { $schema: VEGA_LITE_V5_SCHEMA, ...spec, config: { ...DEFAULT_CONFIG, ...(spec.config ?? {}) } };
}
