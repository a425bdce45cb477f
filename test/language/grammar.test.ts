/**
 * grammar.md must agree with the Chevrotain grammar, both ways:
 * - the `ebnf` blocks define exactly the parser's rules, and each rule's body names exactly the
 *   nonterminals and terminals the Chevrotain rule references;
 * - every token class used is a scanner token, every keyword is documented;
 * - every `spk` example parses without diagnostics.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "../../language/parse.js";
import { SpikelabParser, spikelabParser } from "../../language/parser/parser.js";
import { keywordTokens, parserTokens } from "../../language/scanner/tokens.js";

const markdown = readFileSync(new URL("../../grammar.md", import.meta.url), "utf8");

function fencedBlocks(lang: string): { text: string; line: number }[] {
  const blocks: { text: string; line: number }[] = [];
  const re = new RegExp("^```" + lang + "[ \\t]*\\n([\\s\\S]*?)^```", "gm");
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    blocks.push({ text: m[1]!, line: markdown.slice(0, m.index).split("\n").length + 1 });
  }
  return blocks;
}

/** Token classes that EBNF writes in upper case, mapped to scanner token names. */
const tokenClasses: Record<string, string> = {
  NAME: "Name",
  INT: "IntegerLiteral",
  FLOAT: "FloatLiteral",
  STRING: "StringLiteral",
  BOOLEAN: "BooleanLiteral",
  NEWLINE: "Newline",
  INDENT: "Indent",
  DEDENT: "Dedent",
};

const tokenByLabel = new Map(parserTokens.map((t) => [String(t.LABEL), t.name]));

interface EbnfRule {
  readonly nonterminals: Set<string>;
  readonly terminals: Set<string>;
}

/** Reads `name = body ;` rules: a tiny tokenizer that understands quotes and (* comments *). */
function readEbnf(text: string): Map<string, EbnfRule> {
  const tokens: string[] = [];
  const re = /\(\*[\s\S]*?\*\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*|[=;|[\]{}()]|\S/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!m[0].startsWith("(*")) tokens.push(m[0]);
  const rules = new Map<string, EbnfRule>();
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i]!;
    expect(tokens[i + 1], `rule ${name} must be followed by '='`).toBe("=");
    i += 2;
    const rule: EbnfRule = { nonterminals: new Set(), terminals: new Set() };
    while (i < tokens.length && tokens[i] !== ";") {
      const t = tokens[i]!;
      if (t.startsWith('"')) {
        const label = `'${t.slice(1, -1)}'`;
        const tokenName = tokenByLabel.get(label);
        expect(tokenName, `rule ${name}: ${t} is not a token of the scanner`).toBeDefined();
        rule.terminals.add(tokenName!);
      } else if (/^[A-Z][A-Z_]*$/.test(t)) {
        expect(tokenClasses[t], `rule ${name}: unknown token class ${t}`).toBeDefined();
        rule.terminals.add(tokenClasses[t]!);
      } else if (/^[a-z][A-Za-z0-9]*$/.test(t)) {
        rule.nonterminals.add(t);
      }
      i++;
    }
    expect(rules.has(name), `rule ${name} is defined twice in grammar.md`).toBe(false);
    rules.set(name, rule);
    i++; // ';'
  }
  return rules;
}

interface SerializedNode {
  type: string;
  name?: string;
  definition?: SerializedNode[];
  separator?: SerializedNode;
}

function referencesOf(rule: SerializedNode): EbnfRule {
  const out: EbnfRule = { nonterminals: new Set(), terminals: new Set() };
  const walk = (node: SerializedNode): void => {
    if (node.type === "NonTerminal") out.nonterminals.add(node.name!);
    else if (node.type === "Terminal") out.terminals.add(node.name!);
    if (node.separator) walk(node.separator);
    for (const child of node.definition ?? []) walk(child);
  };
  for (const child of rule.definition ?? []) walk(child);
  return out;
}

const documented = new Map<string, EbnfRule>();
for (const block of fencedBlocks("ebnf")) {
  for (const [name, rule] of readEbnf(block.text)) {
    expect(documented.has(name), `rule ${name} is defined twice in grammar.md`).toBe(false);
    documented.set(name, rule);
  }
}

const parser = spikelabParser();
const productions = parser.getSerializedGastProductions() as unknown as SerializedNode[];
const implemented = new Map(productions.map((r) => [r.name!, referencesOf(r)]));

describe("the Chevrotain grammar", () => {
  it("passes Chevrotain's own validations (no ambiguities, no left recursion)", () => {
    // performSelfAnalysis throws on any definition error when validations are on.
    expect(() => new SpikelabParser({ validate: true })).not.toThrow();
    expect(parser.definitionErrors).toEqual([]);
  });
});

describe("grammar.md agrees with the parser", () => {
  it("documents every parser rule", () => {
    const missing = [...implemented.keys()].filter((n) => !documented.has(n));
    expect(missing, "parser rules without an EBNF rule in grammar.md").toEqual([]);
  });

  it("documents no rule the parser lacks", () => {
    const extra = [...documented.keys()].filter((n) => !implemented.has(n));
    expect(extra, "EBNF rules in grammar.md that the parser does not have").toEqual([]);
    expect(documented.size).toBeGreaterThan(50);
  });

  it("names the same nonterminals and terminals in every rule body", () => {
    const mismatches: string[] = [];
    for (const [name, impl] of implemented) {
      const doc = documented.get(name);
      if (!doc) continue;
      const sortJoin = (s: Set<string>) => [...s].sort().join(" ");
      if (sortJoin(doc.nonterminals) !== sortJoin(impl.nonterminals)) {
        mismatches.push(`${name}: nonterminals doc [${sortJoin(doc.nonterminals)}] vs parser [${sortJoin(impl.nonterminals)}]`);
      }
      if (sortJoin(doc.terminals) !== sortJoin(impl.terminals)) {
        mismatches.push(`${name}: terminals doc [${sortJoin(doc.terminals)}] vs parser [${sortJoin(impl.terminals)}]`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("defines every token class it uses in the lexical block", () => {
    const lexical = fencedBlocks("ebnf-lexical").map((b) => b.text).join("\n");
    for (const cls of ["NAME", "INT", "FLOAT", "STRING", "BOOLEAN", "COMMENT"]) {
      expect(lexical, `token class ${cls}`).toMatch(new RegExp(`^${cls}\\s*=`, "m"));
    }
    for (const layout of ["NEWLINE", "INDENT", "DEDENT"]) expect(markdown).toContain(`\`${layout}\``);
  });

  it("mentions every keyword", () => {
    const undocumented = keywordTokens
      .map((t) => String(t.LABEL).slice(1, -1))
      .filter((kw) => !markdown.includes("`" + kw + "`") && !markdown.includes(`"${kw}"`));
    expect(undocumented).toEqual([]);
    expect(keywordTokens.length).toBe(35);
  });

  const examples = fencedBlocks("spk");
  it("has examples for every construct", () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  for (const example of examples) {
    it(`example at grammar.md line ${example.line} parses without diagnostics`, () => {
      const result = parse(example.text, `grammar.md:${example.line}`);
      expect(result.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([]);
      expect(result.file.models.length).toBeGreaterThan(0);
    });
  }
});
