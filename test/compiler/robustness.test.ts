/**
 * Every model the checker accepts (its valid fixtures and our bundled models) either compiles to a
 * kernel that runs, or is reported as a diagnostic; generated code never throws at run time.
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { compileModels } from "../../language/compile/index.js";
import type { NeuronModel, SynapseModel } from "../../runtime/model-abi.js";
import { Driver } from "./harness.js";

const dirs = ["../fixtures/valid", "../../runtime/models"].map((d) => new URL(`${d}/`, import.meta.url));
const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(spk|nestml)$/.test(f)).map((f) => new URL(f, d)));

test.each(files.map((f) => [f.pathname.split("/").slice(-2).join("/"), f] as const))("%s", (_, url) => {
  const r = compileModels(readFileSync(url, "utf8"), url.pathname);
  expect(r.diagnostics.filter((d) => d.code === "INTERNAL")).toEqual([]);
  for (const m of r.models) {
    if (m.kind === "neuron") {
      const n = m as NeuronModel;
      for (const dt of [0.1, 1]) {
        const d = new Driver(n, 3, dt);
        d.run(25, (s) => {
          for (const p of n.ports) {
            if (p.kind === "spike") d.spike(p.name, s + 1, 1 + (s % 3), s % 3, 1);
            else d.current(p.name, s + 1, 10, (s + 1) % 3);
          }
        });
        for (const name of n.recordables) for (let i = 0; i < 3; i++) expect(typeof d.get(name, i)).toBe("number");
      }
    } else {
      const pop = (m as SynapseModel).instantiate(2);
      pop.prepare(0.1);
      const post = Float64Array.of(0.3, 1.2, 2.5);
      for (const t of [1, 2, 3.5]) expect(typeof pop.onPreSpike(1, t, post, 3, 0.5)).toBe("number");
    }
  }
});
