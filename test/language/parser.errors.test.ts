/**
 * Syntax errors: several per file, each at the offending token with a human message, the rest of the
 * file still parsed; nothing throws or hangs.
 */
import { describe, expect, it } from "vitest";
import type * as A from "../../language/ast.js";
import { formatDiagnostic } from "../../language/diagnostics.js";
import { FRONT_END_CODES, parse } from "../../language/parse.js";

function errors(source: string): string[] {
  return parse(source, "e.spk").diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`);
}

describe("syntax errors", () => {
  const broken = `model broken:
    state
        V_m mV = -70 mV
        w real =
    parameters:
        tau ms = 10 ms
        C_m pF = 250 pF [[C_m > 0 pF]
        good real = 1
    equations:
        V_m' = -V_m / tau +
        inline I pA = 1 pA
    input:
        spikes <- spik
        I_stim pA <- continuous
    update:
        if V_m > 0 mV
            V_m = 0 mV
        integrate_odes()
        x === 2
    onReceive(spikes priority=1):
        w += 1
    paramters:
        a real = 1
        b real = 2
    function f(x mV) mV
        return x
`;

  it("reports every broken line in one run, at the offending token", () => {
    expect(errors(broken)).toEqual([
      "2:10 expected ':' after 'state', found end of line",
      "4:17 expected an expression after '=', found end of line",
      "7:37 expected ']]' after 'pF', found ']'",
      "10:28 expected an expression after '+', found end of line",
      "13:19 expected 'spike' or 'continuous' after '<-', found 'spik'",
      "16:22 expected ':' after 'mV', found end of line",
      "19:11 unexpected '==' after 'x'",
      "20:22 expected ')' after 'spikes', found 'priority'",
      "22:5 'paramters' is not a block; did you mean 'parameters'?",
      "25:24 expected ':' after 'mV', found end of line",
    ]);
  });

  it("uses the code SYNTAX_ERROR and never dumps token type names", () => {
    const diags = parse(broken, "e.spk").diagnostics;
    expect(new Set(diags.map((d) => d.code))).toEqual(new Set(["SYNTAX_ERROR"]));
    for (const d of diags) expect(d.message).not.toMatch(/Keyword|Literal|Newline|Indent|Dedent|-->|\[\w+\]/);
  });

  it("still builds the AST for everything that parsed", () => {
    const m = parse(broken, "e.spk").file.models[0]!;
    const summary = m.blocks.map((b) => {
      switch (b.kind) {
        case "VariableBlock":
          return `${b.blockKind}:${b.declarations.map((d) => d.names[0]!.name.name).join(",")}`;
        case "EquationsBlock":
          return `equations:${b.items.length}`;
        case "InputBlock":
          return `input:${b.ports.map((p) => p.name.name).join(",")}`;
        case "UpdateBlock":
          return `update:${b.body.map((s) => s.kind).join(",")}`;
        case "FunctionDecl":
          return `function ${b.name.name}`;
        default:
          return b.kind;
      }
    });
    // Missing colons are repaired by token insertion; the misspelled `paramters:` block is dropped as one unit.
    expect(summary).toEqual([
      "state:V_m",
      "parameters:tau,good",
      "equations:1",
      "input:I_stim",
      "update:If,CallStatement", // the missing ":" after the if is repaired by token insertion
      "function f",
    ]);
  });

  it("formats with the source line and a caret under the spot", () => {
    const d = parse(broken, "e.spk").diagnostics[0]!;
    expect(formatDiagnostic(d, broken)).toBe(
      ["e.spk:2:10: error[SYNTAX_ERROR]: expected ':' after 'state', found end of line", "  |", "2 |     state", "  |          ^"].join("\n"),
    );
  });

  it.each([
    ["model :\n    state:\n        x real\n", "1:7 expected a name after 'model', found ':'"],
    ["model m:\nstate:\n", "1:9 expected an indented block after ':'"],
    ["model m:\n    state:\n    parameters:\n        x real\n", "2:11 expected an indented block after ':'"],
    ["model m:\n    stat:\n        x real = 1\n", "2:5 'stat' is not a block; did you mean 'state'?"],
    ["model m:\n    foo:\n        x real = 1\n", "3:11 expected '=' or ':' after 'x', found 'real'"],
    ["model m:\n    update:\n        x = 1\n            y = 2\n", "4:13 unexpected indentation"],
    ["model m:\n    update:\n        for i in 1 ... :\n            x = 1\n", "3:24 expected an expression after '...', found ':'"],
    ["model m:\n    update:\n        x = f(1,)\n", "3:17 expected an argument after ',', found ')'"],
    ["model m:\n    update:\n        x = (1 + 2))\n", "3:20 unexpected ')'; expected end of line after ')'"],
    ["model m:\n    input:\n        I pA <- \n", "3:16 expected 'spike' or 'continuous' after '<-', found end of line"],
    ["model m:\n    state:\n        x real = 1 [[x > 0\n", "3:27 expected ']]' after '0', found end of line"],
    ["model m:\n    update:\n        else:\n            x = 1\n", "3:9 unexpected 'else'"],
    ["garbage here\nmodel m:\n    state:\n        x real = 1\n", "1:1 unexpected 'garbage'; expected 'model NAME:'"],
  ])("%j", (source, expected) => {
    expect(errors(source)[0]).toBe(expected);
  });

  it("reports a broken 'name:' block at its misspelled name, with the block keyword it probably meant", () => {
    // QA: the error used to point at the (correct) first body line, e.g. `integrate_odes()`.
    const r = parse("model m:\n    equation:\n        V_m' = -V_m / tau\n    Update:\n        integrate_odes()\n", "e.spk");
    expect(r.diagnostics.map((d) => [`${d.range.start.line}:${d.range.start.column}-${d.range.end.column}`, d.message, d.hint])).toEqual([
      ["2:5-13", "'equation' is not a block; did you mean 'equations'?", "the lines of 'equation:' were skipped; rename it to 'equations:'"],
      ["4:5-11", "'Update' is not a block; did you mean 'update'?", "the lines of 'Update:' were skipped; rename it to 'update:'"],
    ]);
    const u = parse("model m:\n    state:\n        V real = 0\n    updat:\n        V += 1\n        integrate_odes()\n", "u.spk");
    expect(u.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual(["4:5 'updat' is not a block; did you mean 'update'?"]);
    // A well-formed settings block with an unknown name is left to the checker (no syntax error).
    expect(parse("model m:\n    epropp:\n        kappa = 0.9\n", "e.spk").diagnostics).toEqual([]);
  });

  it("resumes at the next model after junk between models", () => {
    const r = parse("model a:\n    state:\n        x real = 1\n)))\nmodel b:\n    state:\n        y real = 1\n", "e.spk");
    expect(r.diagnostics.map((d) => d.range.start.line)).toEqual([4]);
    expect(r.file.models.map((m) => m.name.name)).toEqual(["a", "b"]);
  });

  it("skips a broken if-statement with its body and elif/else parts as one unit", () => {
    const src = "model m:\n    update:\n        if x >:\n            a = 1\n        elif y:\n            a = 2\n        else:\n            a = 3\n        b = 1\n";
    const r = parse(src, "e.spk");
    expect(r.diagnostics).toHaveLength(1);
    const body = (r.file.models[0]!.blocks[0] as A.UpdateBlock).body;
    expect(body.map((s) => s.kind)).toEqual(["Assignment"]);
  });

  it("stops after 100 syntax errors with a note, quickly", () => {
    const src = "model m:\n    state:\n" + "        x real = = 1\n".repeat(5000);
    const t0 = performance.now();
    const diags = parse(src, "e.spk").diagnostics;
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(diags.filter((d) => d.code === "SYNTAX_ERROR")).toHaveLength(100);
    expect(diags[diags.length - 1]).toMatchObject({ code: "TOO_MANY_ERRORS", severity: "note" });
  });

  it("reports absurd nesting instead of overflowing the stack", () => {
    for (const inner of ["(".repeat(20000) + "1" + ")".repeat(20000), "- ".repeat(30000) + "1", "not ".repeat(30000) + "a"]) {
      const r = parse(`model m:\n    update:\n        x = ${inner}\n`, "e.spk");
      expect(r.diagnostics.map((d) => d.code)).toEqual(["NESTING_TOO_DEEP"]);
    }
  });

  it("explains settings syntax when a setting is written 'key: value'", () => {
    expect(errors("model m:\n    eprop:\n        role: recurrent\n        kappa = 0.9\n")).toEqual([
      "3:15 unexpected 'recurrent' after ':'; settings are written 'key = value', blocks 'key:' on their own line",
    ]);
  });

  it("reports one error per line (later ones on the same line are cascades)", () => {
    expect(errors("model m:\n    onCondition V_m > 1 mV:\n        emit_spike()\n")).toEqual(["2:17 expected '(' after 'onCondition', found 'V_m'"]);
    expect(errors("model m:\n    update:\n        for i in 0 .. 3:\n            x = 1\n")).toEqual(["3:20 unexpected characters '..'"]);
  });

  it("uses only the documented front-end codes", () => {
    const inputs: (string | Uint8Array)[] = [
      broken,
      "",
      new Uint8Array([0, 1]),
      "model m:\n    state:\n        x real = 1 ` \"ab\n      y real\n",
      "model m:\n    update:\n        x = " + "(".repeat(20000) + "\n",
      "model m:\n    state:\n" + "        x real = = 1\n".repeat(200),
    ];
    const seen = new Set(inputs.flatMap((src) => parse(src, "e.spk").diagnostics.map((d) => d.code)));
    expect([...seen].filter((c) => !(c in FRONT_END_CODES))).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(7);
  });
});
