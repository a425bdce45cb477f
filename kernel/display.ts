/**
 * `display(value)`: turns any value into a Jupyter MIME bundle and hands it to the kernel host
 * (`kernel/host.ts`). Outside a kernel (plain Node, scripts, tests) it prints the text form.
 *
 * What becomes which bundle:
 * - a `Displayable` (`toMimeBundle()`, e.g. charts from `kernel/plot/`) sends its own bundle;
 * - an object with IPython's `_repr_mimebundle_()` sends that;
 * - a ready bundle `{ data: { "text/html": ... } }` is sent as is;
 * - a plain Vega-Lite spec (`$schema` vega-lite or a `mark`) becomes a chart bundle;
 * - anything else is `text/plain` (strings as they are, other values through `util.inspect`).
 */
import { inspect } from "node:util";
import { getKernelHost, type MimeBundle } from "./host.js";

export type { MimeBundle } from "./host.js";

/** Anything `display()` knows how to show richly. */
export interface Displayable {
  toMimeBundle(): MimeBundle | Promise<MimeBundle>;
}

export const VEGA_LITE_V5_MIME = "application/vnd.vegalite.v5+json";

export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null && typeof (x as { toMimeBundle?: unknown }).toMimeBundle === "function";
}

/** True when `value` has a rich representation of its own (so an `execute_result` shows it richly). */
export function hasRichRepresentation(value: unknown): boolean {
  return isDisplayable(value) || hasReprMimebundle(value) || isMimeBundle(value);
}

/** Looks like a Vega-Lite spec: a `$schema` naming vega-lite, or a top-level `mark`. */
export function isVegaLiteSpec(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const schema = (x as { $schema?: unknown }).$schema;
  if (typeof schema === "string") return schema.includes("vega-lite");
  return "mark" in x && ("data" in x || "encoding" in x);
}

/** Text shown for a value in `text/plain` (what Node's REPL would print, strings unquoted). */
export function plainText(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false, maxArrayLength: 100 });
}

/** The MIME bundle for a value (asynchronous because charts render their SVG fallback lazily). */
export async function toMimeBundle(value: unknown): Promise<MimeBundle> {
  return bundleOf(value);
}

/**
 * The bundle, synchronously whenever the value allows it (plain values, ready bundles, synchronous
 * `toMimeBundle()`), so a display or progress update from a cell that blocks the event loop still
 * goes out immediately; a promise only when the value's bundle is itself asynchronous.
 */
function bundleOf(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (isDisplayable(value)) return mapMaybe(value.toMimeBundle(), normalize);
  if (hasReprMimebundle(value)) {
    return mapMaybe(value._repr_mimebundle_(), (repr) => {
      if (Array.isArray(repr)) return normalize({ data: (repr[0] ?? {}) as Record<string, unknown>, metadata: (repr[1] ?? {}) as Record<string, unknown> });
      return normalize(isMimeBundle(repr) ? repr : { data: repr as Record<string, unknown> });
    });
  }
  if (isMimeBundle(value)) return normalize(value);
  if (isVegaLiteSpec(value)) return chartBundle(value);
  return { data: { "text/plain": plainText(value) }, metadata: {} };
}

function mapMaybe<T, U>(value: T | Promise<T>, f: (x: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * Shows `value` in the notebook. With a `displayId`, a later `updateDisplay(value, id)` replaces
 * it in place. Outside a kernel the text form goes to stdout. The promise resolves once the output
 * is sent (`await display(chart)` keeps outputs in order); without `await` the kernel still waits
 * for it before it reports the cell done.
 */
export function display(value: unknown, displayId?: string): Promise<void> {
  const host = getKernelHost();
  if (!host) {
    process.stdout.write(plainText(isDisplayable(value) ? textOfDisplayable(value) : value) + "\n");
    return Promise.resolve();
  }
  return deliver(host, value, (bundle) => host.display(bundle, displayId));
}

/** Replaces the output of an earlier `display(value, displayId)`. */
export function updateDisplay(value: unknown, displayId: string): Promise<void> {
  const host = getKernelHost();
  if (!host) return Promise.resolve();
  return deliver(host, value, (bundle) => host.updateDisplay(bundle, displayId));
}

/** Sends at once when the bundle is ready now; otherwise hands the pending work to the kernel. */
function deliver(host: NonNullable<ReturnType<typeof getKernelHost>>, value: unknown, send: (bundle: MimeBundle) => void): Promise<void> {
  // A value whose toMimeBundle() throws makes display() throw, right where the cell called it.
  const bundle = bundleOf(value);
  if (!(bundle instanceof Promise)) {
    send(bundle);
    return Promise.resolve();
  }
  return settle(host, bundle.then(send));
}

/** Hands the work to the kernel (so the cell waits for it); a failure nobody awaits goes to stderr. */
function settle(host: NonNullable<ReturnType<typeof getKernelHost>>, work: Promise<void>): Promise<void> {
  const reported = work.catch((e: unknown) => {
    process.stderr.write(`display failed: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  host.waitFor?.(reported);
  return work;
}

function textOfDisplayable(value: Displayable): string {
  const s = String(value);
  return s === "[object Object]" ? "<rich output>" : s;
}

function hasReprMimebundle(x: unknown): x is { _repr_mimebundle_(): unknown } {
  return typeof x === "object" && x !== null && typeof (x as { _repr_mimebundle_?: unknown })._repr_mimebundle_ === "function";
}

function isMimeBundle(x: unknown): x is MimeBundle {
  if (typeof x !== "object" || x === null) return false;
  const data = (x as { data?: unknown }).data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  return keys.length > 0 && keys.every((k) => /^[\w.+-]+\/[\w.+-]+$/.test(k));
}

function normalize(bundle: MimeBundle): MimeBundle {
  const data: Record<string, unknown> = { ...bundle.data };
  // Every bundle carries a text/plain fallback, as Jupyter recommends.
  if (!("text/plain" in data)) data["text/plain"] = "<rich output>";
  return { data, metadata: bundle.metadata ?? {} };
}

/** A chart bundle for a bare spec: the plot package's renderer when present, else the spec alone. */
async function chartBundle(spec: Record<string, unknown>): Promise<MimeBundle> {
  try {
    // Loaded lazily by path so the kernel works even while the plot package is being written.
    const plotChart = "./plot/chart.js";
    const mod = (await import(plotChart)) as { Chart?: new (spec: unknown) => Displayable };
    if (mod.Chart) return normalize(await new mod.Chart(spec).toMimeBundle());
  } catch {
    // Fall through to the spec-only bundle.
  }
  const mark = typeof spec["mark"] === "string" ? spec["mark"] : "chart";
  return { data: { [VEGA_LITE_V5_MIME]: spec, "text/plain": `<Vega-Lite ${mark} chart>` }, metadata: {} };
}
