/** Installing a model with errors: the thrown message names the errors, not the warnings. */
import { describe, expect, it } from "vitest";
import { ModelCompileError } from "../../runtime/errors.js";
import { Simulator } from "../../runtime/simulator.js";

describe("sim.install with a broken model", () => {
  it("throws ModelCompileError whose message starts with the error; warnings stay in .diagnostics", () => {
    const sim = new Simulator({ progress: false });
    // `V` shadows the unit volt (a warning) and is initialised with a current (an error).
    const source = "model q:\n    state:\n        V mV = 1 pA\n";
    let thrown: unknown;
    try {
      sim.install(source);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ModelCompileError);
    const err = thrown as ModelCompileError;
    expect(err.message.split("\n")[0]).toMatch(/^<install>:3:16: error\[UNIT_MISMATCH\]/);
    expect(err.message).not.toMatch(/warning\[/);
    expect(err.diagnostics.some((d) => d.severity === "warning")).toBe(true);
  });
});

describe("typed get", () => {
  it("recorder events come back as typed arrays", () => {
    const sim = new Simulator({ progress: false });
    const gen = sim.create("spike_generator", 1, { spike_times: [1.0, 2.0] });
    const sr = sim.create("spike_recorder");
    sim.connect(gen, sr);
    sim.simulate(5);
    const { senders, times } = sr.get("events");
    expect(senders).toBeInstanceOf(Int32Array);
    expect(Array.from(times)).toEqual([1.0, 2.0]);
  });
});

describe("printing a NodeCollection", () => {
  it("util.inspect (console.log, notebook results) shows the summary", async () => {
    const { inspect } = await import("node:util");
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_alpha", 5);
    expect(inspect(n)).toBe("NodeCollection(model=iaf_psc_alpha, size=5, first=1, last=5)");
    expect(inspect({ n })).toContain("NodeCollection(model=iaf_psc_alpha");
  });
});
