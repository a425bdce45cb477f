/**
 * Generated source: deterministic and readable, constants folded, compile time, the CLI, and the
 * NESTML kernel forms (delta, exponential, alpha, ODE-form kernels, untyped spike ports).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runCompile } from "../../cli/compile.js";
import { compileModels } from "../../language/compile/index.js";
import { compileSource, Driver, neuron } from "./harness.js";

const models = ["iaf_psc_delta", "iaf_psc_exp", "iaf_psc_alpha", "parrot_neuron", "static_synapse", "stdp_synapse"];
const read = (name: string) => readFileSync(new URL(`../../runtime/models/${name}.spk`, import.meta.url), "utf8");

describe("generated source", () => {
  test.each(models)("%s: deterministic, readable, constants folded, compiles in well under 20 ms (measured)", (name) => {
    const src = read(name);
    const a = compileModels(src, `${name}.spk`);
    const b = compileModels(src, `${name}.spk`);
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(a.models[0]!.generatedSource).toBe(b.models[0]!.generatedSource);
    const code = a.models[0]!.generatedSource;
    expect(code).toMatch(/^\/\/ Spikelab/);
    expect(code).not.toMatch(/undefined|\[object/);
    expect(code.split("\n").every((l) => l.length < 400)).toBe(true);
    // unit literals are folded to kernel numbers (no conversion left at run time)
    expect(code).not.toMatch(/\b1e-3 \* 1000\b/);
    // timing: warm, then the median of a few runs
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      compileModels(src, `${name}.spk`);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    console.log(`compile ${name}: ${times[2]!.toFixed(2)} ms (median of 5, includes parse + check)`);
    expect(times[2]).toBeLessThan(200); // the goal is < 20 ms; loose here because CPUs are shared
  });

  test("iaf_psc_delta kernel: exact propagator, NEST step order, folded literals", () => {
    const code = compileModels(read("iaf_psc_delta"), "d.spk").models[0]!.generatedSource;
    expect(code).toContain("exact propagation");
    expect(code).toContain("const C_m = vec(\"C_m\", 1, 250); // pF");
    expect(code.indexOf("1. spikes arriving")).toBeLessThan(code.indexOf("3. update block"));
    expect(code.indexOf("3. update block")).toBeLessThan(code.indexOf("7. onCondition"));
    expect(code.indexOf("7. onCondition")).toBeLessThan(code.indexOf("9. continuous inputs"));
  });
});

describe("spikelab compile", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
  };
  const file = new URL("../../runtime/models/iaf_psc_exp.spk", import.meta.url).pathname;

  test("--emit js prints the kernel body; --emit ts wraps it in a module", async () => {
    const js = io();
    expect(await runCompile([file, "--emit", "js"], js.io)).toBe(0);
    expect(js.out.join("\n")).toContain("function update(origin, from, to, io)");
    const ts = io();
    expect(await runCompile([file, "--model", "iaf_psc_exp"], ts.io)).toBe(0);
    expect(ts.out.join("\n")).toContain("export function create(H: Helpers): (n: number) => NeuronPopulation {");
  });

  test("usage errors exit 2, model errors exit 1 with located diagnostics", async () => {
    const a = io();
    expect(await runCompile([], a.io)).toBe(2);
    const b = io();
    expect(await runCompile([file, "--emit", "cpp"], b.io)).toBe(2);
    const c = io();
    expect(await runCompile([file, "--model", "nope"], c.io)).toBe(2);
    const d = io();
    expect(await runCompile(["/nonexistent.spk"], d.io)).toBe(2);
    const bad = new URL("./bad-model.tmp.spk", import.meta.url).pathname;
    const { writeFileSync, unlinkSync } = await import("node:fs");
    writeFileSync(bad, "model broken_neuron:\n    state:\n        V mV = 3 pA\n");
    try {
      const e = io();
      expect(await runCompile([bad], e.io)).toBe(1);
      expect(e.err.join("\n")).toMatch(/bad-model\.tmp\.spk:3:\d+: error\[/);
    } finally {
      unlinkSync(bad);
    }
  });
});

describe("NESTML kernel forms", () => {
  const tau = 3;
  const src = `
model kernels_neuron:
    parameters:
        tau ms = ${tau} ms
        tau_m ms = 10 ms
    state:
        V mV = 0 mV
        D mV = 0 mV
        g real = 0
        g$ real = e / tau
    equations:
        kernel K_exp = exp(-t / tau)
        kernel K_delta = delta(t)
        kernel g' = g$ - g / tau, g$' = -g$ / tau
        recordable inline I_exp real = convolve(K_exp, spikes)
        recordable inline I_ode real = convolve(g, spikes)
        V' = -V / tau_m + convolve(K_exp, spikes) * mV / ms
        D' = -D / tau_m + convolve(K_delta, spikes) * mV / ms
    input:
        spikes <- spike
    update:
        integrate_odes()
`;
  const m = neuron(compileSource(src));
  test.each([0.1, 0.5])("untyped port, exp / ODE-form alpha / delta kernels are exact (dt = %s)", (dt) => {
    const d = new Driver(m, 1, dt);
    d.spike("spikes", 2, 1.5);
    let err = 0;
    d.run(Math.round(30 / dt), (s) => {
      const t = (s - 2) * dt;
      if (t < 0) return;
      // NESTML semantics: kernel state += weight × initial value (weights in 1/s cancel the s of convolve)
      err = Math.max(err, Math.abs(d.get("I_exp") - 1.5 * Math.exp(-t / tau)));
      err = Math.max(err, Math.abs(d.get("I_ode") - 1.5 * (Math.E / tau) * t * Math.exp(-t / tau)));
      const v = 1.5 * ((tau * 10) / (10 - tau)) * (Math.exp(-t / 10) - Math.exp(-t / tau));
      err = Math.max(err, Math.abs(d.get("V") - v));
      err = Math.max(err, Math.abs(d.get("D") - 1.5 * Math.exp(-t / 10)));
    });
    expect(err).toBeLessThan(1e-9);
  });
});

describe("specialization of population-uniform values", () => {
  test("prepare folds uniform parameters and propagators into update(); results equal the generic kernel", () => {
    const m = neuron(compileModels(read("iaf_psc_exp"), "e.spk").models[0]!);
    const uniform = new Driver(m, 4, 0.1, { I_e: 390 });
    expect(uniform.pop.specializedSource).toContain("0.9900498337491681"); // P22 = e^{-0.1/10} as a literal
    expect(uniform.pop.specializedSource).not.toContain("tau_m[i]");
    // a population that differs in one neuron is folded only where values agree
    const mixed = new Driver(m, 4, 0.1, { I_e: 390 });
    mixed.pop.arrays.tau_m![3] = 10.000000001;
    mixed.pop.arrays.tau_m![3] = 10; // back to uniform values, but through a different path
    mixed.pop.arrays.C_m![2] = 251;
    mixed.pop.prepare(0.1);
    expect(mixed.pop.specializedSource).toContain("C_m[i]");
    for (const d of [uniform, mixed]) d.spike("exc_spikes", 3, 80, 1);
    uniform.run(400);
    mixed.run(400);
    for (const i of [0, 1, 3]) expect(mixed.get("V_m", i)).toBe(uniform.get("V_m", i));
    expect(mixed.get("V_m", 2)).not.toBe(uniform.get("V_m", 2));
    expect(uniform.events.length).toBeGreaterThanOrEqual(4);
  });

  test("a parameter change takes effect at the next prepare", () => {
    const m = neuron(compileModels(read("iaf_psc_delta"), "d.spk").models[0]!);
    const d = new Driver(m, 2, 0.1);
    d.run(10);
    expect(d.get("V_m")).toBe(-70);
    d.pop.arrays.E_L!.fill(-60);
    d.pop.prepare(0.1);
    d.run(1);
    expect(d.get("V_m")).toBeCloseTo(-70 + 10 * (1 - Math.exp(-0.01)), 12);
  });
});

describe("compiler diagnostics", () => {
  test("constructs the compiler cannot lower become located UNSUPPORTED diagnostics, other models still compile", () => {
    const src = `
model ok_neuron:
    state:
        x real = 1
    update:
        x += 1

model multi_neuron:
    state:
        V mV = 0 mV
    input:
        spikes[2] <- spike
    update:
        V += 1 mV
`;
    const r = compileModels(src, "multi.spk");
    expect(r.models.map((m) => m.name)).toEqual(["ok_neuron"]);
    const d = r.diagnostics.filter((x) => x.severity === "error");
    expect(d.map((x) => x.code)).toEqual(["UNSUPPORTED"]);
    expect(d[0]!.message).toMatch(/vector port spikes/);
    expect(d[0]!.range.start.line).toBe(12);
  });

  test("checker errors come back as diagnostics, nothing is thrown", () => {
    const r = compileModels("model bad_neuron:\n    state:\n        V mV = 3 pA\n", "bad.spk");
    expect(r.models).toEqual([]);
    expect(r.diagnostics.some((x) => x.severity === "error" && x.code === "UNIT_MISMATCH")).toBe(true);
  });
});
