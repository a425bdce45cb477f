/**
 * Executes every example notebook headlessly (nbclient from Debian's /usr/bin/python3, in the Spikelab
 * kernel) through the same runner as the main job (`scripts/run-notebooks.mjs`), then checks the executed
 * notebooks: no error output outside cells tagged `raises-exception`, Vega-Lite v5 bundles (with SVG and
 * text fallbacks) that validate against the v5 schema, and each notebook's key results.
 * The executed notebooks and their HTML stay in out/notebooks/ (the browser test renders their charts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { VEGA_LITE_MIME, VEGA_LITE_V5_SCHEMA } from "../../kernel/plot/index.js";
import { vegaLiteV5Errors } from "./vega-lite-schema.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const OUT = join(ROOT, "out/notebooks");
const NOTEBOOKS = existsSync(join(ROOT, "notebooks"))
  ? readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()
  : [];
const HAS_JUPYTER = spawnSync("/usr/bin/python3", ["-c", "import nbclient, nbconvert"]).status === 0;

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}
interface SummaryEntry {
  file: string;
  ok: boolean;
  seconds: number;
  errors: unknown[];
  failure: string | null;
}

const joinText = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

function executed(file: string): Notebook {
  return JSON.parse(readFileSync(join(OUT, file), "utf8")) as Notebook;
}

/** All text a notebook printed (stdout streams and text/plain results), for checking its key results. */
function printedText(nb: Notebook): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "stream" && o.name === "stdout") parts.push(joinText(o.text));
      else if ((o.output_type === "execute_result" || o.output_type === "display_data") && o.data?.["text/plain"] !== undefined) {
        parts.push(joinText(o.data["text/plain"] as string | string[]));
      }
    }
  }
  return parts.join("\n");
}

function vegaLiteOutputs(nb: Notebook): Array<{ cell: number; output: Output }> {
  const found: Array<{ cell: number; output: Output }> = [];
  nb.cells.forEach((cell, i) => (cell.outputs ?? []).forEach((o) => o.data?.[VEGA_LITE_MIME] !== undefined && found.push({ cell: i, output: o })));
  return found;
}

function number(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  expect(m, `expected the notebook to print ${pattern}`).not.toBeNull();
  return Number(m![1]);
}

/** What each notebook must show, read from what it printed. */
const KEY_RESULTS: Record<string, (text: string, nb: Notebook) => void> = {
  "01-first-neuron.ipynb": (text) => {
    expect(number(text, /spikes emitted: (\d+)/)).toBeGreaterThan(0);
    // Our model cell and the bundled iaf_psc_exp integrate the same equations exactly.
    expect(number(text, /largest V_m difference to the built-in iaf_psc_exp: ([\d.eE+-]+) mV/)).toBeLessThan(1e-9);
  },
  "02-brunel.ipynb": (text) => {
    const e = number(text, /mean rate E: ([\d.]+) Hz/);
    const i = number(text, /mean rate I: ([\d.]+) Hz/);
    // NEST's brunel_delta_nest fires at ≈ 31.8 Hz at full size (the notebook's default order).
    for (const r of [e, i]) {
      expect(r).toBeGreaterThan(25);
      expect(r).toBeLessThan(40);
    }
    const cv = number(text, /mean CV ISI: ([\d.]+)/);
    expect(cv).toBeGreaterThan(0);
    expect(cv).toBeLessThan(1);
    // Asynchronous: pairs of neurons are nearly uncorrelated.
    expect(Math.abs(number(text, /mean pairwise correlation: (-?[\d.]+)/))).toBeLessThan(0.05);
    expect(number(text, /simulation time: ([\d.]+) s/)).toBeGreaterThan(0);
  },
  "03-eprop-sine-wave.ipynb": (text) => {
    const first = number(text, /loss at the first iteration: ([\d.eE+-]+)/);
    const last = number(text, /loss at the last iteration: ([\d.eE+-]+)/);
    expect(last).toBeLessThan(first * 0.5);
  },
  "04-flush-events.ipynb": (text) => {
    expect(text).toMatch(/losses with and without flush events are identical: true/);
    const withFlush = number(text, /peak history entries per neuron with flush events: ([\d.]+)/);
    const without = number(text, /peak history entries per neuron without flush events: ([\d.]+)/);
    expect(withFlush).toBeLessThan(without);
  },
  "05-write-your-own-model.ipynb": (text, nb) => {
    expect(text).toMatch(/error\[[A-Z_]+\]/); // the deliberate mistake's diagnostic, as a user sees it
    expect(number(text, /adaptation slows firing: first ISI ([\d.]+) ms, last ISI ([\d.]+) ms/)).toBeGreaterThan(0);
    const m = /first ISI ([\d.]+) ms, last ISI ([\d.]+) ms/.exec(text)!;
    expect(Number(m[2])).toBeGreaterThan(Number(m[1]));
    expect(nb.cells.some((c) => c.cell_type === "code")).toBe(true);
  },
};

describe.skipIf(!HAS_JUPYTER || NOTEBOOKS.length === 0)("example notebooks execute headlessly in the Spikelab kernel", () => {
  let summary: SummaryEntry[] = [];
  let runnerOutput = "";

  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist/index.js"))) {
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    const run = spawnSync(process.execPath, [join(ROOT, "scripts/run-notebooks.mjs"), "--out", OUT], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 30 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    runnerOutput = `${run.stdout}\n${run.stderr}`;
    const file = join(OUT, "summary.json");
    if (!existsSync(file)) throw new Error(`the runner wrote no summary:\n${runnerOutput}`);
    summary = JSON.parse(readFileSync(file, "utf8")) as SummaryEntry[];
  }, 35 * 60_000);

  it("the runner prints where the results are and how to start Jupyter", () => {
    expect(runnerOutput).toMatch(/notebooks executed without errors; results in /);
    expect(runnerOutput).toMatch(/JUPYTER_PATH=.* jupyter notebook notebooks\//);
    expect(existsSync(join(OUT, "index.html"))).toBe(true);
  });

  for (const file of NOTEBOOKS) {
    describe(file, () => {
      it("runs top to bottom with no error output (except cells tagged raises-exception)", () => {
        const entry = summary.find((e) => e.file === file);
        expect(entry, `${file} missing from summary.json`).toBeDefined();
        expect(entry!.failure).toBeNull();
        expect(entry!.errors).toEqual([]);
        expect(entry!.ok).toBe(true);
        const nb = executed(file);
        expect(nb.metadata.kernelspec?.name).toBe("spikelab");
        nb.cells.forEach((cell, i) => {
          if (cell.cell_type !== "code") return;
          const tagged = (cell.metadata.tags ?? []).includes("raises-exception");
          const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
          if (tagged) expect(errors.length, `cell ${i} is tagged raises-exception but did not raise`).toBeGreaterThan(0);
          else expect(errors.map((o) => `${o.ename}: ${o.evalue}`), `cell ${i}`).toEqual([]);
        });
        // "In minutes at most" — generous, because CI shares two cores with the other test files.
        expect(entry!.seconds).toBeLessThan(8 * 60);
        expect(existsSync(join(OUT, file.replace(/\.ipynb$/, ".html")))).toBe(true);
      });

      it("shows Vega-Lite v5 charts with SVG and text fallbacks that validate against the v5 schema", () => {
        const charts = vegaLiteOutputs(executed(file));
        expect(charts.length).toBeGreaterThan(0);
        for (const { cell, output } of charts) {
          const spec = output.data![VEGA_LITE_MIME] as { $schema?: string };
          expect(typeof spec, `cell ${cell}: the spec must be a JSON object`).toBe("object");
          expect(spec.$schema).toBe(VEGA_LITE_V5_SCHEMA);
          expect(vegaLiteV5Errors(spec), `cell ${cell}`).toEqual([]);
          // nbformat stores multi-line strings as arrays of lines.
          expect(joinText(output.data!["image/svg+xml"] as string | string[] | undefined), `cell ${cell}`).toMatch(/^<svg[\s\S]*class="mark-/);
          expect(joinText(output.data!["text/plain"] as string | string[] | undefined)).toMatch(/^<Chart: /);
        }
      });

      const check = KEY_RESULTS[file];
      it.runIf(check !== undefined)("shows its key results", () => {
        const nb = executed(file);
        check!(printedText(nb), nb);
      });
    });
  }
});

// Say visibly why nothing ran (only registered when it applies, so a normal run has no skipped test).
if (!HAS_JUPYTER) {
  describe("example notebooks", () => {
    it.skip("skipped: /usr/bin/python3 has no nbclient/nbconvert (scripts/setup.sh installs them)", () => undefined);
  });
}
