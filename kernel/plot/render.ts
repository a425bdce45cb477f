/**
 * Vega-Lite → Vega → SVG in Node.
 *
 * vega's Node build has a top-level await (vega-canvas probes for the optional `canvas` package), so it
 * can never be `require()`d. The library itself must stay `require()`-able (tslab loads it with
 * require(esm)), hence vega and vega-lite are loaded only here, with a real dynamic `import()` inside an
 * async function, and only when a chart is actually rendered.
 */
import type { VegaLiteSpec } from "./spec.js";

/** A warning or error raised by vega-lite's compiler or vega's runtime while rendering. */
export interface RenderMessage {
  level: "warn" | "error" | "info";
  text: string;
}

export interface RenderOptions {
  /** Receives compiler/runtime warnings; by default they are dropped (the SVG is still produced). */
  onMessage?: (message: RenderMessage) => void;
}

type Modules = { vega: typeof import("vega"); vl: typeof import("vega-lite") };
let modules: Promise<Modules> | undefined;

function loadModules(): Promise<Modules> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({ vega, vl }));
  return modules;
}

/** A logger in the shape vega and vega-lite expect, forwarding to `onMessage`. */
function makeLogger(onMessage: ((m: RenderMessage) => void) | undefined) {
  // vega's levels: 0 none, 1 error, 2 warn, 3 info, 4 debug; the logger itself filters.
  const rank = { error: 1, warn: 2, info: 3 } as const;
  const send = (level: RenderMessage["level"]) => (...args: unknown[]) => {
    if (rank[level] <= currentLevel) onMessage?.({ level, text: args.map(String).join(" ") });
    return logger;
  };
  let currentLevel = 2;
  const logger = {
    level(l?: number): never {
      if (l === undefined) return currentLevel as never;
      currentLevel = l;
      return logger as never;
    },
    error: send("error"),
    warn: send("warn"),
    info: send("info"),
    debug: send("info"),
  };
  return logger;
}

/** Compiles a Vega-Lite spec to a Vega spec (exposed for tests and for users who want raw Vega). */
export async function compileToVega(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<object> {
  const { vl } = await loadModules();
  const logger = makeLogger(options.onMessage);
  // vega tags inline data rows with symbols as it ingests them: give it a copy so `chart.spec` stays plain.
  const copy = structuredClone(spec);
  // The local spec type is intentionally looser than vega-lite's; the schema tests keep them in step.
  return vl.compile(copy as Parameters<typeof vl.compile>[0], { logger: logger as never }).spec;
}

/** Renders a Vega-Lite spec to a standalone SVG string (no canvas or browser needed). */
export async function renderSVG(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<string> {
  const { vega } = await loadModules();
  const vegaSpec = await compileToVega(spec, options);
  const view = new vega.View(vega.parse(vegaSpec as Parameters<typeof vega.parse>[0]), {
    renderer: "none",
    logger: makeLogger(options.onMessage) as never,
  });
  try {
    return compactSVG(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * vega writes coordinates with full double precision (`translate(0.2801400700350175,235.10204081632654)`);
 * two decimals are exact to a hundredth of a pixel and make large charts about a third smaller. Only
 * geometry attributes are touched, never text, so tick labels such as 0.125 stay as they are.
 */
export function compactSVG(svg: string): string {
  return svg.replace(/ (transform|d|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g, (_m, name: string, value: string) =>
    ` ${name}="${value.replace(/(\d\.\d{2})\d+/g, "$1")}"`,
  );
}
