/**
 * Model cells in the kernel: `%%model` source is checked and installed into the session; errors point
 * at the cell's own line and column with a caret snippet; the kernel stays usable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, outputsOfType, streamText } from "./client.js";

let kernel: KernelClient;

beforeAll(async () => {
  kernel = await KernelClient.start();
}, 90_000);

afterAll(async () => {
  await kernel?.close();
});

const GOOD = [
  "%%model",
  "model cell_lif_neuron:",
  "    parameters:",
  "        tau_m ms = 10 ms",
  "        E_L mV = -70 mV",
  "        V_th mV = -55 mV",
  "    state:",
  "        V_m mV = E_L",
  "    equations:",
  "        V_m' = -(V_m - E_L) / tau_m",
  "    output:",
  "        spike",
  "    update:",
  "        integrate_odes()",
  "    onCondition(V_m >= V_th):",
  "        V_m = E_L",
  "        emit_spike()",
  "",
].join("\n");

describe("model cells", () => {
  it("reports a syntax error at the cell's own line and column, with the caret snippet", async () => {
    // Line 4 of the cell (the %%model line is line 1) has a broken declaration.
    const code = ["%%model", "model broken_neuron:", "    parameters:", "        tau_m ms = = 10 ms", ""].join("\n");
    const { reply, outputs } = await kernel.execute(code);
    expect(reply.content["status"]).toBe("error");
    expect(reply.content["ename"]).toBe("ModelError");
    const count = reply.content["execution_count"] as number;
    expect(String(reply.content["evalue"])).toMatch(new RegExp(`^cell\\[${count}\\]:4:\\d+: error\\[[A-Z_]+\\]: `));
    const traceback = (reply.content["traceback"] as string[]).join("\n");
    expect(traceback).toContain("4 |         tau_m ms = = 10 ms");
    expect(traceback).toMatch(/\n {2}\| {2,}\^+/);
    expect(outputsOfType(outputs, "error")).toHaveLength(1);
    const after = await kernel.execute("1 + 1");
    expect(after.reply.content["status"]).toBe("ok");
  });

  it("a cell starting with `model NAME:` is a model cell too (lines count from the cell's first line)", async () => {
    const { reply } = await kernel.execute(["model headless_neuron:", "    state:", "        V mV = = 0 mV", ""].join("\n"));
    expect(reply.content["ename"]).toBe("ModelError");
    expect(String(reply.content["evalue"])).toMatch(/:3:\d+: error\[/);
    const commented = await kernel.execute(["# a doc comment above the model", "model commented_neuron:", "    state:", "        V mV = = 0 mV", ""].join("\n"));
    expect(String(commented.reply.content["evalue"])).toMatch(/:4:\d+: error\[/);
  });

  it("installs a correct model, prints a summary, and the next TypeScript cell can create it", async () => {
    const { reply, outputs } = await kernel.execute(GOOD);
    expect(reply.content["status"], JSON.stringify(reply.content)).toBe("ok");
    expect(streamText(outputs, "stdout")).toMatch(/Installed neuron model cell_lif_neuron \(3 parameters, 1 state variable\)/);
    const use = await kernel.execute(
      // The runtime a cell loads by package name (require(esm)) is the one the kernel installed the model into.
      ['import { Simulator } from "spikelab";', "const sim = new Simulator({ resolution: 0.1 });", 'const pop = sim.create("cell_lif_neuron", 3);', "pop.length"].join("\n"),
    );
    expect(use.reply.content["status"], JSON.stringify(use.reply.content)).toBe("ok");
    expect((outputsOfType(use.outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("3");
  });

  it("shows a library error (SpikelabError) as its message, without a JavaScript stack", async () => {
    const { reply } = await kernel.execute('import { Simulator as Sim } from "spikelab";\nnew Sim({ resolution: 0.1 }).create("no_such_model", 1);');
    expect(reply.content["ename"]).toBe("UnknownModelError");
    expect(reply.content["traceback"]).toEqual([`UnknownModelError: ${String(reply.content["evalue"])}`]);
    expect(String(reply.content["evalue"])).toContain("no_such_model");
  });

  it("completes and inspects inside model cells (built-ins, blocks, the cell's own names)", async () => {
    const code = "%%model\nmodel m:\n    parameters:\n        tau_m ms = 10 ms\n    update:\n        x = ex";
    const builtins = await kernel.request("complete_request", { code, cursor_pos: code.length });
    expect(builtins.reply.content["matches"]).toEqual(expect.arrayContaining(["exp", "expm1"]));
    expect(builtins.reply.content["cursor_start"]).toBe(code.length - 2);
    const own = await kernel.request("complete_request", { code: code + " + ta", cursor_pos: code.length + 5 });
    expect(own.reply.content["matches"]).toContain("tau_m");
    const sig = await kernel.request("inspect_request", { code: code + "pm1(", cursor_pos: code.length + 3, detail_level: 0 });
    expect((sig.reply.content["data"] as Record<string, unknown>)["text/plain"]).toBe("built-in function expm1(x real) real");
    const decl = await kernel.request("inspect_request", { code: code + " + tau_m", cursor_pos: code.length + 8, detail_level: 0 });
    expect((decl.reply.content["data"] as Record<string, unknown>)["text/plain"]).toBe("tau_m ms = 10 ms");
  });

  it("reports a semantic error from the checker with the cell's position", async () => {
    const code = ["%%model", "model unit_mixup_neuron:", "    state:", "        V_m mV = 5 pA", ""].join("\n");
    const { reply } = await kernel.execute(code);
    expect(reply.content["ename"]).toBe("ModelError");
    expect(String(reply.content["evalue"])).toMatch(/:4:\d+: error\[[A-Z_]+\]/);
    const still = await kernel.execute("2 * 21");
    expect((outputsOfType(still.outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("42");
  });
});
