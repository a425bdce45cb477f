import { describe, expect, it } from "vitest";
import { exceptionError } from "../../kernel/errors.js";

// QA: `throw new Error("boom")` in a cell showed "at cell[6]" twice, because the throwing statement and
// tslab's wrapper are both frames of the cell's generated JavaScript and lose their positions.
describe("exceptionError", () => {
  it("shows one frame per distinct cell location, keeping frames of user functions", () => {
    const error = new Error("boom");
    error.stack = [
      "Error: boom",
      "    at evalmachine.<anonymous>:3:7",
      "    at evalmachine.<anonymous>:5:3",
      "    at Script.runInContext (node:vm:149:12)",
      "    at helper (evalmachine.<anonymous>:9:1)",
      "    at evalmachine.<anonymous>:12:2",
    ].join("\n");
    const out = exceptionError(error, "cell[6]");
    expect(out.ename).toBe("Error");
    expect(out.evalue).toBe("boom");
    expect(out.traceback).toEqual(["Error: boom", "    at cell[6]", "    at helper (cell[6])", "    at cell[6]"]);
  });
});
