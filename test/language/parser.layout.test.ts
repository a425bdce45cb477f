/**
 * Scanner and layout pass: logical lines, INDENT/DEDENT, line joining, comments, lexical errors and
 * rejected inputs (not text, empty, huge).
 */
import { describe, expect, it } from "vitest";
import type * as A from "../../language/ast.js";
import { parse } from "../../language/parse.js";
import { scan } from "../../language/scanner/scan.js";
import { MAX_SOURCE_LENGTH } from "../../language/scanner/source-text.js";

/** Token stream as names, layout tokens in upper case, for compact assertions. */
function layoutOf(source: string): string {
  return scan(source, "t.spk")
    .tokens.map((t) => {
      const n = t.tokenType.name;
      if (n === "Newline") return "NL";
      if (n === "Indent") return "IN";
      if (n === "Dedent") return "DE";
      return t.image;
    })
    .join(" ");
}

function codes(source: string | Uint8Array): string[] {
  return parse(source, "t.spk").diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
}

describe("indentation", () => {
  it("synthesizes NEWLINE, INDENT and DEDENT Python-style", () => {
    expect(layoutOf("model a:\n    state:\n        x real\nmodel b:\n")).toBe(
      "model a : NL IN state : NL IN x real NL DE DE model b : NL",
    );
  });

  it("ignores blank and comment-only lines, at any indentation", () => {
    const src = "model a:\n\n  # odd comment\n    state:\n\n        x real   # trailing\n# col 0 comment\n        y real\n";
    expect(layoutOf(src)).toBe("model a : NL IN state : NL IN x real NL y real NL DE DE");
  });

  it("expands tabs to the next multiple of 8", () => {
    // A tab equals 8 spaces, so the tab-indented line continues the 8-space block.
    expect(layoutOf("model a:\n    state:\n        x real\n\ty real\n")).toBe("model a : NL IN state : NL IN x real NL y real NL DE DE");
    // Four spaces then a tab is still column 8.
    expect(layoutOf("model a:\n    state:\n    \tx real\n")).toBe("model a : NL IN state : NL IN x real NL DE DE");
  });

  it("handles CRLF line endings and a BOM", () => {
    const r = parse("\uFEFFmodel a:\r\n    state:\r\n        x real = 1\r\n", "t.spk");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.models[0]!.blocks[0]!.range.start).toMatchObject({ line: 2, column: 5 });
  });

  it("reports a dedent to a column no block uses, and keeps parsing", () => {
    const src = "model a:\n    state:\n        x real = 1\n      y real = 2\n    parameters:\n        p real = 1\n";
    const r = parse(src, "t.spk");
    expect(r.diagnostics[0]).toMatchObject({ code: "INDENTATION_ERROR", range: { start: { line: 4, column: 7 } } });
    expect(r.diagnostics[0]!.message).toBe("unindent does not match any outer indentation level");
    // The misaligned line stays in the state block; parameters still parse.
    const blocks = r.file.models[0]!.blocks as A.VariableBlock[];
    expect(blocks.map((b) => `${b.blockKind}:${b.declarations.length}`)).toEqual(["state:2", "parameters:1"]);
  });
});

describe("line joining", () => {
  it("continues lines inside parentheses and brackets (unlike NESTML)", () => {
    expect(layoutOf("model a:\n    update:\n        x = (1 +\n            2) * v[\n  # comment\n\n              1]\n")).toBe(
      "model a : NL IN update : NL IN x = ( 1 + 2 ) * v [ 1 ] NL DE DE",
    );
    // A closing bracket may sit under the line that opened it.
    expect(layoutOf("model a:\n    update:\n        x = (\n            1\n        )\n        y = 2\n")).toBe(
      "model a : NL IN update : NL IN x = ( 1 ) NL y = 2 NL DE DE",
    );
  });

  it("ends a line with an unclosed bracket when the next line is not indented deeper", () => {
    const src = "model a:\n    update:\n        x = foo(1, 2\n        y = 3\n        z = 4\n";
    expect(layoutOf(src)).toBe("model a : NL IN update : NL IN x = foo ( 1 , 2 NL y = 3 NL z = 4 NL DE DE");
    const r = parse(src, "t.spk");
    expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([
      "3:21 expected ')' after '2', found end of line",
    ]);
    // The missing ')' is inserted by recovery, so all three assignments are in the AST.
    expect((r.file.models[0]!.blocks[0] as A.UpdateBlock).body.map((s) => s.kind)).toEqual(["Assignment", "Assignment", "Assignment"]);
  });

  it("joins after a backslash and after a trailing comma", () => {
    expect(layoutOf("model a:\n    update:\n        x = 1 + \\\n  2\n        f(a,\n          b)\n")).toBe(
      "model a : NL IN update : NL IN x = 1 + 2 NL f ( a , b ) NL DE DE",
    );
    expect(layoutOf("model a:\n    equations:\n        kernel g' = -g,\n               h' = -h\n")).toBe(
      "model a : NL IN equations : NL IN kernel g ' = - g , h ' = - h NL DE DE",
    );
  });

  it("does not let an unclosed parenthesis swallow the next block", () => {
    const src = "model a:\n    update:\n        x = (1 + 2\n    onCondition(x > 1):\n        emit_spike()\n";
    const r = parse(src, "t.spk");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "SYNTAX_ERROR", range: { start: { line: 3, column: 19 } } });
    expect(r.diagnostics[0]!.message).toBe("expected ')' after '2', found end of line");
    expect(r.file.models[0]!.blocks.map((b) => b.kind)).toEqual(["UpdateBlock", "OnConditionBlock"]);
  });

  it("splits ']]' closing two index brackets, but keeps it for guards", () => {
    expect(layoutOf("model a:\n    update:\n        x = v[w[1]]\n")).toBe("model a : NL IN update : NL IN x = v [ w [ 1 ] ] NL DE DE");
    expect(layoutOf("model a:\n    state:\n        x real = 1 [[x > v[1]]]\n")).toBe(
      "model a : NL IN state : NL IN x real = 1 [[ x > v [ 1 ] ]] NL DE DE",
    );
    const r = parse("model a:\n    state:\n        x real = v[w[1]] [[x > v[w[2]]]]\n", "t.spk");
    expect(r.diagnostics).toEqual([]);
  });

  it("does not read '0...N' as a float", () => {
    expect(layoutOf("model a:\n    update:\n        for i in 0...N:\n            x = 1.\n")).toBe(
      "model a : NL IN update : NL IN for i in 0 ... N : NL IN x = 1. NL DE DE DE",
    );
  });
});

describe("lexical errors", () => {
  it("reports bad characters and unterminated strings, and keeps parsing", () => {
    const r = parse('model a:\n    state:\n        x real = 1 ` 2\n        s string = "abc\n        y real = 2\n', "t.spk");
    expect(r.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([
      "LEXER_ERROR@3:20 unexpected character '`'", // the cascade "unexpected '2'" on the same line is dropped
      "LEXER_ERROR@4:20 unterminated string (missing closing '\"')",
    ]);
    const state = r.file.models[0]!.blocks[0] as A.VariableBlock;
    // The stray '2' is deleted by single-token recovery, so `x` is kept too.
    expect(state.declarations.map((d) => d.names[0]!.name.name)).toEqual(["x", "s", "y"]);
  });

  it("names control characters by code point", () => {
    const r = parse("model a:\n    state:\n        x real = 1 \u0007\n", "t.spk");
    expect(r.diagnostics[0]!.message).toBe("unexpected character U+0007");
  });

  it("accepts names with $ and keywords as name prefixes", () => {
    const r = parse("model a:\n    state:\n        g$ real = 1\n        inferred real = 1\n        input_rate real = 1\n        stateful real = 1\n", "t.spk");
    expect(r.diagnostics).toEqual([]);
    const names = (r.file.models[0]!.blocks[0] as A.VariableBlock).declarations.map((d) => d.names[0]!.name.name);
    expect(names).toEqual(["g$", "inferred", "input_rate", "stateful"]);
  });
});

describe("inputs that are not model text", () => {
  it("rejects NUL bytes and invalid UTF-8 given as bytes", () => {
    expect(codes(new Uint8Array([0x6d, 0x00, 0x64]))).toEqual(["NOT_TEXT@1:1"]);
    expect(codes(new Uint8Array([0x6d, 0x6f, 0xff, 0xfe]))).toEqual(["NOT_TEXT@1:3"]);
    expect(codes("model\u0000 a:\n")).toEqual(["NOT_TEXT@1:1"]);
  });

  it("locates the first invalid UTF-8 byte (QA: a Latin-1 'é' in a comment was reported at 1:1)", () => {
    const ascii = (t: string) => [...new TextEncoder().encode(t)];
    // "model a:\n    # café and crème\n" saved as Latin-1: é = 0xE9, è = 0xE8
    const bytes = new Uint8Array([...ascii("model a:\n    # caf"), 0xe9, ...ascii(" and cr"), 0xe8, ...ascii("me\n")]);
    const d = parse(bytes, "l.spk").diagnostics;
    expect(d.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.column} ${x.message}`)).toEqual([
      "NOT_TEXT@2:10 file is not valid UTF-8 text (byte 0xE9 at line 2, column 10)",
    ]);
    // a truncated multi-byte sequence at the very end, after a valid two-byte character
    const cut = parse(new Uint8Array([0x61, 0xc3, 0xa9, 0x0a, 0x62, 0xe2, 0x82]), "c.spk").diagnostics[0]!;
    expect(`${cut.range.start.line}:${cut.range.start.column}`).toBe("2:2");
    expect(cut.message).toContain("byte 0xE2");
  });

  it("decodes valid UTF-8 bytes", () => {
    const bytes = new TextEncoder().encode("# Modèle\nmodel a:\n    state:\n        x real = 1\n");
    const r = parse(bytes, "t.spk");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.models[0]!.doc).toBe("Modèle");
  });

  it("rejects empty, blank and comment-only files", () => {
    expect(codes("")).toEqual(["EMPTY_FILE@1:1"]);
    expect(codes("  \n\n\t\n")).toEqual(["EMPTY_FILE@1:1"]);
    expect(codes("# just a comment\n")).toEqual(["EMPTY_FILE@1:1"]);
    expect(codes(new Uint8Array())).toEqual(["EMPTY_FILE@1:1"]);
  });

  it("rejects huge inputs without scanning them", () => {
    const huge = "#".repeat(MAX_SOURCE_LENGTH + 1);
    const t0 = performance.now();
    const r = parse(huge, "t.spk");
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["FILE_TOO_LARGE"]);
    expect(r.diagnostics[0]!.message).toMatch(/too large.*5 MB/);
    expect(parse(new Uint8Array(MAX_SOURCE_LENGTH + 1), "t.spk").diagnostics[0]!.code).toBe("FILE_TOO_LARGE");
  });
});
