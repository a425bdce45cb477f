/** grammar.md lists every semantic-check code with the registry's own description. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECK_CODES } from "../../language/checker/codes.js";

const doc = readFileSync(new URL("../../grammar.md", import.meta.url), "utf8");
const table = doc.slice(doc.indexOf("<!-- check-codes:begin -->"), doc.indexOf("<!-- check-codes:end -->"));
const documented = new Map([...table.matchAll(/^\| `([A-Z_]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2].replace(/\\\|/g, "|")]));

describe("grammar.md's table of check codes", () => {
  it("lists exactly the checker's codes", () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(CHECK_CODES).sort());
  });
  it("describes each code as the registry does (run scripts/gen-check-codes.mjs after changing codes)", () => {
    for (const [code, text] of Object.entries(CHECK_CODES)) expect(documented.get(code), code).toBe(text);
  });
});
