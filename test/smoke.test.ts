import { describe, expect, it } from "vitest";
import { formatDiagnostic, makeDiagnostic } from "../language/diagnostics.js";

describe("diagnostic formatting", () => {
  it("prints file:line:col, the code, the source line and a caret under the spot", () => {
    const src = "model m:\n    state:\n        V mV = 1 pA\n";
    const d = makeDiagnostic("UNIT_MISMATCH", "cannot assign pA to V (mV)", "m.spk", {
      start: { line: 3, column: 16, offset: 0 },
      end: { line: 3, column: 20, offset: 0 },
    });
    expect(formatDiagnostic(d, src)).toBe(
      [
        "m.spk:3:16: error[UNIT_MISMATCH]: cannot assign pA to V (mV)",
        "  |",
        "3 |         V mV = 1 pA",
        "  |                ^^^^",
      ].join("\n"),
    );
  });
});
