/**
 * Charts for notebooks: typed Vega-Lite v5 spec builders with sensible defaults, a `Chart` that Jupyter
 * can display (Vega-Lite + SVG + text), `display()`, and an in-place progress bar.
 */
export { Chart, MAX_SVG_CHARS } from "./chart.js";
export { display, updateDisplay, toMimeBundle, isDisplayable, type Displayable } from "./display.js";
export { NotebookProgress, type ProgressOptions } from "./progress.js";
export { renderSVG, compileToVega, type RenderMessage, type RenderOptions } from "./render.js";
export {
  VEGA_LITE_MIME,
  VEGA_LITE_V5_SCHEMA,
  type ChartOptions,
  type DataRow,
  type JsonValue,
  type TitleSpec,
  type VegaLiteSpec,
} from "./spec.js";
export type { NumericArray, RecorderLike } from "./data.js";
export { spikeRaster, RASTER_MAX_POINTS, type RasterGroup, type RasterOptions, type SpikeEvents } from "./raster.js";
export { traces, TRACES_MAX_POINTS, type TraceEvents, type TracesOptions } from "./traces.js";
export { lossCurve, type LossOptions, type LossPoint } from "./loss.js";
export { weightMatrix, WEIGHT_MAX_CELLS, type FlatMatrix, type WeightMatrixOptions } from "./weights.js";
export { distributions, kernelDensity, DENSITY_MAX_VALUES, type DistributionOptions } from "./distributions.js";
export {
  lines,
  historyMemory,
  LINES_MAX_POINTS_PER_SERIES,
  type HistoryMemoryOptions,
  type LinesOptions,
  type MemorySeries,
  type Series,
  type SeriesInput,
} from "./lines.js";
