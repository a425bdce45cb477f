import { describe, expect, it } from "vitest";
import { parseModels } from "../../language/check.js";

// QA: `V_th mv = -55 mV` suggested 'MV' (megavolt); a neuron modeller means mV. Case-only typos of
// the common units must suggest the neuroscience unit, in declarations and in expressions.
const unknownUnitMessages = (source: string) =>
  parseModels(source, "t.spk").diagnostics.filter((d) => d.code === "UNKNOWN_UNIT").map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`);

describe("did-you-mean for unknown units", () => {
  it("prefers mV, pA and pF over MV, Pa/PA and PF for case typos in declared types", () => {
    const src = "model t:\n    parameters:\n        V_th mv = -55 mV\n        I_e pa = 0 pA\n        C_m pf = 250 pF\n";
    expect(unknownUnitMessages(src)).toEqual([
      "3:14 unknown unit or type 'mv' (did you mean 'mV'?)",
      "4:13 unknown unit or type 'pa' (did you mean 'pA'?)",
      "5:13 unknown unit or type 'pf' (did you mean 'pF'?)",
    ]);
  });

  it("prefers mV in unit literals inside expressions, and still suggests other units by edit distance", () => {
    const src = "model t:\n    state:\n        V_m mV = -70 mv\n        g nS = 1 nSS\n";
    expect(unknownUnitMessages(src)).toEqual([
      "3:22 unknown unit 'mv' (did you mean 'mV'?)",
      "4:18 unknown unit 'nSS' (did you mean 'nS'?)",
    ]);
  });
});

describe("the unit hint of a mismatched assignment", () => {
  const hints = (source: string) =>
    parseModels(source, "t.spk").diagnostics.filter((d) => d.code === "UNIT_MISMATCH").map((d) => `${d.message} | ${d.hint}`);

  it("names X times the target for a value in 1/X (NESTML's untyped spike port is 1/s: spikes * mV * s)", () => {
    // QA: the hint read "multiply the value by a quantity in mV/(1/s)".
    const src = "model t_neuron:\n    state:\n        V_m mV = 0 mV\n    input:\n        spikes <- spike\n    update:\n        V_m += spikes\n";
    expect(hints(src)).toEqual(["cannot assign a value in 1/s to 'V_m' (mV) | multiply the value by a quantity in mV*s to get mV"]);
    const fixed = src.replace("V_m += spikes", "V_m += spikes * mV * s");
    expect(parseModels(fixed, "t.spk").diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("keeps the named factor when there is one", () => {
    const src = "model t_neuron:\n    state:\n        V_m mV = 1 pA\n";
    expect(hints(src)).toEqual(["cannot assign a value in pA to 'V_m' (mV) | multiply the value by a quantity in GOhm to get mV"]);
  });
});
