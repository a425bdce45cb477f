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
