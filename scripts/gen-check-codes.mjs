// Regenerates the table of semantic-check codes in grammar.md from language/checker/codes.ts
// (run after `npm run build`). test/language/grammar-codes.test.ts fails when they drift apart.
import { readFileSync, writeFileSync } from "node:fs";
import { CHECK_CODES } from "../dist/language/checker/codes.js";

const BEGIN = "<!-- check-codes:begin -->";
const END = "<!-- check-codes:end -->";
const path = new URL("../grammar.md", import.meta.url);
const doc = readFileSync(path, "utf8");
const rows = Object.entries(CHECK_CODES).map(([code, text]) => `| \`${code}\` | ${text.replace(/\|/g, "\\|")} |`);
const table = [BEGIN, "| code | when |", "|---|---|", ...rows, END].join("\n");
const a = doc.indexOf(BEGIN);
const b = doc.indexOf(END);
if (a < 0 || b < 0) throw new Error("grammar.md has no check-codes markers");
writeFileSync(path, doc.slice(0, a) + table + doc.slice(b + END.length));
console.log(`grammar.md: ${rows.length} check codes`);
