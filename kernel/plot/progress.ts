/**
 * A progress bar for long simulations and training runs that updates in place: in a notebook through the
 * kernel host (`display` once, then `update_display_data`), on a terminal as a `\r`-rewritten line on
 * stderr. Updates are throttled, so calling `update` every simulation slice costs almost nothing.
 */
import { getKernelHost } from "../host.js";

export interface ProgressOptions {
  /** The amount of work when done (e.g. simulated ms, or iterations). Must be > 0. */
  total: number;
  /** Shown before the bar, e.g. "simulate" or "training". */
  label?: string;
  /** Unit of `total`, e.g. "ms" or "iterations". */
  unit?: string;
  /** Minimum time between two visible updates (default 250 ms). */
  minIntervalMs?: number;
  /** Terminal stream (default `process.stderr`). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

let nextId = 0;

export class NotebookProgress {
  private readonly total: number;
  private readonly label: string;
  private readonly unit: string;
  private readonly minIntervalMs: number;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly displayId = `spikelab-progress-${process.pid}-${++nextId}`;
  private readonly startedAt = Date.now();
  private shownAt = -Infinity;
  private shown = false;
  private finished = false;
  private done = 0;
  private detail = "";

  constructor(options: ProgressOptions) {
    if (!(options.total > 0) || !Number.isFinite(options.total)) {
      throw new RangeError(`NotebookProgress: 'total' must be a finite number > 0, got ${options.total}`);
    }
    this.total = options.total;
    this.label = options.label ?? "progress";
    this.unit = options.unit ?? "";
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.stream = options.stream ?? process.stderr;
  }

  /** Records progress (`done` of `total`); redraws at most every `minIntervalMs`. */
  update(done: number, detail?: string): void {
    if (this.finished) return;
    this.done = Math.min(Math.max(done, 0), this.total);
    if (detail !== undefined) this.detail = detail;
    const now = Date.now();
    if (now - this.shownAt < this.minIntervalMs) return;
    this.shownAt = now;
    this.render(false);
  }

  /** Draws the final state (100 % unless `done` says otherwise) and ends the terminal line. */
  finish(detail?: string, done: number = this.total): void {
    if (this.finished) return;
    this.done = Math.min(Math.max(done, 0), this.total);
    if (detail !== undefined) this.detail = detail;
    this.render(true);
    this.finished = true;
  }

  /** The bar as one line of text (what the terminal shows, and `text/plain` in a notebook). */
  text(): string {
    const fraction = this.done / this.total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    return `${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${this.counts()} ${this.timing()}${this.detail ? ` · ${this.detail}` : ""}`;
  }

  /** The bar as HTML (a native `<progress>` element with the same text beside it). */
  html(): string {
    const pct = ((this.done / this.total) * 100).toFixed(1);
    const info = `${this.counts()} ${this.timing()}${this.detail ? ` · ${escapeHtml(this.detail)}` : ""}`;
    return (
      `<div style="font-family:monospace;font-size:12px;display:flex;gap:8px;align-items:center">` +
      `<span>${escapeHtml(this.label)}</span>` +
      `<progress value="${this.done}" max="${this.total}" style="width:240px"></progress>` +
      `<span>${pct}% ${info}</span></div>`
    );
  }

  private counts(): string {
    const u = this.unit ? ` ${this.unit}` : "";
    return `${formatNumber(this.done)}/${formatNumber(this.total)}${u}`;
  }

  private timing(): string {
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const fraction = this.done / this.total;
    if (fraction >= 1 || fraction === 0) return `[${elapsed.toFixed(1)} s]`;
    const eta = (elapsed * (1 - fraction)) / fraction;
    return `[${elapsed.toFixed(1)} s, ETA ${eta.toFixed(1)} s]`;
  }

  private render(final: boolean): void {
    const host = getKernelHost();
    if (host) {
      const bundle = { data: { "text/plain": this.text(), "text/html": this.html() }, metadata: {} };
      if (!this.shown) host.display(bundle, this.displayId);
      else host.updateDisplay(bundle, this.displayId);
      this.shown = true;
      return;
    }
    if (this.stream.isTTY) {
      this.stream.write(`\r${this.text()}\x1b[K${final ? "\n" : ""}`);
    } else if (final) {
      // Logs and CI: one line at the end instead of a stream of carriage returns.
      this.stream.write(`${this.text()}\n`);
    }
    this.shown = true;
  }
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
