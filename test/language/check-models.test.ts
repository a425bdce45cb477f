/**
 * Real models check clean (0 errors; warnings allowed): the bundled standard models, the parser's
 * NESTML-like fixtures, and - when NESTML_MODELS_DIR points at a directory of NESTML 8 model files
 * (models/neurons/*.nestml and models/synapses/*.nestml, kept out of this repository) - NESTML's
 * own standard library.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModels } from "../../language/check.js";
import { formatDiagnostic } from "../../language/diagnostics.js";

const repo = join(import.meta.dirname, "..", "..");

function modelFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f));
}

function expectClean(file: string): void {
  const source = readFileSync(file, "utf8");
  const { diagnostics, file: ast } = parseModels(source, file);
  const errors = diagnostics.filter((d) => d.severity === "error");
  expect(errors, errors.map((d) => formatDiagnostic(d, source)).join("\n")).toEqual([]);
  expect(ast.models.length).toBeGreaterThan(0);
}

describe("bundled models check clean", () => {
  const files = modelFiles(join(repo, "runtime", "models"), /\.spk$/);
  it("has bundled models", () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) it(f.slice(repo.length + 1), () => expectClean(f));
});

describe("NESTML-like fixtures check clean", () => {
  const files = modelFiles(join(repo, "test", "language", "fixtures", "nestml-like"), /\.(spk|nestml)$/);
  it.skipIf(files.length === 0)(`found ${files.length} fixtures`, () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) it(f.slice(repo.length + 1), () => expectClean(f));
});

const nestmlDir = process.env.NESTML_MODELS_DIR;
describe.skipIf(!nestmlDir)(`NESTML standard library (NESTML_MODELS_DIR=${nestmlDir ?? "unset: skipped"})`, () => {
  const files = nestmlDir ? modelFiles(nestmlDir, /\.nestml$/) : [];
  it("contains NESTML's 30 neurons and 10 synapses", () => {
    expect(files.filter((f) => /synapse\.nestml$/.test(f)).length).toBeGreaterThanOrEqual(10);
    expect(files.filter((f) => /neuron\.nestml$/.test(f)).length).toBeGreaterThanOrEqual(30);
  });
  for (const f of files) it(f.slice(nestmlDir!.length + 1), () => expectClean(f));
});
