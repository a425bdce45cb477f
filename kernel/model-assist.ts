/**
 * Completion and inspection inside model cells (the model language, not TypeScript): block names,
 * keywords, built-in functions with their signatures, kernel units, and the names the cell declares.
 */
import { BUILTIN_FUNCTIONS } from "../language/binder/builtins.js";

const BLOCKS = ["parameters", "state", "internals", "equations", "input", "output", "update", "onReceive", "onCondition", "function", "eprop", "flush"];
const KEYWORDS = [
  "model", "kernel", "inline", "recordable", "if", "elif", "else", "for", "while", "in", "step", "return", "and", "or", "not",
  "inf", "true", "false", "integer", "real", "boolean", "string", "void", "spike", "continuous", "excitatory", "inhibitory",
];
const UNITS = ["ms", "s", "mV", "V", "pA", "nA", "pF", "nF", "nS", "uS", "Hz", "GOhm", "MOhm"];
const PREDEFINED = ["t", "e", "pi"];

export interface ModelCompletion {
  readonly matches: string[];
  /** UTF-16 offsets of the word being completed. */
  readonly start: number;
  readonly end: number;
}

/** The identifier that ends at (or contains) `cursor`. */
function wordAt(code: string, cursor: number): { start: number; end: number; text: string } {
  let start = cursor;
  while (start > 0 && /\w/.test(code[start - 1]!)) start--;
  let end = cursor;
  while (end < code.length && /\w/.test(code[end]!)) end++;
  return { start, end, text: code.slice(start, end) };
}

/** Names declared in the cell: `model NAME:`, declarations `a, b type = ...`, ports, kernels, functions. */
function declaredNames(code: string): string[] {
  const names = new Set<string>();
  for (const line of code.split("\n")) {
    const model = /^\s*model\s+(\w+)/.exec(line);
    if (model) names.add(model[1]!);
    const decl = /^\s*(?:recordable\s+)?(?:inline\s+|kernel\s+|function\s+)?(\w+(?:\s*,\s*\w+)*)'*\s+[\w(]/.exec(line);
    if (decl && !/^\s*(if|elif|else|for|while|return|model)\b/.test(line)) {
      for (const n of decl[1]!.split(",")) names.add(n.trim());
    }
    const port = /^\s*(\w+)\s*(?:\w+\s*)?<-/.exec(line);
    if (port) names.add(port[1]!);
  }
  return [...names].filter((n) => /^[A-Za-z_]\w*$/.test(n));
}

export function completeModel(code: string, cursor: number): ModelCompletion {
  const word = wordAt(code, cursor);
  const prefix = code.slice(word.start, cursor);
  const pool = new Set([...declaredNames(code), ...BUILTIN_FUNCTIONS.keys(), ...BLOCKS, ...KEYWORDS, ...UNITS, ...PREDEFINED]);
  const matches = [...pool].filter((c) => c.startsWith(prefix) && c !== word.text).sort((a, b) => a.length - b.length || a.localeCompare(b));
  return { matches, start: word.start, end: word.end };
}

/** A built-in's signature, or the line declaring a name of this cell. */
export function inspectModel(code: string, cursor: number): string | undefined {
  const word = wordAt(code, cursor).text;
  if (word === "") return undefined;
  const builtin = BUILTIN_FUNCTIONS.get(word);
  if (builtin) return `built-in function ${builtin.signature}`;
  const declaration = code
    .split("\n")
    .find((line) => new RegExp(`^\\s*(?:recordable\\s+|inline\\s+|kernel\\s+|function\\s+)*${word}\\b(?!\\s*(?:'|=|\\+=|-=|\\*=|/=))`).test(line));
  return declaration?.trim();
}
