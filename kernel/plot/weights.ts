/** Weight matrix heatmap: rows = postsynaptic, columns = presynaptic, diverging colours centred at 0. */
import { Chart } from "./chart.js";
import { formatCount, roundSignificant, type NumericArray } from "./data.js";
import { makeTitle, type ChartOptions, type DataRow } from "./spec.js";

/** Matrices with more cells than this are shown block-averaged. */
export const WEIGHT_MAX_CELLS = 10_000;

/** A dense row-major matrix in a flat typed array. */
export interface FlatMatrix {
  data: NumericArray;
  rows: number;
  cols: number;
}

export interface WeightMatrixOptions extends ChartOptions {
  /** Axis titles (defaults follow NEST's [post][pre] convention). */
  rowTitle?: string;
  colTitle?: string;
  /** Colour legend title (default "weight"). */
  valueTitle?: string;
  /** Cap on drawn cells (default `WEIGHT_MAX_CELLS`); larger matrices are averaged in blocks. */
  maxCells?: number;
  /** Symmetric colour range ±limit (default: the largest |w|). Use the same limit to compare two matrices. */
  limit?: number;
}

/**
 * A heatmap of a weight matrix given as `number[][]` (`[post][pre]`, as NEST's all_to_all weight matrices)
 * or as a flat row-major array with its shape. Colours: blue negative, white 0, red positive.
 */
export function weightMatrix(matrix: readonly NumericArray[] | FlatMatrix, options: WeightMatrixOptions = {}): Chart {
  const { rows, cols, at } = asAccessor(matrix);
  const maxCells = options.maxCells ?? WEIGHT_MAX_CELLS;
  const block = rows * cols > maxCells ? Math.ceil(Math.sqrt((rows * cols) / maxCells)) : 1;

  const values: DataRow[] = [];
  let absMax = 0;
  let nonzero = 0;
  for (let r0 = 0; r0 < rows; r0 += block) {
    for (let c0 = 0; c0 < cols; c0 += block) {
      let sum = 0;
      let n = 0;
      for (let r = r0; r < Math.min(rows, r0 + block); r++) {
        for (let c = c0; c < Math.min(cols, c0 + block); c++) {
          const w = at(r, c);
          if (!Number.isFinite(w)) continue;
          sum += w;
          n++;
          if (w !== 0) nonzero++;
        }
      }
      const w = n > 0 ? sum / n : 0;
      absMax = Math.max(absMax, Math.abs(w));
      values.push({ post: r0, pre: c0, w: roundSignificant(w, 5) });
    }
  }
  const limit = options.limit ?? (absMax > 0 ? absMax : 1);

  const notes = [`${formatCount(rows)} × ${formatCount(cols)}, ${formatCount(nonzero)} nonzero`];
  if (block > 1) notes.push(`averaged in ${block} × ${block} blocks (cap ${formatCount(maxCells)} cells)`);

  // Pixel size per cell so that small matrices are not huge and large ones fit.
  const cell = Math.max(1, Math.min(12, Math.floor(360 / Math.max(rows / block, cols / block))));
  const width = options.width ?? Math.max(60, Math.ceil(cols / block) * cell);
  const height = options.height ?? Math.max(20, Math.ceil(rows / block) * cell);
  const title = options.title ?? "Weight matrix";

  return new Chart(
    {
      title: makeTitle(title, notes),
      width,
      height,
      data: { values },
      transform: [
        { calculate: `datum.pre + ${block}`, as: "pre_end" },
        { calculate: `datum.post + ${block}`, as: "post_end" },
      ],
      mark: { type: "rect", aria: false },
      encoding: {
        x: { field: "pre", type: "quantitative", title: options.colTitle ?? "presynaptic neuron", scale: { domain: [0, cols], nice: false } },
        x2: { field: "pre_end" },
        // Row 0 at the top, as a matrix is read.
        y: { field: "post", type: "quantitative", title: options.rowTitle ?? "postsynaptic neuron", scale: { domain: [rows, 0], nice: false } },
        y2: { field: "post_end" },
        color: {
          field: "w",
          type: "quantitative",
          title: options.valueTitle ?? "weight",
          scale: { scheme: "redblue", reverse: true, domain: [-limit, limit], clamp: true },
        },
        tooltip: [
          { field: "post", type: "quantitative", title: "post" },
          { field: "pre", type: "quantitative", title: "pre" },
          { field: "w", type: "quantitative", title: "weight" },
        ],
      },
    },
    `${title}: ${notes.join("; ")}`,
  );
}

function asAccessor(matrix: readonly NumericArray[] | FlatMatrix): { rows: number; cols: number; at: (r: number, c: number) => number } {
  if (Array.isArray(matrix)) {
    const m = matrix as readonly NumericArray[];
    const rows = m.length;
    const cols = rows > 0 ? m[0]!.length : 0;
    for (let r = 0; r < rows; r++) {
      if (m[r]!.length !== cols) throw new RangeError(`weightMatrix: row ${r} has ${m[r]!.length} entries, row 0 has ${cols}`);
    }
    return { rows, cols, at: (r, c) => m[r]![c]! };
  }
  const { data, rows, cols } = matrix as FlatMatrix;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new RangeError(`weightMatrix: data has ${data.length} entries, which does not match rows × cols = ${rows} × ${cols}`);
  }
  return { rows, cols, at: (r, c) => data[r * cols + c]! };
}
