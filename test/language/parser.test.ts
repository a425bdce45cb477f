/**
 * The parser builds the documented AST for every construct (language/ast.ts), with Python
 * precedence and ranges on nodes.
 */
import { describe, expect, it } from "vitest";
import type * as A from "../../language/ast.js";
import { parse } from "../../language/parse.js";

function parseOk(source: string): A.SourceFile {
  const r = parse(source, "t.spk");
  expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([]);
  return r.file;
}

function model(source: string): A.ModelDecl {
  const file = parseOk(source);
  expect(file.models).toHaveLength(1);
  return file.models[0]!;
}

function block<K extends A.Block["kind"]>(m: A.ModelDecl, kind: K): Extract<A.Block, { kind: K }> {
  const b = m.blocks.find((x) => x.kind === kind);
  expect(b, `block ${kind}`).toBeDefined();
  return b as Extract<A.Block, { kind: K }>;
}

/** Compact, fully parenthesized rendering of an expression for precedence assertions. */
function show(e: A.Expression): string {
  switch (e.kind) {
    case "Binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "Unary":
      return `(${e.op} ${show(e.operand)})`;
    case "Ternary":
      return `(${show(e.condition)} ? ${show(e.whenTrue)} : ${show(e.whenFalse)})`;
    case "Paren":
      return `[${show(e.expr)}]`;
    case "VariableRef":
      return e.name + (e.index ? `[${show(e.index)}]` : "") + "'".repeat(e.order);
    case "NumberLiteral":
      return e.text + (e.unit ? ` ${showUnit(e.unit)}` : "");
    case "BooleanLiteral":
      return String(e.value);
    case "StringLiteral":
      return JSON.stringify(e.value);
    case "InfLiteral":
      return "inf";
    case "Call":
      return `${e.callee.name}(${[...e.args.map(show), ...e.keywordArgs.map((k) => `${k.name.name}=${show(k.value)}`)].join(", ")})`;
  }
}

function showUnit(u: A.UnitExpr): string {
  switch (u.kind) {
    case "UnitName":
      return u.name;
    case "UnitOne":
      return String(u.value);
    case "UnitBinary":
      return `(${showUnit(u.left)}${u.op}${showUnit(u.right)})`;
    case "UnitPower":
      return `${showUnit(u.base)}^${u.numerator}/${u.denominator}`;
  }
}

function showType(t: A.TypeExpr): string {
  return t.kind === "PrimitiveType" ? t.name : showUnit(t.unit);
}

/** The expression assigned by the single statement in `update:`. */
function expr(text: string): string {
  const m = model(`model m:\n    update:\n        y = ${text}\n`);
  const s = block(m, "UpdateBlock").body[0]!;
  expect(s.kind).toBe("Assignment");
  return show((s as A.Assignment).value);
}

describe("precedence (Python order)", () => {
  it.each([
    ["a or b and c", "(a or (b and c))"],
    ["a and b or c", "((a and b) or c)"],
    ["not a == b", "(not (a == b))"],
    ["not a and b", "((not a) and b)"],
    ["-x**2", "(- (x ** 2))"],
    ["2**-1", "(2 ** (- 1))"],
    ["a**b**c", "(a ** (b ** c))"],
    ["a - b - c", "((a - b) - c)"],
    ["a / b * c % d", "(((a / b) * c) % d)"],
    ["a + b * c", "(a + (b * c))"],
    ["a < b + 1", "(a < (b + 1))"],
    ["a | b ^ c & d << 1", "(a | (b ^ (c & (d << 1))))"],
    ["a & b == c", "((a & b) == c)"],
    ["a <> b", "(a != b)"],
    ["c ? a : b", "(c ? a : b)"],
    ["c or d ? a + 1 : b", "((c or d) ? (a + 1) : b)"],
    ["c ? a : d ? e : f", "(c ? a : (d ? e : f))"],
    ["~x + +y", "((~ x) + (+ y))"],
    ["(a + b) * c", "([(a + b)] * c)"],
    ["a << 1 + 2", "(a << (1 + 2))"],
    ["a == b | c", "(a == (b | c))"],
    ["1 - 2 * 3 + 4", "((1 - (2 * 3)) + 4)"],
    ["a < b < c", "((a < b) < c)"],
    ["a * -b ** 2", "(a * (- (b ** 2)))"],
    ["a ^ b | c ^ d", "((a ^ b) | (c ^ d))"],
    ["a + b >> c & d", "(((a + b) >> c) & d)"],
    ["x % 2 == 0 and not y", "(((x % 2) == 0) and (not y))"],
  ])("%s  =>  %s", (source, expected) => {
    expect(expr(source)).toBe(expected);
  });
});

describe("literals and primaries", () => {
  it.each([
    ["10 mV", "10 mV"],
    ["10mV", "10 mV"],
    ["2.5 pA", "2.5 pA"],
    ["1e-3", "1e-3"],
    [".5", ".5"],
    ["3.", "3."],
    ["-70 mV", "(- 70 mV)"],
    ["inf", "inf"],
    ["true", "true"],
    ["False", "false"],
    ['"a \\"q\\" {x}"', JSON.stringify('a "q" {x}')],
    ["exp(-t / tau)", "exp(((- t) / tau))"],
    ["f(x, y=2, z=a + 1)", "f(x, y=2, z=(a + 1))"],
    ["g()", "g()"],
    ["x[i + 1]", "x[(i + 1)]"],
    ["V_m'", "V_m'"],
    ["x''", "x''"],
    ["g$ + a$b", "(g$ + a$b)"],
    ["1e3 * ms/s", "((1e3 * ms) / s)"],
  ])("%s", (source, expected) => {
    expect(expr(source)).toBe(expected);
  });

  it("keeps numeric values, integer-ness and units", () => {
    const m = model("model m:\n    update:\n        y = 1.5e3 ms\n        z = 42\n");
    const [a, b] = block(m, "UpdateBlock").body as A.Assignment[];
    const n1 = a!.value as A.NumberLiteral;
    expect(n1).toMatchObject({ kind: "NumberLiteral", value: 1500, text: "1.5e3", isInteger: false, unit: { kind: "UnitName", name: "ms" } });
    expect(b!.value).toMatchObject({ kind: "NumberLiteral", value: 42, isInteger: true });
    expect((b!.value as A.NumberLiteral).unit).toBeUndefined();
  });

  it("does not take a called name as a unit (2 exp(x) is an error, not 2 exp)", () => {
    const r = parse("model m:\n    update:\n        y = 2 exp(x)\n");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe("SYNTAX_ERROR");
  });
});

describe("types and units", () => {
  it.each([
    ["real", "real"],
    ["integer", "integer"],
    ["boolean", "boolean"],
    ["string", "string"],
    ["mV", "mV"],
    ["1/ms", "(1/ms)"],
    ["pA/ms", "(pA/ms)"],
    ["mV*ms", "(mV*ms)"],
    ["mV**2", "mV^2/1"],
    ["ms**-1", "ms^-1/1"],
    ["ms**(1/2)", "ms^1/2"],
    ["ms**-(1/2)", "ms^-1/2"],
    ["s**0.5", "s^1/2"],
    ["(nS*mV)/pA", "((nS*mV)/pA)"],
    ["1/(ms*mV)", "(1/(ms*mV))"],
  ])("%s", (source, expected) => {
    const m = model(`model m:\n    parameters:\n        x ${source} = 1\n`);
    const d = block(m, "VariableBlock").declarations[0]!;
    expect(showType(d.type)).toBe(expected);
  });
});

describe("variable blocks and declarations", () => {
  const m = model(`model m:
    parameters:
        C_m pF = 250 pF [[C_m > 0 pF]]
        a, b ms = 5 ms
        n integer = 3
        g[n] nS = 1 nS
        d ms = 1 ms @nest::delay @homogeneous
    state:
        x mV = 0 mV
        x' mV/ms = 0 mV/ms
        recordable inline r mV = x
        u real
    internals:
        k 1/ms = 1 / a
`);
  const blocks = m.blocks.filter((b): b is A.VariableBlock => b.kind === "VariableBlock");

  it("keeps the block kinds in source order", () => {
    expect(blocks.map((b) => b.blockKind)).toEqual(["parameters", "state", "internals"]);
  });

  it("parses guards, multiple names, vectors and decorators", () => {
    const [cm, ab, , g, d] = blocks[0]!.declarations;
    expect(show(cm!.init!)).toBe("250 pF");
    expect(show(cm!.invariant!)).toBe("(C_m > 0 pF)");
    expect(ab!.names.map((n) => n.name.name)).toEqual(["a", "b"]);
    expect(g!.names[0]!.vectorSize && show(g!.names[0]!.vectorSize)).toBe("n");
    expect(d!.decorators).toEqual([
      expect.objectContaining({ kind: "Decorator", namespace: "nest", name: "delay" }),
      expect.objectContaining({ kind: "Decorator", name: "homogeneous" }),
    ]);
    expect(d!.decorators[1]!.namespace).toBeUndefined();
  });

  it("parses primes, recordable inline and declarations without a value", () => {
    const [x, xp, r, u] = blocks[1]!.declarations;
    expect(x!.names[0]!.order).toBe(0);
    expect(xp!.names[0]!.order).toBe(1);
    expect(showType(xp!.type)).toBe("(mV/ms)");
    expect(r).toMatchObject({ recordable: true, isInline: true });
    expect(u!.init).toBeUndefined();
  });

  it("gives declarations 1-based ranges that cover the text", () => {
    const cm = blocks[0]!.declarations[0]!;
    expect(cm.range.start).toMatchObject({ line: 3, column: 9 });
    expect(cm.range.end.line).toBe(3);
    expect(cm.range.end.column).toBe(39); // just after ']]'
    expect(cm.names[0]!.name.range.start).toMatchObject({ line: 3, column: 9 });
    expect(cm.names[0]!.name.range.end).toMatchObject({ line: 3, column: 12 });
  });
});

describe("equations", () => {
  const m = model(`model m:
    equations:
        kernel alpha = (e / tau) * t * exp(-t / tau)
        kernel g' = g$ - g / tau,
               g$' = -g$ / tau
        recordable inline I pA = convolve(alpha, spikes) * pA
        inline J pA = 0 pA; @nest::thing
        V_m' = -V_m / tau_m
        x'' = -x / ms**2
        y = 1
`);
  const items = block(m, "EquationsBlock").items;

  it("parses kernels, including multi-definition kernels joined after a comma", () => {
    expect(items[0]).toMatchObject({ kind: "KernelDecl", definitions: [{ lhs: { name: "alpha", order: 0 } }] });
    const k = items[1] as A.KernelDecl;
    expect(k.definitions.map((d) => `${d.lhs.name}${"'".repeat(d.lhs.order)} = ${show(d.rhs)}`)).toEqual([
      "g' = (g$ - (g / tau))",
      "g$' = ((- g$) / tau)",
    ]);
  });

  it("parses inline expressions with recordable and decorators", () => {
    expect(items[2]).toMatchObject({ kind: "InlineDecl", name: { name: "I" }, recordable: true });
    expect(show((items[2] as A.InlineDecl).expr)).toBe("(convolve(alpha, spikes) * pA)");
    expect(items[3]).toMatchObject({ kind: "InlineDecl", recordable: false, decorators: [{ namespace: "nest", name: "thing" }] });
  });

  it("parses ODEs of any order and keeps order-0 'ODEs' for the checker", () => {
    expect(items.slice(4).map((i) => (i.kind === "OdeEquation" ? `${i.lhs.name}:${i.lhs.order}` : i.kind))).toEqual(["V_m:1", "x:2", "y:0"]);
  });
});

describe("input and output", () => {
  const m = model(`model m:
    input:
        exc <- excitatory spike
        inh <- inhibitory spike
        both <- excitatory inhibitory spike
        typed mV <- spike
        vec[2] pA <- spike
        I_stim pA <- continuous
        legacy <- spike(weight real, delay ms)
    output:
        spike
`);
  const ports = block(m, "InputBlock").ports;

  it("parses spike ports with qualifiers, types and sizes, and continuous ports", () => {
    expect(ports.map((p) => [p.name.name, p.portKind, p.qualifiers.map((q) => q.qualifier).join("+"), p.type ? showType(p.type) : "-", p.size ? show(p.size) : "-"])).toEqual([
      ["exc", "spike", "excitatory", "-", "-"],
      ["inh", "spike", "inhibitory", "-", "-"],
      ["both", "spike", "excitatory+inhibitory", "-", "-"],
      ["typed", "spike", "", "mV", "-"],
      ["vec", "spike", "", "pA", "2"],
      ["I_stim", "continuous", "", "pA", "-"],
      ["legacy", "spike", "", "-", "-"],
    ]);
    expect(ports[6]!.attributes!.map((a) => `${a.name.name}:${showType(a.type)}`)).toEqual(["weight:real", "delay:ms"]);
    expect(ports[0]!.range.start).toMatchObject({ line: 3, column: 9 });
  });

  it("parses output blocks, the legacy attribute list and the one-line form", () => {
    expect(block(m, "OutputBlock")).toMatchObject({ kind: "OutputBlock", portKind: "spike" });
    const legacy = model("model s:\n    output:\n        spike(weight real, delay ms)\n");
    expect(block(legacy, "OutputBlock").attributes!.map((a) => a.name.name)).toEqual(["weight", "delay"]);
    const oneLine = model("model s:\n    output: continuous\n");
    expect(block(oneLine, "OutputBlock").portKind).toBe("continuous");
  });
});

describe("functions and handlers", () => {
  const m = model(`model m:
    function f(x mV, n integer) 1/ms:
        return x / mV / ms
    function g():
        return
    update:
        integrate_odes()
    onReceive(pre, priority=2):
        w += 1
    onReceive(vec[1]):
        w -= 1
    onCondition(V_m >= V_th and r <= 0, priority=1):
        emit_spike()
`);

  it("parses functions with typed parameters and return types", () => {
    const [f, g] = m.blocks.filter((b): b is A.FunctionDecl => b.kind === "FunctionDecl");
    expect(f!.parameters.map((p) => `${p.name.name}:${showType(p.type)}`)).toEqual(["x:mV", "n:integer"]);
    expect(showType(f!.returnType!)).toBe("(1/ms)");
    expect(f!.body[0]).toMatchObject({ kind: "Return" });
    expect(g!.parameters).toEqual([]);
    expect(g!.returnType).toBeUndefined();
    expect((g!.body[0] as A.ReturnStatement).value).toBeUndefined();
  });

  it("parses onReceive with priority and vector ports, and onCondition with arguments", () => {
    const [r1, r2] = m.blocks.filter((b): b is A.OnReceiveBlock => b.kind === "OnReceiveBlock");
    expect(r1!.port.name).toBe("pre");
    expect(r1!.args.map((a) => `${a.name.name}=${show(a.value)}`)).toEqual(["priority=2"]);
    expect(show(r2!.port)).toBe("vec[1]");
    const c = block(m, "OnConditionBlock");
    expect(show(c.condition)).toBe("((V_m >= V_th) and (r <= 0))");
    expect(c.args[0]!.name.name).toBe("priority");
    expect(c.body[0]).toMatchObject({ kind: "CallStatement", call: { callee: { name: "emit_spike" } } });
  });
});

describe("statements", () => {
  const m = model(`model m:
    update:
        w_ real = 2.5
        a, b integer = 1
        v[3] real = 0
        x = 1
        x += 1
        x -= 1
        x *= 2
        x /= 2
        v[i] = 3
        f(1)
        for i in 0 ... N:
            x += i
        for i in N ... 0 step -1:
            x -= i
        while x > 0:
            x -= 1
        if a:
            x = 1
        elif b:
            x = 2
        elif c:
            x = 3
        else:
            x = 4
        return x;
`);
  const body = block(m, "UpdateBlock").body;

  it("tells declarations, assignments and calls apart", () => {
    expect(body.slice(0, 11).map((s) => s.kind)).toEqual([
      "Declaration", "Declaration", "Declaration", "Assignment", "Assignment", "Assignment", "Assignment", "Assignment",
      "Assignment", "CallStatement", "For",
    ]);
    expect((body[2] as A.Declaration).names[0]!.vectorSize).toBeDefined();
    expect(body.slice(3, 8).map((s) => (s as A.Assignment).op)).toEqual(["=", "+=", "-=", "*=", "/="]);
    expect(show((body[8] as A.Assignment).target)).toBe("v[i]");
  });

  it("parses for loops with and without step", () => {
    const f1 = body[10] as A.ForStatement;
    const f2 = body[11] as A.ForStatement;
    expect([f1.variable.name, show(f1.from), show(f1.to), f1.step]).toEqual(["i", "0", "N", undefined]);
    expect(show(f2.step!)).toBe("(- 1)");
    expect(f1.body).toHaveLength(1);
  });

  it("parses while, if/elif/else and return", () => {
    expect(body[12]).toMatchObject({ kind: "While" });
    const ifs = body[13] as A.IfStatement;
    expect(ifs.branches.map((b) => show(b.condition))).toEqual(["a", "b", "c"]);
    expect(ifs.elseBody).toHaveLength(1);
    expect(ifs.range.start.line).toBe(19);
    expect(ifs.range.end.line).toBe(26); // ends on the last statement, not on the dedent
    expect(body[14]).toMatchObject({ kind: "Return" });
  });
});

describe("settings blocks (eprop:, flush:)", () => {
  const file = parseOk(`model n:
    eprop:
        role = recurrent
        threshold = V_th + adapt_beta * a
        surrogate_gradient_width = 1 mV
        eprop_isi_trace_cutoff = inf
    flush:
        interval = 10 ms
model eprop_synapse:
    eprop:
        weight = w
        optimizer:
            type = adam
            optimize_each_step = true
            inner:
                deep = 1
        eta = 1e-4
`);

  it("builds SettingsBlock/Setting entries generically", () => {
    const [eprop, flush] = file.models[0]!.blocks as A.SettingsBlock[];
    expect(eprop!.name.name).toBe("eprop");
    expect(eprop!.entries.map((e) => (e.kind === "Setting" ? `${e.key.name}=${show(e.value)}` : e.name.name))).toEqual([
      "role=recurrent",
      "threshold=(V_th + (adapt_beta * a))",
      "surrogate_gradient_width=1 mV",
      "eprop_isi_trace_cutoff=inf",
    ]);
    expect(flush).toMatchObject({ kind: "SettingsBlock", name: { name: "flush" }, entries: [{ kind: "Setting", key: { name: "interval" } }] });
  });

  it("nests blocks", () => {
    const eprop = file.models[1]!.blocks[0] as A.SettingsBlock;
    const optimizer = eprop.entries[1] as A.SettingsBlock;
    expect(optimizer.kind).toBe("SettingsBlock");
    expect(optimizer.entries.map((e) => e.kind)).toEqual(["Setting", "Setting", "SettingsBlock"]);
    expect(eprop.entries[2]).toMatchObject({ kind: "Setting", key: { name: "eta" } });
  });
});

describe("files and models", () => {
  it("parses several models with their doc comments", () => {
    const file = parseOk(`# header separated by a blank line

# first doc line
#   indented doc line
model a:
    state:
        x real = 0

#no space after the hash
model b:
    state:
        y real = 0
model c:
    state:
        z real = 0
`);
    expect(file.models.map((m) => m.name.name)).toEqual(["a", "b", "c"]);
    expect(file.models[0]!.doc).toBe("first doc line\n  indented doc line");
    expect(file.models[1]!.doc).toBe("no space after the hash");
    expect(file.models[2]!.doc).toBeUndefined();
    expect(file.models[0]!.range.start).toMatchObject({ line: 5, column: 1 });
  });

  it("accepts NESTML 8.0 triple-quoted docstrings as comments and model docs", () => {
    const file = parseOk(`"""
iaf_doc - a documented model
    indented detail
"""
model a:
    """ a docstring inside the body is just a comment """
    state:
        x real = 0
`);
    expect(file.models[0]!.doc).toBe("iaf_doc - a documented model\n    indented detail");
    expect(file.models[0]!.blocks).toHaveLength(1);
  });

  it("produces JSON-able nodes with a range on every node", () => {
    const file = parseOk(`model m:
    state:
        x real = 1 [[x > 0]]
    equations:
        kernel k = exp(-t)
    update:
        if x > 0:
            y = f(x, a=1)
`);
    const json = JSON.parse(JSON.stringify(file)) as unknown;
    expect(json).toEqual(file);
    let nodes = 0;
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (typeof o["kind"] === "string") {
          nodes++;
          const r = o["range"] as A.Range;
          expect(r.start.line).toBeGreaterThanOrEqual(1);
          expect(r.start.column).toBeGreaterThanOrEqual(1);
          expect(r.end.offset).toBeGreaterThanOrEqual(r.start.offset);
        }
        Object.values(o).forEach(visit);
      }
    };
    visit(json);
    expect(nodes).toBeGreaterThan(20);
  });
});
