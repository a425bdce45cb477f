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
