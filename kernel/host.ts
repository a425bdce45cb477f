/**
 * How library code running inside a notebook cell reaches the Jupyter kernel that runs it.
 *
 * The kernel installs a host object on a well-known global symbol before executing cells; library
 * functions such as `display(chart)` and progress bars look it up at call time and fall back to the
 * terminal when there is none (plain Node, tests, scripts). This keeps the library free of any
 * import of the kernel, and works whichever copy of the package a cell happens to load.
 */

/** A Jupyter MIME bundle: `{ "text/plain": ..., "image/svg+xml": ..., "application/vnd.vegalite.v5+json": {...} }`. */
export interface MimeBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface KernelHost {
  /** Sends `display_data`; with a `displayId`, later `updateDisplay` calls replace it in place. */
  display(bundle: MimeBundle, displayId?: string): void;
  /** Sends `update_display_data` for a display created with the same id. */
  updateDisplay(bundle: MimeBundle, displayId: string): void;
  /**
   * Optional (added by the kernel engineer): lets library code hand the kernel asynchronous display
   * work (e.g. a chart whose SVG renders lazily) so the cell is reported done only after it is sent.
   */
  waitFor?(work: Promise<unknown>): void;
  /** Optional: clears the cell's output (`wait`: when the next output arrives). */
  clearOutput?(wait?: boolean): void;
}

const HOST_KEY = Symbol.for("spikelab.kernelHost");

type HostGlobal = typeof globalThis & { [HOST_KEY]?: KernelHost };

export function getKernelHost(): KernelHost | undefined {
  return (globalThis as HostGlobal)[HOST_KEY];
}

export function setKernelHost(host: KernelHost | undefined): void {
  (globalThis as HostGlobal)[HOST_KEY] = host;
}
