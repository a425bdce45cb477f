/**
 * Chart helpers: every spec compiles with vega-lite without warnings, renders to SVG in Node with marks
 * in it, and validates against the Vega-Lite v5 JSON schema; plus the behaviour each helper promises
 * (downsampling notes, diverging colour scale, density normalisation, display and progress plumbing).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import * as vl from "vega-lite";
import { setKernelHost, type KernelHost, type MimeBundle } from "../../kernel/host.js";
import {
  Chart,
  NotebookProgress,
  VEGA_LITE_MIME,
  VEGA_LITE_V5_SCHEMA,
  display,
  distributions,
  historyMemory,
  kernelDensity,
  lines,
  lossCurve,
  spikeRaster,
  traces,
  weightMatrix,
  type VegaLiteSpec,
} from "../../kernel/plot/index.js";
import { vegaLiteV5Errors } from "./vega-lite-schema.js";

/** A deterministic pseudo-random stream (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function poissonRaster(neurons: number, rateHz: number, durationMs: number, seed = 1) {
  const rand = lcg(seed);
  const senders: number[] = [];
  const times: number[] = [];
  for (let n = 1; n <= neurons; n++) {
    for (let t = -Math.log(1 - rand()) * (1000 / rateHz); t < durationMs; t += -Math.log(1 - rand()) * (1000 / rateHz)) {
      senders.push(n);
      times.push(Math.round(t * 10) / 10);
    }
  }
  return { senders: Float64Array.from(senders), times: Float64Array.from(times) };
}

/** Two neurons' membrane traces with a threshold reset, interleaved like multimeter events. */
function multimeterEvents() {
  const times: number[] = [];
  const senders: number[] = [];
  const V_m: number[] = [];
  const I_syn: number[] = [];
  const v = [-70, -70];
  for (let step = 1; step <= 1000; step++) {
    for (let n = 0; n < 2; n++) {
      v[n]! += (n + 1) * 0.05;
      if (v[n]! > -55) v[n] = -70;
      times.push(step * 0.1);
      senders.push(n + 1);
      V_m.push(v[n]!);
      I_syn.push(Math.sin(step / 50) * 100);
    }
  }
  return { times: Float64Array.from(times), senders: Int32Array.from(senders), V_m: Float64Array.from(V_m), I_syn: Float64Array.from(I_syn) };
}

const raster = poissonRaster(60, 20, 500);
const smallRaster = poissonRaster(5, 20, 500, 2);
const mm = multimeterEvents();
const rand = lcg(7);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

const helpers: Array<[string, () => Chart, string]> = [
  ["spikeRaster", () => spikeRaster(raster), "mark-symbol"],
  ["spikeRaster with E/I groups", () => spikeRaster(raster, { groups: [{ name: "E", ids: [1, 2, 3, 4, 5] }, { name: "I", ids: [6, 7] }] }), "mark-symbol"],
  ["spikeRaster of a few neurons (one row each)", () => spikeRaster(smallRaster, { groups: [{ name: "E", ids: [1, 2, 3] }, { name: "I", ids: [4, 5] }] }), "mark-rect"],
  ["traces (one recordable)", () => traces(mm, { recordables: ["V_m"], spikes: { times: [10, 20] } }), "mark-line"],
  ["traces (facet per recordable)", () => traces(mm), "mark-line"],
  ["traces (overlay)", () => traces(mm, { layout: "overlay", senders: [1] }), "mark-line"],
  ["lossCurve", () => lossCurve(Array.from({ length: 100 }, (_, i) => 5 * Math.exp(-i / 20) + 0.01)), "mark-line"],
  ["lossCurve from records", () => lossCurve([{ iteration: 0, loss: 1 }, { iteration: 5, loss: 0.5 }]), "mark-line"],
  ["weightMatrix", () => weightMatrix(Array.from({ length: 20 }, (_, r) => Array.from({ length: 30 }, (_, c) => Math.sin(r * 31 + c)))), "mark-rect"],
  ["distributions (violin)", () => distributions({ E: Array.from({ length: 500 }, () => 30 + 5 * gaussian()), I: Array.from({ length: 100 }, () => 35 + 8 * gaussian()) }, { valueTitle: "firing rate (Hz)" }), "mark-area"],
  ["distributions (box)", () => distributions({ E: Array.from({ length: 500 }, () => 0.9 + 0.1 * gaussian()) }, { kind: "box", valueTitle: "CV ISI" }), "mark-rect"],
  ["historyMemory", () => historyMemory({ "with flush events": { times: [0, 100, 200, 300], values: [5, 10, 10, 10] }, "without flush events": { times: [0, 100, 200, 300], values: [5, 10, 20, 30] } }), "mark-line"],
  ["lines", () => lines({ readout: { x: [0, 1, 2], y: [0, 1, 0] }, target: { x: [0, 1, 2], y: [0, 0.8, 0.1] } }, { dashed: ["target"] }), "mark-line"],
  ["Chart.concat", () => Chart.concat([lossCurve([3, 2, 1]), weightMatrix([[1, -1]])], "horizontal", "Before and after"), "mark-rect"],
];

describe("chart helpers produce valid Vega-Lite v5 that renders in Node", () => {
  for (const [name, make, markClass] of helpers) {
    it(name, async () => {
      const chart = make();
      expect(chart.spec.$schema).toBe(VEGA_LITE_V5_SCHEMA);

      const warnings: string[] = [];
      const logger = {
        level: () => logger,
        warn: (...a: unknown[]) => (warnings.push(a.join(" ")), logger),
        info: () => logger,
        debug: () => logger,
        error: (...a: unknown[]) => (warnings.push(`error: ${a.join(" ")}`), logger),
      };
      const compiled = vl.compile(chart.spec as vl.TopLevelSpec, { logger: logger as never });
      expect(warnings).toEqual([]);
      expect(compiled.spec.marks?.length ?? 0).toBeGreaterThan(0);

      const messages: string[] = [];
      const svg = await chart.toSVG({ onMessage: (m) => messages.push(`${m.level}: ${m.text}`) });
      expect(messages).toEqual([]);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain(markClass);
      // The geometry of at least one mark is drawn (non-empty path data).
      expect(svg).toMatch(/<path[^>]* d="M[^"]+"/);

      expect(vegaLiteV5Errors(chart.spec)).toEqual([]);
      // The first test also loads vega, vega-lite and the 1.8 MB schema: slow on a busy CI machine.
    }, 180_000);
  }

  it("the schema check really rejects invalid specs", () => {
    expect(vegaLiteV5Errors({ $schema: VEGA_LITE_V5_SCHEMA, mark: "not-a-mark", data: { values: [] } })).not.toEqual([]);
    expect(vegaLiteV5Errors({ mark: "point", encoding: { x: { field: "a", type: "quantitive" } } })).not.toEqual([]);
  });
});

describe("what each helper shows", () => {
  it("spikeRaster keeps whole spike trains of every k-th neuron above the cap, and says so", () => {
    const big = poissonRaster(200, 50, 1000, 3);
    const chart = spikeRaster(big, { maxPoints: 2000 });
    const rows = (chart.spec.data as { values: Array<{ t: number; n: number }> }).values;
    expect(rows.length).toBeLessThanOrEqual(2000);
    const shownIds = new Set(rows.map((r) => r.n));
    // Each shown neuron has exactly as many spikes as in the input: no spikes were thinned out.
    for (const id of shownIds) {
      const expected = big.senders.filter((s) => s === id).length;
      expect(rows.filter((r) => r.n === id).length).toBe(expected);
    }
    const title = chart.spec.title as { subtitle: string[] };
    expect(title.subtitle.join(" ")).toMatch(/showing [\d,]+ spikes of every \d+\w\w neuron \(cap 2,000 points\)/);
    expect(chart.description).toContain(`${big.times.length.toLocaleString("en-US")} spikes from 200 neurons`);
  });

  it("spikeRaster gives a few neurons one labelled row each, and colours only the groups present", () => {
    const chart = spikeRaster(smallRaster, { groups: [{ name: "E", ids: [1, 2, 3, 4, 5] }] });
    const enc = chart.spec.encoding as { y: { type: string }; color: { scale: { domain: string[] } } };
    expect(enc.y.type).toBe("ordinal");
    expect(enc.color.scale.domain).toEqual(["E"]);
    expect((spikeRaster(raster).spec.encoding as { y: { type: string } }).y.type).toBe("quantitative");
  });

  it("spikeRaster honours the time window and rejects mismatched arrays", () => {
    const chart = spikeRaster(raster, { timeRange: [100, 200] });
    const rows = (chart.spec.data as { values: Array<{ t: number }> }).values;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.t >= 100 && r.t < 200)).toBe(true);
    expect(() => spikeRaster({ senders: [1, 2], times: [1] })).toThrow(/'senders' has 2 entries but 'times' has 1/);
  });

  it("helpers take a recorder itself (anything with get(\"events\")) and reject what is not events", () => {
    const recorder = { get: (name: "events") => (name === "events" ? raster : undefined) };
    expect(spikeRaster(recorder).description).toBe(spikeRaster(raster).description);
    const multimeter = { get: () => mm };
    expect(traces(multimeter).description).toBe(traces(mm).description);
    expect(() => spikeRaster({ get: () => ({ senders: [1] }) })).toThrow(/spikeRaster: the events have no numeric array 'times'/);
    expect(() => spikeRaster(42 as never)).toThrow(TypeError);
  });

  it("traces decimate long series but keep every peak", () => {
    const n = 100_000;
    const times = Float64Array.from({ length: n }, (_, i) => i * 0.1);
    const V_m = Float64Array.from({ length: n }, (_, i) => (i % 997 === 0 ? 20 : -70 + (i % 997) * 0.01));
    const chart = traces({ times, V_m }, { maxPoints: 3000 });
    const rows = (chart.spec.data as { values: Array<{ t: number; v: number }> }).values;
    expect(rows.length).toBeLessThanOrEqual(3100);
    const peaks = rows.filter((r) => r.v === 20).length;
    expect(peaks).toBe(Math.ceil(n / 997));
    expect(JSON.stringify(chart.spec.title)).toContain("samples shown");
    expect(() => traces({ times, V_m: [1, 2] })).toThrow(/'V_m' has 2 entries/);
    expect(() => traces({ times }, {})).toThrow(/no recordable/);
  });

  it("weightMatrix uses a diverging scale symmetric around 0 and block-averages big matrices", () => {
    const chart = weightMatrix({ data: Float64Array.from([1, -3, 0, 2]), rows: 2, cols: 2 });
    const color = (chart.spec.encoding as { color: { scale: { domain: number[]; scheme: string } } }).color;
    expect(color.scale.domain).toEqual([-3, 3]);
    expect(color.scale.scheme).toBe("redblue");
    const big = weightMatrix({ data: new Float64Array(400 * 400).fill(0.5), rows: 400, cols: 400 }, { maxCells: 10_000 });
    const rows = (big.spec.data as { values: Array<{ w: number }> }).values;
    expect(rows.length).toBeLessThanOrEqual(10_000);
    expect(rows.every((r) => r.w === 0.5)).toBe(true);
    expect(big.description).toContain("averaged in 4 × 4 blocks");
    expect(() => weightMatrix({ data: new Float64Array(5), rows: 2, cols: 2 })).toThrow(/rows × cols = 2 × 2/);
  });

  it("kernelDensity integrates to 1 and handles constant groups", () => {
    const values = Array.from({ length: 2000 }, () => gaussian()).sort((a, b) => a - b);
    const kde = kernelDensity(values);
    let area = 0;
    for (let k = 1; k < kde.length; k++) area += ((kde[k]![1] + kde[k - 1]![1]) / 2) * (kde[k]![0] - kde[k - 1]![0]);
    expect(area).toBeGreaterThan(0.95);
    expect(area).toBeLessThan(1.01);
    const flat = kernelDensity([3, 3, 3]);
    expect(flat.every(([x, d]) => Number.isFinite(x) && Number.isFinite(d))).toBe(true);
  });

  it("kernelDensity does not turn quantized data (spike counts / duration) into a comb", () => {
    const rates = Array.from({ length: 5000 }, () => Math.round((32 + 1.5 * gaussian()) / 1.25) * 1.25).sort((a, b) => a - b);
    const kde = kernelDensity(rates);
    let peaks = 0;
    for (let k = 1; k < kde.length - 1; k++) if (kde[k]![1] > kde[k - 1]![1] && kde[k]![1] > kde[k + 1]![1]) peaks++;
    expect(peaks).toBeLessThanOrEqual(2);
  });

  it("spikeRaster draws sparse ids (two populations far apart) by rank", () => {
    const senders = [...Array.from({ length: 300 }, (_, i) => 1 + (i % 50)), ...Array.from({ length: 300 }, (_, i) => 10001 + (i % 50))];
    const times = senders.map((_, i) => i);
    const chart = spikeRaster({ senders, times });
    expect((chart.spec.encoding as { y: { field: string } }).y.field).toBe("r");
    const rows = (chart.spec.data as { values: Array<{ n: number; r: number }> }).values;
    expect(rows.find((row) => row.n === 10001)!.r).toBe(50);
  });

  it("distributions leave out NaN values and count them", () => {
    const chart = distributions({ CV: [0.5, 1, Number.NaN, 1.5] }, { valueTitle: "CV ISI" });
    expect(chart.description).toContain("CV: n=3, median 1");
    expect(chart.description).toContain("1 undefined (NaN) values omitted");
  });

  it("lossCurve switches to a log scale when the loss spans decades", () => {
    const falling = lossCurve([100, 10, 1, 0.1]);
    const y = (c: Chart) => (c.spec.encoding as { y: { scale: { type?: string } } }).y.scale.type;
    expect(y(falling)).toBe("log");
    expect(y(lossCurve([1, 0.9, 0.8]))).toBeUndefined();
    expect(falling.description).toContain("loss 100.0 → 0.1000");
  });
});

describe("display bundles", () => {
  afterEach(() => setKernelHost(undefined));

  it("toMimeBundle carries the v5 Vega-Lite object, an SVG and text", async () => {
    const bundle = await lossCurve([3, 2, 1]).toMimeBundle();
    const spec = bundle.data[VEGA_LITE_MIME] as VegaLiteSpec;
    expect(typeof spec).toBe("object");
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    expect(String(bundle.data["image/svg+xml"])).toMatch(/^<svg[\s\S]*class="mark-line/);
    expect(bundle.data["text/plain"]).toBe("<Chart: Training loss: 3 iterations, loss 3.000 → 1.000>");
    expect(JSON.parse(JSON.stringify(lossCurve([3, 2, 1])))).toEqual(spec);
  });

  it("display() sends the bundle to the kernel host (which can wait for it), or prints text without one", async () => {
    const sent: Array<{ bundle: MimeBundle; id: string | undefined }> = [];
    const pending: Array<Promise<unknown>> = [];
    const host: KernelHost = {
      display: (bundle, id) => void sent.push({ bundle, id }),
      updateDisplay: () => undefined,
      waitFor: (work) => void pending.push(work),
    };
    setKernelHost(host);
    // Not awaited, as a user may write it: the kernel host is handed the work to wait for.
    void display(lossCurve([2, 1]), "loss");
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.id).toBe("loss");
    expect(Object.keys(sent[0]!.bundle.data).sort()).toEqual([VEGA_LITE_MIME, "image/svg+xml", "text/plain"].sort());
    await display("plain words");
    expect(sent[1]!.bundle.data["text/plain"]).toBe("plain words");

    setKernelHost(undefined);
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const log = console.log;
    process.stdout.write = ((s: string) => (printed.push(String(s)), true)) as typeof process.stdout.write;
    console.log = (...a: unknown[]) => void printed.push(`${a.join(" ")}\n`);
    try {
      await display(lossCurve([2, 1]));
    } finally {
      process.stdout.write = write;
      console.log = log;
    }
    expect(printed.join("")).toBe("<Chart: Training loss: 2 iterations, loss 2.000 → 1.000>\n");
  });
});

describe("NotebookProgress", () => {
  afterEach(() => setKernelHost(undefined));

  it("displays once, then updates the same display in place, throttled", () => {
    const calls: Array<{ kind: string; id: string | undefined; text: string }> = [];
    setKernelHost({
      display: (b, id) => calls.push({ kind: "display", id, text: String(b.data["text/plain"]) }),
      updateDisplay: (b, id) => calls.push({ kind: "update", id, text: String(b.data["text/plain"]) }),
    });
    const bar = new NotebookProgress({ total: 1000, label: "simulate", unit: "ms", minIntervalMs: 60_000 });
    for (let t = 0; t <= 1000; t += 10) bar.update(t);
    bar.finish();
    expect(calls.map((c) => c.kind)).toEqual(["display", "update"]);
    expect(calls[0]!.id).toBe(calls[1]!.id);
    expect(calls[0]!.text).toMatch(/^simulate .* 0% 0\/1000 ms/);
    expect(calls[1]!.text).toMatch(/^simulate █{30} 100% 1000\/1000 ms/);
  });

  it("writes one final line to a non-terminal stream, and \\r updates to a terminal", () => {
    const out: string[] = [];
    const pipe = { isTTY: false, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream;
    const bar = new NotebookProgress({ total: 10, label: "train", stream: pipe, minIntervalMs: 0 });
    for (let i = 0; i <= 10; i++) bar.update(i);
    bar.finish("loss 0.1");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^train █{30} 100% 10\/10 .*· loss 0.1\n$/);

    const tty: string[] = [];
    const term = { isTTY: true, write: (s: string) => (tty.push(s), true) } as unknown as NodeJS.WritableStream;
    const bar2 = new NotebookProgress({ total: 4, stream: term, minIntervalMs: 0 });
    bar2.update(2);
    bar2.finish();
    expect(tty.length).toBe(2);
    expect(tty.every((s) => s.startsWith("\r"))).toBe(true);
    expect(tty[1]!.endsWith("\n")).toBe(true);
    expect(() => new NotebookProgress({ total: 0 })).toThrow(/'total' must be a finite number > 0/);
  });
});

describe("the plot module stays require()-able", () => {
  it("never imports vega or vega-lite statically (they have a top-level await)", () => {
    const dir = new URL("../../kernel/plot/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(new URL(file, dir), "utf8");
      const staticImports = source.match(/^import\s+(?!type\b)[^;]*from\s+["']vega(-lite)?["']/gm) ?? [];
      expect(staticImports, file).toEqual([]);
    }
  });

  const built = new URL("../../dist/kernel/plot/index.js", import.meta.url).pathname;
  it.skipIf(!existsSync(built))("the built module loads with require() and still renders SVG (vega imported on demand)", () => {
    const script = `const plot = require(${JSON.stringify(built)});
      plot.lossCurve([3, 2, 1]).toSVG().then((svg) => console.log(svg.startsWith("<svg") ? "rendered" : "empty"));`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).not.toMatch(/ERR_REQUIRE_ASYNC_MODULE/);
    expect(run.stdout.trim()).toBe("rendered");
  });
});
