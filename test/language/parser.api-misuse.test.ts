import { describe, expect, it } from "vitest";
import { parse } from "../../language/parse.js";
import { parseModels } from "../../language/check.js";
import { compileModels } from "../../language/compile/index.js";
import { InvalidParameterError, SpikelabError } from "../../runtime/errors.js";

// QA: `parseModels(42)` returned a NOT_TEXT diagnostic at 1:1 as if a file were broken; passing a
// non-string is the caller's bug and must throw a typed error naming the argument, like the runtime.
describe("language API misuse", () => {
  const entries = [["parse", parse], ["parseModels", parseModels], ["compileModels", compileModels]] as const;

  for (const [name, fn] of entries) {
    it(`${name} throws InvalidParameterError naming 'source' for a non-string, non-bytes source`, () => {
      for (const [bad, described] of [[42, "number"], [undefined, "undefined"], [null, "null"], [{ text: "model x:" }, "an object (Object)"], [["model x:"], "an array"]] as const) {
        let thrown: unknown;
        try {
          (fn as (s: unknown) => unknown)(bad);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(InvalidParameterError);
        expect(thrown).toBeInstanceOf(SpikelabError);
        expect((thrown as InvalidParameterError).argument).toBe("source");
        expect((thrown as Error).message).toContain(`got ${described}`);
      }
    });

    it(`${name} throws InvalidParameterError naming 'fileName' for a non-string file name`, () => {
      expect(() => (fn as (s: unknown, f: unknown) => unknown)("model x:\n", 7)).toThrow(InvalidParameterError);
    });
  }

  it("still treats bad model text as data: bytes that are not UTF-8 give a NOT_TEXT diagnostic, no throw", () => {
    const r = parseModels(new Uint8Array([0x6d, 0xff, 0xfe]), "b.spk");
    expect(r.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`)).toEqual(["NOT_TEXT@1:1"]);
    expect(compileModels("", "e.spk").diagnostics.map((d) => d.code)).toEqual(["EMPTY_FILE"]);
  });
});
