/**
 * Every semantic check has a fixture pair: test/fixtures/invalid/<CODE>.spk declares the exact
 * diagnostics it must produce in its header (`# expect: CODE N`, `# expect-warning: CODE N`), and
 * test/fixtures/valid/<CODE>.spk must check with 0 errors (and without that warning).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModels } from "../../language/check.js";
import { CHECK_CODES } from "../../language/checker/codes.js";
import { formatDiagnostic, type Diagnostic } from "../../language/diagnostics.js";

const root = join(import.meta.dirname, "..", "fixtures");
const invalidDir = join(root, "invalid");
const validDir = join(root, "valid");
const invalid = readdirSync(invalidDir).filter((f) => f.endsWith(".spk")).sort();
const valid = readdirSync(validDir).filter((f) => f.endsWith(".spk")).sort();

interface Expectation {
  errors: Map<string, number>;
  warnings: Map<string, number>;
}

function expectations(source: string): Expectation {
  const errors = new Map<string, number>();
  const warnings = new Map<string, number>();
  for (const m of source.matchAll(/^#\s*expect(-warning)?:\s*([A-Z_]+)\s+(\d+)\s*$/gm)) {
    (m[1] ? warnings : errors).set(m[2]!, Number(m[3]));
  }
  return { errors, warnings };
}

function tally(diags: readonly Diagnostic[], severity: Diagnostic["severity"]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diags) if (d.severity === severity) out.set(d.code, (out.get(d.code) ?? 0) + 1);
  return out;
}

function show(diags: readonly Diagnostic[], source: string): string {
  return diags.map((d) => formatDiagnostic(d, source)).join("\n");
}

describe("check fixtures", () => {
  it("has a valid and an invalid fixture for every check code", () => {
    // INTERNAL_ERROR reports a checker bug, so no fixture can (or should) produce it.
    const codes = Object.keys(CHECK_CODES).filter((c) => c !== "INTERNAL_ERROR").sort();
    const names = (files: string[]) => files.map((f) => f.replace(/\.spk$/, ""));
    expect(names(invalid).filter((n) => n in CHECK_CODES).sort()).toEqual(codes);
    expect(names(valid).filter((n) => n in CHECK_CODES).sort()).toEqual(codes);
  });

  for (const file of invalid) {
    it(`invalid/${file} reports exactly the expected diagnostics`, () => {
      const source = readFileSync(join(invalidDir, file), "utf8");
      const want = expectations(source);
      expect(want.errors.size + want.warnings.size, "fixture declares its expectations").toBeGreaterThan(0);
      // Portability lints on: the FIXED_TIMESTEP fixtures are about them.
      const { diagnostics } = parseModels(source, file, { portability: true });
      const errors = tally(diagnostics, "error");
      expect(Object.fromEntries(errors), show(diagnostics, source)).toEqual(Object.fromEntries(want.errors));
      const warnings = tally(diagnostics, "warning");
      for (const [code, n] of want.warnings) expect(warnings.get(code) ?? 0, `${code} warnings\n${show(diagnostics, source)}`).toBe(n);
      for (const d of diagnostics) {
        expect(d.range.start.line).toBeGreaterThanOrEqual(1);
        expect(d.range.start.offset).toBeLessThanOrEqual(source.length);
        expect(d.message.length).toBeGreaterThan(10);
      }
    });
  }

  for (const file of valid) {
    it(`valid/${file} checks with 0 errors`, () => {
      const source = readFileSync(join(validDir, file), "utf8");
      // Portability lints on: the FIXED_TIMESTEP fixtures are about them.
      const { diagnostics } = parseModels(source, file, { portability: true });
      const errors = diagnostics.filter((d) => d.severity === "error");
      expect(errors, show(errors, source)).toEqual([]);
      const code = file.replace(/\.spk$/, "");
      const sameCode = diagnostics.filter((d) => d.code === code);
      expect(sameCode, show(sameCode, source)).toEqual([]);
    });
  }
});

describe("portability lints", () => {
  const source = "model m:\n    parameters:\n        t_ref ms = 2 ms\n    internals:\n        n integer = steps(t_ref)\n";
  it("are off by default (Spikelab always runs on a fixed grid)", () => {
    expect(parseModels(source, "m.spk").diagnostics.map((d) => d.code)).not.toContain("FIXED_TIMESTEP");
  });
  it("are reported on request", () => {
    expect(parseModels(source, "m.spk", { portability: true }).diagnostics.map((d) => d.code)).toContain("FIXED_TIMESTEP");
  });
});
