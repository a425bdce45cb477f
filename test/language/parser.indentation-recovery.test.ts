import { describe, expect, it } from "vitest";
import { parse } from "../../language/parse.js";
import { parseModels } from "../../language/check.js";

// QA: one line indented deeper than its block used to end the whole model: Chevrotain's
// in-repetition recovery skipped the Indent but not its Dedent, so every later block fell out
// ("unexpected 'state'; expected 'model NAME:'") and the errors in them were never reported.
const located = (src: string) =>
  parseModels(src, "i.spk").diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);

describe("an over-indented line inside a block", () => {
  it.each([
    ["a parameters block whose first line is less indented", "model a:\n    parameters:\n       tau_m ms = 10 ms\n        E_L mV = -70 mV\n    state:\n        V_m mV = 1 pA\n", ["4:9 SYNTAX_ERROR", "6:18 UNIT_MISMATCH"]],
    ["a statement in update", "model a:\n    update:\n        x real = 1\n            y real = 2\n    state:\n        V_m mV = 1 pA\n", ["4:13 SYNTAX_ERROR", "6:18 UNIT_MISMATCH"]],
    ["a declaration one column too deep", "model a:\n    parameters:\n        tau_m ms = 10 ms\n         E_L mV = -70 mV\n        x ms = 1 ms\n    state:\n        V_m mV = 1 pA\n", ["4:10 SYNTAX_ERROR", "7:18 UNIT_MISMATCH"]],
    ["an equation", "model a:\n    state:\n        V_m mV = 0 mV\n    equations:\n        V_m' = -V_m / (10 ms)\n            inline z real = 1\n    update:\n        integrate_odes()\n        V_m = 1 pA\n", ["6:13 SYNTAX_ERROR", "9:15 UNIT_MISMATCH"]],
  ])("%s: reported once, and the blocks after it are still parsed and checked", (_what, src, expected) => {
    expect(located(src)).toEqual(expected);
    const blocks = parse(src, "i.spk").file.models[0]!.blocks.map((b) => b.kind);
    expect(blocks.at(-1)).toBe(src.includes("    update:\n        integrate") ? "UpdateBlock" : "VariableBlock");
    expect(parse(src, "i.spk").diagnostics.map((d) => d.message)).toContain("unexpected indentation");
  });
});
