import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCompile } from "../../cli/compile.js";

// QA findings on `spikelab compile`: `--emit` without a value said "no FILE given", and several
// diagnostics ran together without the blank line `spikelab check` puts between them.
const dir = mkdtempSync(path.join(tmpdir(), "spikelab-cli-compile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
}

describe("spikelab compile usage", () => {
  const good = path.join(dir, "good.spk");
  writeFileSync(good, "model g_neuron:\n    state:\n        V_m mV = 0 mV\n    update:\n        V_m += 1 mV\n");

  test.each([
    [["--emit"], "--emit needs a value (ts or js)"],
    [["FILE", "--emit"], "--emit needs a value (ts or js)"],
    [["FILE", "--model"], "--model needs a value (a model name)"],
    [["--emit", "--model", "x", "FILE"], "--emit needs a value (ts or js)"],
  ])("%j is a usage error that names the option", async (args, message) => {
    const c = capture();
    expect(await runCompile(args.map((a) => (a === "FILE" ? good : a)), c.io)).toBe(2);
    expect(c.err[0]).toContain(`spikelab compile: ${message}`);
    expect(c.out).toEqual([]);
  });

  test("option values still work in both spellings", async () => {
    for (const args of [[good, "--emit", "js"], [good, "--emit=js"], ["--model", "g_neuron", good, "--emit", "js"]]) {
      const c = capture();
      expect(await runCompile(args, c.io)).toBe(0);
      expect(c.out.join("\n")).toContain("function update(origin, from, to, io)");
    }
  });

  test("several diagnostics are separated by a blank line, as in spikelab check", async () => {
    const bad = path.join(dir, "bad.spk");
    writeFileSync(bad, "model b_neuron:\n    state:\n        V_m mV = 1 pA\n        w pA = 2 mV\n");
    const c = capture();
    expect(await runCompile([bad], c.io)).toBe(1);
    const text = c.err.join("");
    expect(text).toMatch(/bad\.spk:3:18: error\[UNIT_MISMATCH\][^]*to get mV\n\n\S*bad\.spk:4:16: error\[UNIT_MISMATCH\]/);
  });
});

describe("spikelab compile --emit ts with several models", () => {
  // QA: a file with two models printed two modules back to back (two `export function create`, two
  // import headers), which is not a valid TypeScript module.
  test("prints one module with one create_<model>(H) per model and one import header", async () => {
    const two = path.join(dir, "two.spk");
    writeFileSync(two, [
      "model a_neuron:", "    state:", "        V_m mV = 0 mV", "    update:", "        V_m += 1 mV", "",
      "model b_synapse:", "    state:", "        w real = 1", "    input:", "        pre_spikes <- spike", "    output:", "        spike",
      "    onReceive(pre_spikes):", "        emit_spike(w)", "",
    ].join("\n"));
    const c = capture();
    expect(await runCompile([two], c.io)).toBe(0);
    const out = c.out.join("\n");
    expect(out.match(/^export function \w+/gm)).toEqual(["export function create_a_neuron", "export function create_b_synapse"]);
    expect(out.match(/^import type .*model-abi";$/gm)).toEqual(['import type { NeuronPopulation, SynapsePopulation } from "spikelab/runtime/model-abi";']);
    expect(out).toContain("export function create_b_synapse(H: Helpers): (count: number) => SynapsePopulation {");
    const ts = await import("typescript");
    const transpiled = ts.transpileModule(out, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
    expect(transpiled.diagnostics ?? []).toEqual([]);
    // --model still prints the single-model form
    const one = capture();
    expect(await runCompile([two, "--model", "a_neuron"], one.io)).toBe(0);
    expect(one.out.join("\n")).toContain("export function create(H: Helpers): (n: number) => NeuronPopulation {");
  });
});
