/**
 * A chart: a Vega-Lite v5 spec plus a one-line description, displayable in a notebook.
 *
 * `toMimeBundle()` gives Jupyter three representations of the same chart: the Vega-Lite spec (JupyterLab
 * renders it interactively), an SVG rendered in Node (the classic Notebook, nbconvert's HTML and GitHub
 * show it), and a short text (terminals, logs).
 */
import type { Displayable } from "../display.js";
import type { MimeBundle } from "../host.js";
import { renderSVG, type RenderOptions } from "./render.js";
import { VEGA_LITE_MIME, topLevel, type VegaLiteSpec } from "./spec.js";

/** Static SVGs larger than this are left out of the notebook bundle (the Vega-Lite spec remains). */
export const MAX_SVG_CHARS = 8_000_000;

export class Chart implements Displayable {
  /** The complete top-level Vega-Lite spec (with the v5 `$schema`); plain JSON, safe to edit or serialize. */
  readonly spec: VegaLiteSpec;
  /** One line saying what the chart shows, used as the `text/plain` representation. */
  readonly description: string;

  constructor(spec: VegaLiteSpec, description?: string) {
    this.spec = topLevel(spec);
    this.description = description ?? describeSpec(this.spec);
  }

  /** The chart as a standalone SVG document, rendered in Node with vega. */
  toSVG(options?: RenderOptions): Promise<string> {
    return renderSVG(this.spec, options);
  }

  /** Jupyter's rich output for this chart (Vega-Lite v5 JSON object, SVG fallback, text). */
  async toMimeBundle(): Promise<MimeBundle> {
    const svg = await this.toSVG();
    if (svg.length > MAX_SVG_CHARS) {
      // The interactive spec still shows everything; a static copy this large would bloat the notebook.
      const mb = (svg.length / 1e6).toFixed(1);
      return {
        data: { [VEGA_LITE_MIME]: this.spec, "text/plain": `${this.toString()} (static SVG omitted: ${mb} MB)` },
        metadata: {},
      };
    }
    return {
      data: { [VEGA_LITE_MIME]: this.spec, "image/svg+xml": svg, "text/plain": this.toString() },
      metadata: {},
    };
  }

  /** `JSON.stringify(chart)` gives the spec. */
  toJSON(): VegaLiteSpec {
    return this.spec;
  }

  toString(): string {
    return `<Chart: ${this.description}>`;
  }

  /** Places charts side by side (`"horizontal"`) or stacked (`"vertical"`) in one figure. */
  static concat(charts: readonly Chart[], direction: "horizontal" | "vertical" = "horizontal", title?: string): Chart {
    const parts = charts.map((c) => stripTopLevel(c.spec));
    const key = direction === "horizontal" ? "hconcat" : "vconcat";
    // Each panel keeps its own colour scale and legend (a "change" heatmap next to "before"/"after" has
    // its own range); panels meant to compare pass the same domain explicitly.
    const spec: VegaLiteSpec = { [key]: parts, resolve: { scale: { color: "independent" }, legend: { color: "independent" } } };
    if (title !== undefined) spec.title = title;
    return new Chart(spec, title ?? charts.map((c) => c.description).join("; "));
  }
}

/** A sub-spec for composition: no `$schema`, and the shared config moves to the top level. */
function stripTopLevel(spec: VegaLiteSpec): VegaLiteSpec {
  const { $schema: _schema, config: _config, ...rest } = spec;
  return rest;
}

function describeSpec(spec: VegaLiteSpec): string {
  const title = typeof spec.title === "string" ? spec.title : spec.title?.text;
  return title ?? "Vega-Lite chart";
}
