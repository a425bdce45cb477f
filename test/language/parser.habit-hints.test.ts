import { describe, expect, it } from "vitest";
import { parse } from "../../language/parse.js";

// QA: C/Java/Python habits gave correct but unhelpful errors ("expected an expression after '&',
// found '&'"); each now says what to write instead.
const stmt = (line: string) => `model p:\n    state:\n        V_m mV = 0 mV\n        on boolean = true\n    update:\n        ${line}\n`;
const first = (line: string) => {
  const d = parse(stmt(line), "p.spk").diagnostics[0];
  return d && `${d.range.start.line}:${d.range.start.column} ${d.code} | ${d.hint}`;
};

describe("hints for habits from other languages", () => {
  it.each([
    ["if V_m > 0 mV && on:\n            V_m = 0 mV", "6:24 SYNTAX_ERROR | write 'and' (conditions use and, or, not)"],
    ["if V_m > 0 mV || on:\n            V_m = 0 mV", "6:24 SYNTAX_ERROR | write 'or' (conditions use and, or, not)"],
    ["on = !on", "6:14 LEXER_ERROR | write 'not' (conditions use and, or, not)"],
    ["V_m = 0 mV // reset", "6:21 SYNTAX_ERROR | comments start with '#'"],
    ["if on:\n            V_m = 0 mV\n        else if V_m > 0 mV:\n            V_m = 1 mV", "8:14 SYNTAX_ERROR | write 'elif'"],
    ["V_m++", "6:12 SYNTAX_ERROR | write 'x += 1' (there is no ++ or --)"],
    ["if (on) {\n            V_m = 0 mV\n        }", "6:16 SYNTAX_ERROR | blocks are a ':' and an indented body, not braces"],
  ])("%j", (line, expected) => {
    expect(first(line)).toBe(expected);
  });

  it("does not add a hint for an unrelated error elsewhere on the line, nor to valid code", () => {
    expect(first("on = on != on and (V_m > 0 mV")).not.toContain("write 'not'");
    expect(parse(stmt("on = not (V_m != 0 mV)  # a && b, x++ // y"), "p.spk").diagnostics).toEqual([]);
  });
});
