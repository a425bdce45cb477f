import { describe, expect, it } from "vitest";
import { formatDiagnostic, MAX_SNIPPET_WIDTH } from "../../language/diagnostics.js";
import { parseModels } from "../../language/check.js";

// QA: a 2,500-character line printed in full, with a caret line of 750 spaces: unreadable in a
// terminal or a notebook. Long lines are shown as a window around the spot.
describe("diagnostic snippets of long lines", () => {
  it("shows a window of at most MAX_SNIPPET_WIDTH characters with the caret under the offending name", () => {
    const line = `        V_m = ${"1 mV + ".repeat(150)}E_Lx${" + 1 mV".repeat(150)}`;
    const src = `model l:\n    state:\n        V_m mV = 0 mV\n    update:\n${line}\n`;
    const d = parseModels(src, "l.spk").diagnostics.find((x) => x.code === "UNDECLARED_NAME")!;
    expect(d.range.start.column).toBe(line.indexOf("E_Lx") + 1);
    const [, , text, caret] = formatDiagnostic(d, src).split("\n") as [string, string, string, string];
    expect(text.startsWith("5 | …")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    expect(text.length).toBe("5 | ".length + MAX_SNIPPET_WIDTH + 2);
    expect(caret.trimEnd().endsWith(" ^^^^")).toBe(true);
    expect(text.slice(caret.indexOf("^"), caret.length)).toBe("E_Lx");
  });

  it("marks exactly the range on a long line near its end", () => {
    const src = `model l:\n    state:\n        V_m mV = 0 mV\n    update:\n        V_m = ${"1 mV + ".repeat(40)}1 pAx\n`;
    const d = parseModels(src, "l.spk").diagnostics[0]!;
    const lines = formatDiagnostic(d, src).split("\n");
    const caretStart = lines[3]!.indexOf("^");
    const caretLen = lines[3]!.length - caretStart;
    const lineText = src.split("\n")[4]!;
    expect(lines[2]!.slice(caretStart, caretStart + caretLen)).toBe(lineText.slice(d.range.start.column - 1, d.range.start.column - 1 + caretLen));
    expect(lines[2]!.endsWith("1 pAx")).toBe(true);
  });

  it("leaves short lines unchanged", () => {
    const src = "model s:\n    state:\n        V_m mV = 1 pA\n";
    const d = parseModels(src, "s.spk").diagnostics.find((x) => x.code === "UNIT_MISMATCH")!;
    expect(formatDiagnostic(d, src).split("\n").slice(1, 4)).toEqual(["  |", "3 |         V_m mV = 1 pA", "  |                  ^^^^"]);
  });
});
