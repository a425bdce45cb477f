/**
 * NESTML compatibility of the parser.
 *
 * - Always: our own NESTML-style fixtures (test/language/fixtures/nestml-like/, written for this
 *   project) parse with no diagnostics and produce the expected model shapes.
 * - When `NESTML_MODELS_DIR` points at a directory of NESTML model files (e.g. NESTML's
 *   models/neurons and models/synapses copied out of a checkout; they are GPL and not part of this
 *   repository), every `.nestml` file in it (recursively) must parse with no syntax errors.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as A from "../../language/ast.js";
import { parse } from "../../language/parse.js";

const fixturesDir = new URL("./fixtures/nestml-like/", import.meta.url);

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, ext));
    else if (entry.endsWith(ext)) out.push(path);
  }
  return out;
}

function parseClean(path: string): A.SourceFile {
  const r = parse(readFileSync(path), path);
  expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`)).toEqual([]);
  return r.file;
}

function blockKinds(m: A.ModelDecl): string[] {
  return m.blocks.map((b) => (b.kind === "VariableBlock" ? b.blockKind : b.kind));
}

function walkExpressions(node: unknown, visit: (e: A.Expression) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkExpressions(n, visit));
  else if (node && typeof node === "object") {
    const o = node as { kind?: string };
    if (["Binary", "Unary", "Ternary", "Call", "VariableRef", "NumberLiteral", "StringLiteral", "Paren", "InfLiteral", "BooleanLiteral"].includes(o.kind ?? "")) {
      visit(o as A.Expression);
    }
    Object.values(o).forEach((v) => walkExpressions(v, visit));
  }
}

function callees(m: A.ModelDecl): Set<string> {
  const names = new Set<string>();
  walkExpressions(m, (e) => {
    if (e.kind === "Call") names.add(e.callee.name);
  });
  return names;
}

describe("NESTML-like fixtures (ours)", () => {
  const dir = fixturesDir.pathname;
  const files = filesUnder(dir, ".spk");

  it("has the fixture set", () => {
    expect(files.map((f) => f.slice(dir.length))).toEqual([
      "adex_cond.spk",
      "alpha_psc_kernels.spk",
      "hh_gating.spk",
      "izhikevich_direct.spk",
      "stdp_pair.spk",
      "vectors_and_misc.spk",
    ]);
  });

  it("adex: exp/min inline expressions, kernels with convolve, guards, doc comment", () => {
    const [m] = parseClean(join(dir, "adex_cond.spk")).models;
    expect(m!.doc).toMatch(/^adex_cond - adaptive exponential/);
    expect(blockKinds(m!)).toEqual(["state", "EquationsBlock", "parameters", "InputBlock", "OutputBlock", "UpdateBlock", "OnConditionBlock"]);
    expect([...callees(m!)]).toEqual(expect.arrayContaining(["min", "exp", "convolve", "integrate_odes", "emit_spike"]));
    const eq = m!.blocks[1] as A.EquationsBlock;
    expect(eq.items.filter((i) => i.kind === "KernelDecl")).toHaveLength(2);
    expect(eq.items.filter((i) => i.kind === "InlineDecl" && i.recordable)).toHaveLength(2);
  });

  it("hh: many gating ODEs, second-order ODEs with derivative initial values, onReceive", () => {
    const [m] = parseClean(join(dir, "hh_gating.spk")).models;
    const eq = m!.blocks.find((b): b is A.EquationsBlock => b.kind === "EquationsBlock")!;
    const odes = eq.items.filter((i): i is A.OdeEquation => i.kind === "OdeEquation");
    expect(odes.map((o) => `${o.lhs.name}${"'".repeat(o.lhs.order)}`)).toEqual(["m'", "h'", "n'", "I_ex''", "I_in''", "V_m'"]);
    const state = m!.blocks[0] as A.VariableBlock;
    expect(state.declarations.filter((d) => d.names[0]!.order === 1).map((d) => d.names[0]!.name.name)).toEqual(["I_ex", "I_in"]);
    expect(m!.blocks.filter((b) => b.kind === "OnReceiveBlock")).toHaveLength(2);
  });

  it("kernels: function-of-t, second-order, coupled multi-line and delta kernels", () => {
    const [m] = parseClean(join(dir, "alpha_psc_kernels.spk")).models;
    const eq = m!.blocks.find((b): b is A.EquationsBlock => b.kind === "EquationsBlock")!;
    const kernels = eq.items.filter((i): i is A.KernelDecl => i.kind === "KernelDecl");
    expect(kernels.map((k) => k.definitions.map((d) => `${d.lhs.name}${"'".repeat(d.lhs.order)}`).join(","))).toEqual(["k1", "k2''", "k3',k3$'", "k_delta"]);
    expect(callees(m!).has("delta")).toBe(true);
  });

  it("izhikevich: direct spike port use in update, ternary, -inf", () => {
    const [m] = parseClean(join(dir, "izhikevich_direct.spk")).models;
    const update = m!.blocks.find((b): b is A.UpdateBlock => b.kind === "UpdateBlock")!;
    expect(update.body.map((s) => s.kind)).toEqual(["CallStatement", "Assignment", "Assignment"]);
    expect((update.body[2] as A.Assignment).value.kind).toBe("Ternary");
  });

  it("stdp synapse: pre/post ports, priorities, decorators, local declarations, emit_spike(w)", () => {
    const [m] = parseClean(join(dir, "stdp_pair.spk")).models;
    expect(m!.name.name.endsWith("synapse")).toBe(true);
    const handlers = m!.blocks.filter((b): b is A.OnReceiveBlock => b.kind === "OnReceiveBlock");
    expect(handlers.map((h) => `${h.port.name}:${(h.args[0]!.value as A.NumberLiteral).value}`)).toEqual(["post_spikes:1", "pre_spikes:2"]);
    expect(handlers[0]!.body[1]!.kind).toBe("Declaration");
    const params = m!.blocks[1] as A.VariableBlock;
    expect(params.declarations.flatMap((d) => d.decorators.map((x) => (x.namespace ? `${x.namespace}::${x.name}` : x.name)))).toEqual(["nest::delay", "homogeneous"]);
  });

  it("vectors: vector parameters/state/ports, for/while, functions, print with {var}", () => {
    const [m] = parseClean(join(dir, "vectors_and_misc.spk")).models;
    const input = m!.blocks.find((b): b is A.InputBlock => b.kind === "InputBlock")!;
    expect(input.ports[0]!.size).toBeDefined();
    const strings: string[] = [];
    walkExpressions(m, (e) => {
      if (e.kind === "StringLiteral") strings.push(e.value);
    });
    expect(strings).toEqual(["t={t}: V_m={V_m}", "total current {total}"]);
    expect(m!.blocks.filter((b) => b.kind === "FunctionDecl")).toHaveLength(2);
    const onCond = m!.blocks.find((b): b is A.OnConditionBlock => b.kind === "OnConditionBlock")!;
    expect(onCond.args[0]!.name.name).toBe("priority");
  });
});

const nestmlDir = process.env["NESTML_MODELS_DIR"];

describe.skipIf(!nestmlDir)(`NESTML model files from NESTML_MODELS_DIR (${nestmlDir ?? "not set: skipped"})`, () => {
  const files = nestmlDir ? filesUnder(nestmlDir, ".nestml") : [];

  it("finds model files", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`parses ${file.slice(nestmlDir!.length).replace(/^\//, "")} with no syntax errors`, () => {
      const result = parse(readFileSync(file), file);
      expect(result.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([]);
      expect(result.file.models.length).toBeGreaterThan(0);
      for (const m of result.file.models) expect(m.blocks.length).toBeGreaterThan(0);
    });
  }
});
