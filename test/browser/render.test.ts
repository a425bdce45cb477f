/**
 * The Vega-Lite specs from the executed notebooks (or, before the notebooks have been run, from the chart
 * helpers) render in a real browser: headless Chromium with vega-embed served from node_modules on
 * 127.0.0.1. Asserts one `<svg class="marks">` per spec, the success title, and no console errors; keeps
 * a screenshot in test/artifacts/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distributions, lossCurve, spikeRaster, traces, weightMatrix, VEGA_LITE_MIME } from "../../kernel/plot/index.js";
import { CHROMIUM, inspectDom, renderPage, runChromium, startServer } from "./harness.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const EXECUTED = join(ROOT, "out/notebooks");
const ARTIFACTS = join(ROOT, "test/artifacts");

interface NotebookSpec {
  source: string;
  spec: unknown;
}

/** Every Vega-Lite v5 output of the executed notebooks in out/notebooks/. */
function specsFromExecutedNotebooks(): NotebookSpec[] {
  if (!existsSync(EXECUTED)) return [];
  const found: NotebookSpec[] = [];
  for (const file of readdirSync(EXECUTED).filter((f) => f.endsWith(".ipynb")).sort()) {
    let nb: { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }> };
    try {
      nb = JSON.parse(readFileSync(join(EXECUTED, file), "utf8")) as typeof nb;
    } catch {
      continue; // being rewritten by the execution test right now; the others still count
    }
    nb.cells.forEach((cell, c) =>
      (cell.outputs ?? []).forEach((out) => {
        const spec = out.data?.[VEGA_LITE_MIME];
        if (spec && typeof spec === "object") found.push({ source: `${file} cell ${c}`, spec });
      }),
    );
  }
  return found;
}

function specsFromHelpers(): NotebookSpec[] {
  const senders = Array.from({ length: 600 }, (_, i) => 1 + (i % 30));
  const times = Array.from({ length: 600 }, (_, i) => (i * 7.3) % 500);
  const t = Array.from({ length: 500 }, (_, i) => (i + 1) * 0.1);
  const V_m = t.map((x) => -70 + 15 * ((x * 0.37) % 1));
  return [
    { source: "spikeRaster", spec: spikeRaster({ senders, times }).spec },
    { source: "traces", spec: traces({ times: t, V_m }).spec },
    { source: "lossCurve", spec: lossCurve([4, 2, 1, 0.5, 0.3]).spec },
    { source: "weightMatrix", spec: weightMatrix([[1, -0.5, 0], [0.2, 0.8, -1]]).spec },
    { source: "distributions", spec: distributions({ E: [1, 2, 2.5, 3, 4], I: [5, 6, 6.5, 8] }, { valueTitle: "rate (Hz)" }).spec },
  ];
}

const fromNotebooks = specsFromExecutedNotebooks();
const specs = fromNotebooks.length > 0 ? fromNotebooks : specsFromHelpers();
const origin = fromNotebooks.length > 0 ? `${specs.length} specs from executed notebooks in out/notebooks/` : `${specs.length} specs from the chart helpers (no executed notebooks in out/notebooks/ yet)`;

describe.skipIf(!CHROMIUM)(`Vega-Lite specs render in headless Chromium (${origin})`, () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await startServer(renderPage(specs.map((s) => s.spec))));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("every spec becomes an SVG with no console errors", async () => {
    const dom = await runChromium(url, ["--dump-dom"]);
    const page = inspectDom(dom);
    expect(page.errors).toBe("");
    expect(page.title).toBe(`rendered ${specs.length}`);
    expect(page.svgCount).toBe(specs.length);
  }, 120_000);

  it("keeps a screenshot of the first chart as a test artifact", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "chart-0.png");
    await runChromium(`${url}?only=0`, ["--window-size=800,480", `--screenshot=${file}`]);
    expect(existsSync(file)).toBe(true);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // A blank page compresses to a few kB; a rendered chart is larger.
    expect(statSync(file).size).toBeGreaterThan(8_000);
  }, 120_000);
});

describe.skipIf(!CHROMIUM)("the browser check itself", () => {
  it("notices a spec that fails to render", async () => {
    const { server, url } = await startServer(renderPage([{ mark: "no-such-mark", data: { values: [{ a: 1 }] } }]));
    try {
      const page = inspectDom(await runChromium(url, ["--dump-dom"]));
      expect(page.title).not.toMatch(/^rendered/);
      expect(page.errors).not.toBe("");
    } finally {
      server.close();
    }
  }, 120_000);
});

// Say visibly why nothing ran (only registered when it applies, so a normal run has no skipped test).
if (!CHROMIUM) {
  describe("browser rendering", () => {
    it.skip("skipped: chromium is not installed (.ci/run installs it; `apt-get install chromium`)", () => undefined);
  });
}
