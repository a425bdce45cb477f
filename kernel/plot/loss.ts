/** Training loss per iteration. */
import { Chart } from "./chart.js";
import { roundSignificant, type NumericArray } from "./data.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, makeTitle, type ChartOptions, type DataRow } from "./spec.js";

export interface LossPoint {
  iteration: number;
  loss: number;
}

export interface LossOptions extends ChartOptions {
  /** y scale: `"auto"` (default) is logarithmic when the positive losses span more than a decade. */
  scale?: "auto" | "linear" | "log";
  /** Draw points as well as the line (default: only for ≤ 50 iterations). */
  points?: boolean;
}

/** A loss curve from an array of losses (iteration = index) or from `{ iteration, loss }` records. */
export function lossCurve(losses: NumericArray | readonly LossPoint[], options: LossOptions = {}): Chart {
  const points: LossPoint[] = isPointArray(losses)
    ? losses.map((p) => ({ iteration: p.iteration, loss: p.loss }))
    : Array.from({ length: losses.length }, (_, i) => ({ iteration: i, loss: losses[i]! }));
  const finite = points.filter((p) => Number.isFinite(p.loss));
  const values: DataRow[] = finite.map((p) => ({ iteration: p.iteration, loss: roundSignificant(p.loss, 8) }));

  const positive = finite.every((p) => p.loss > 0);
  let min = Infinity;
  let max = -Infinity;
  for (const p of finite) {
    min = Math.min(min, p.loss);
    max = Math.max(max, p.loss);
  }
  const log = options.scale === "log" || (options.scale !== "linear" && positive && finite.length > 1 && max / min > 10);

  const notes: string[] = [];
  if (finite.length > 0) {
    const first = finite[0]!.loss;
    const last = finite[finite.length - 1]!.loss;
    notes.push(`${finite.length} iterations, loss ${fmt(first)} → ${fmt(last)}`);
  }
  if (finite.length < points.length) notes.push(`${points.length - finite.length} non-finite losses omitted`);

  const title = options.title ?? "Training loss";
  const showPoints = options.points ?? finite.length <= 50;
  return new Chart(
    {
      title: makeTitle(title, notes),
      width: options.width ?? DEFAULT_WIDTH,
      height: options.height ?? DEFAULT_HEIGHT,
      data: { values },
      mark: { type: "line", point: showPoints, color: "#1f77b4", strokeWidth: 1.5 },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration", scale: { nice: false }, axis: { tickMinStep: 1, format: "d" } },
        y: {
          field: "loss",
          type: "quantitative",
          title: "loss",
          scale: log ? { type: "log", nice: false } : { zero: false },
        },
      },
    },
    `${title}: ${notes.join("; ") || "no losses"}`,
  );
}

function isPointArray(x: NumericArray | readonly LossPoint[]): x is readonly LossPoint[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === "object" && x[0] !== null;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3);
}
