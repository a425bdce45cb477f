/**
 * `display(x)`: shows a chart (or any object with `toMimeBundle()`) in the notebook that runs the
 * current cell, and prints its text form when there is no notebook (scripts, tests, a plain Node REPL).
 *
 * The kernel finds the notebook through `kernel/host.ts`; this module only builds bundles. Rendering the
 * SVG is asynchronous (vega), so `display` returns a promise: `await display(chart)` in a cell, so the
 * output is attached before the cell finishes.
 */
import { getKernelHost, type MimeBundle } from "../host.js";
import { isDisplayable } from "./chart.js";

/** The bundle for any value: a displayable's own bundle, or its text form as `text/plain`. */
export async function toMimeBundle(value: unknown): Promise<MimeBundle> {
  if (isDisplayable(value)) return value.toMimeBundle();
  return { data: { "text/plain": textOf(value) }, metadata: {} };
}

/**
 * Shows `value` in the notebook (`display_data`); with a `displayId`, a later `updateDisplay(x, id)`
 * replaces it in place. Without a kernel host, prints the text form to stdout and renders nothing.
 */
export async function display(value: unknown, displayId?: string): Promise<void> {
  const host = getKernelHost();
  if (!host) {
    console.log(plainText(value));
    return;
  }
  host.display(await toMimeBundle(value), displayId);
}

/** Replaces the output created by `display(x, displayId)` (no-op without a kernel host). */
export async function updateDisplay(value: unknown, displayId: string): Promise<void> {
  const host = getKernelHost();
  if (!host) return;
  host.updateDisplay(await toMimeBundle(value), displayId);
}

function plainText(value: unknown): string {
  if (isDisplayable(value)) {
    const s = (value as { toString(): string }).toString();
    if (s !== "[object Object]") return s;
  }
  return textOf(value);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) {
    const s = String(value);
    if (s !== "[object Object]") return s;
    try {
      return JSON.stringify(value, null, 2) ?? String(value);
    } catch {
      return s;
    }
  }
  return String(value);
}
