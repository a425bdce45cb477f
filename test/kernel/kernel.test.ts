/**
 * Drives the built kernel (dist/kernel/main.js) over zeromq, as Jupyter would, without Python.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, makeHeader } from "../../kernel/wire.js";
import { KernelClient, outputsOfType, streamText } from "./client.js";

let kernel: KernelClient;

beforeAll(async () => {
  // A notebook folder with no node_modules: "spikelab" must still resolve (kernel hooks).
  kernel = await KernelClient.start({ cwd: mkdtempSync(path.join(tmpdir(), "spikelab-nb-")) });
}, 90_000);

afterAll(async () => {
  await kernel?.close();
});

describe("spikelab kernel over zeromq", () => {
  it("answers kernel_info with status ok and TypeScript language_info", async () => {
    const { reply } = await kernel.request("kernel_info_request", {});
    expect(reply.header.msg_type).toBe("kernel_info_reply");
    expect(reply.content["status"]).toBe("ok");
    expect(reply.content["protocol_version"]).toBe("5.3");
    expect(reply.content["implementation"]).toBe("spikelab");
    const info = reply.content["language_info"] as Record<string, unknown>;
    expect(info["name"]).toBe("typescript");
    expect(info["file_extension"]).toBe(".ts");
    expect(String(reply.content["banner"])).toMatch(/Spikelab/);
    expect(Array.isArray(reply.content["help_links"])).toBe(true);
  });

  it("sends execute_input and an execute_result for the last expression", async () => {
    const { reply, outputs } = await kernel.execute("const answer: number = 6 * 7;\nanswer");
    expect(reply.content["status"]).toBe("ok");
    const count = reply.content["execution_count"] as number;
    expect(count).toBeGreaterThan(0);
    const input = outputsOfType(outputs, "execute_input")[0]!;
    expect(input.content["code"]).toBe("const answer: number = 6 * 7;\nanswer");
    expect(input.content["execution_count"]).toBe(count);
    const result = outputsOfType(outputs, "execute_result")[0]!;
    expect(result.content["execution_count"]).toBe(count);
    expect((result.content["data"] as Record<string, unknown>)["text/plain"]).toBe("42");
  });

  it("keeps declarations across cells and formats objects with util.inspect", async () => {
    const { outputs } = await kernel.execute("({ doubled: answer * 2, list: [1, 2] })");
    const result = outputsOfType(outputs, "execute_result")[0]!;
    expect((result.content["data"] as Record<string, unknown>)["text/plain"]).toBe("{ doubled: 84, list: [ 1, 2 ] }");
  });

  it("captures console.log, console.error and process.stdout.write as streams", async () => {
    const { reply, outputs } = await kernel.execute('process.stdout.write("raw\\n");\nconsole.log("hello", 1 + 1);\nconsole.error("oops");');
    expect(reply.content["status"]).toBe("ok");
    expect(streamText(outputs, "stdout")).toBe("raw\nhello 2\n");
    expect(streamText(outputs, "stderr")).toBe("oops\n");
    expect(outputsOfType(outputs, "execute_result")).toHaveLength(0);
  });

  it("streams a large amount of output in pieces, in order", async () => {
    const { outputs } = await kernel.execute('for (let i = 0; i < 20000; i++) console.log("line " + i);');
    const pieces = outputs.filter((m) => m.header.msg_type === "stream");
    expect(pieces.length).toBeGreaterThan(1);
    const lines = streamText(outputs, "stdout").trimEnd().split("\n");
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe("line 19999");
  });

  it("shows a last expression with a MIME bundle method as a rich execute_result", async () => {
    const { outputs } = await kernel.execute('({ toMimeBundle: () => ({ data: { "text/html": "<i>rich</i>" } }) })');
    const data = outputsOfType(outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>;
    expect(data["text/html"]).toBe("<i>rich</i>");
    expect(data["text/plain"]).toBeTypeOf("string");
  });

  it("sends progress updates and prints while a cell is still computing (not only at its end)", async () => {
    const code = [
      'display({ data: { "text/plain": "0%" } }, "progress");',
      "const start = Date.now();",
      "let step = 0;",
      "while (Date.now() - start < 1500) {",
      "  if (Date.now() - start > step * 300) {",
      "    step++;",
      '    updateDisplay({ data: { "text/plain": `${step * 20}%` } }, "progress");',
      '    console.log("step", step);',
      "  }",
      "}",
    ].join("\n");
    const { reply, outputs, arrivals, replyArrival } = await kernel.execute(code);
    expect(reply.content["status"]).toBe("ok");
    const updates = outputs.map((m, i) => ({ m, at: arrivals[i]! })).filter(({ m }) => m.header.msg_type === "update_display_data");
    expect(updates.length).toBeGreaterThanOrEqual(4);
    // The first update left the kernel while the loop was still running, about a second before the end.
    expect(replyArrival - updates[0]!.at).toBeGreaterThan(700);
    const firstPrint = outputs.findIndex((m) => m.header.msg_type === "stream");
    expect(replyArrival - arrivals[firstPrint]!).toBeGreaterThan(700);
  });

  it("supports top-level await", async () => {
    const { outputs } = await kernel.execute("const later = await new Promise<number>((r) => setTimeout(() => r(5), 20));\nlater + 1");
    const result = outputsOfType(outputs, "execute_result")[0]!;
    expect((result.content["data"] as Record<string, unknown>)["text/plain"]).toBe("6");
  });

  it("sends display_data through the kernel host, with display_id updates", async () => {
    const code = [
      'display({ data: { "text/html": "<b>hi</b>" } });',
      'display({ toMimeBundle: () => ({ data: { "text/markdown": "**md**" } }) }, "d1");',
      'updateDisplay({ toMimeBundle: async () => ({ data: { "text/markdown": "**updated**" } }) }, "d1");',
    ].join("\n");
    const { reply, outputs } = await kernel.execute(code);
    expect(reply.content["status"]).toBe("ok");
    const displays = outputsOfType(outputs, "display_data");
    expect(displays).toHaveLength(2);
    expect((displays[0]!.content["data"] as Record<string, unknown>)["text/html"]).toBe("<b>hi</b>");
    expect((displays[1]!.content["data"] as Record<string, unknown>)["text/markdown"]).toBe("**md**");
    expect(displays[1]!.content["transient"]).toEqual({ display_id: "d1" });
    const updates = outputsOfType(outputs, "update_display_data");
    expect(updates).toHaveLength(1);
    expect((updates[0]!.content["data"] as Record<string, unknown>)["text/markdown"]).toBe("**updated**");
    expect(updates[0]!.content["transient"]).toEqual({ display_id: "d1" });
  });

  it("imports spikelab by name from a notebook folder outside the repository", async () => {
    const { reply, outputs } = await kernel.execute('import * as spikelab from "spikelab";\ntypeof spikelab.Simulator');
    expect(reply.content["status"], JSON.stringify(reply.content)).toBe("ok");
    expect((outputsOfType(outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("'function'");
  });

  it("the library's display() (kernel/index.ts) reaches the notebook through the host", async () => {
    const { reply, outputs } = await kernel.execute('import { display as show } from "spikelab";\nshow({ data: { "text/plain": "from the library" } });');
    expect(reply.content["status"], JSON.stringify(reply.content)).toBe("ok");
    const displays = outputsOfType(outputs, "display_data");
    expect((displays[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("from the library");
  });

  it("turns a throw into an error reply and one error message, and keeps the session", async () => {
    const { reply, outputs } = await kernel.execute('throw new RangeError("boom")');
    expect(reply.content["status"]).toBe("error");
    expect(reply.content["ename"]).toBe("RangeError");
    expect(reply.content["evalue"]).toBe("boom");
    expect((reply.content["traceback"] as string[])[0]).toBe("RangeError: boom");
    const errors = outputsOfType(outputs, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.content["ename"]).toBe("RangeError");
    const nested = await kernel.execute('function inner(): never { throw new TypeError("deep"); }\ninner();');
    const frames = nested.reply.content["traceback"] as string[];
    expect(frames[0]).toBe("TypeError: deep");
    expect(frames[1]).toMatch(new RegExp(`^\\s+at inner \\(cell\\[${nested.reply.content["execution_count"]}\\]\\)$`));
    expect(frames.join("\n")).not.toMatch(/evalmachine|node:internal|tslab/);
    const after = await kernel.execute("answer + 1");
    expect((outputsOfType(after.outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("43");
  });

  it("aborts requests queued behind a failing cell (stop_on_error), not later ones", async () => {
    const failing = kernel.execute('throw new Error("stop here")');
    const queued = kernel.execute('console.log("must not run")');
    expect((await failing).reply.content["status"]).toBe("error");
    const skipped = await queued;
    expect(skipped.reply.content["status"]).toBe("aborted");
    expect(streamText(skipped.outputs, "stdout")).toBe("");
    const later = await kernel.execute("answer");
    expect(later.reply.content["status"]).toBe("ok");
  });

  it("reports a TypeScript type error with the cell's line and column, and does not run the cell", async () => {
    const { reply, outputs } = await kernel.execute('console.log("must not run");\nconst s: string = answer;');
    expect(reply.content["status"]).toBe("error");
    expect(reply.content["ename"]).toBe("TSError");
    expect(String(reply.content["evalue"])).toMatch(/:2:7 - Type 'number' is not assignable to type 'string'/);
    const traceback = (reply.content["traceback"] as string[]).join("\n");
    expect(traceback).toMatch(/error TS2322/);
    expect(traceback).toContain("2 | const s: string = answer;");
    expect(traceback).toContain("  |       ^");
    expect(streamText(outputs, "stdout")).toBe("");
    expect(outputsOfType(outputs, "error")).toHaveLength(1);
    const after = await kernel.execute("answer");
    expect(after.reply.content["status"]).toBe("ok");
  });

  it("counts executions; silent and store_history=false do not advance the count", async () => {
    const first = await kernel.execute("1");
    const n = first.reply.content["execution_count"] as number;
    const silent = await kernel.execute("2", { silent: true });
    expect(silent.outputs).toHaveLength(0);
    const unstored = await kernel.execute("3", { store_history: false });
    expect(outputsOfType(unstored.outputs, "execute_result")).toHaveLength(1);
    const next = await kernel.execute("4");
    expect(next.reply.content["execution_count"]).toBe(n + 1);
  });

  it("is_complete: complete, incomplete with an indent, invalid", async () => {
    const ask = async (code: string) => (await kernel.request("is_complete_request", { code })).reply.content;
    expect((await ask("const x = 1;"))["status"]).toBe("complete");
    const open = await ask("function f() {");
    expect(open["status"]).toBe("incomplete");
    expect(open["indent"]).toBe("  ");
    expect((await ask("const y = (1 +"))["status"]).toBe("incomplete");
    expect((await ask("let = = 3;"))["status"]).toBe("invalid");
    // Model cells are indentation-based: a block header waits for its body, a blank line ends the cell.
    const header = await ask("%%model\nmodel m:");
    expect(header).toMatchObject({ status: "incomplete", indent: "    " });
    expect((await ask("%%model\nmodel m:\n    state:\n        V mV = 0 mV\n"))["status"]).toBe("complete");
  });

  it("completes members and globals through tslab's TypeScript", async () => {
    const members = await kernel.request("complete_request", { code: "Math.ab", cursor_pos: 7 });
    expect(members.reply.content["matches"]).toContain("abs");
    expect(members.reply.content["cursor_start"]).toBe(5);
    expect(members.reply.content["cursor_end"]).toBe(7);
    const types = (members.reply.content["metadata"] as { _jupyter_types_experimental: { text: string; type: string }[] })._jupyter_types_experimental;
    expect(types.find((t) => t.text === "abs")?.type).toBe("method");
    const session = await kernel.request("complete_request", { code: "answ", cursor_pos: 4 });
    expect(session.reply.content["matches"]).toContain("answer");
    const methods = await kernel.request("complete_request", { code: "answer.toFi", cursor_pos: 11 });
    expect(methods.reply.content["matches"]).toContain("toFixed");
  });

  it("inspects: quick info with signature and docs", async () => {
    const { reply } = await kernel.request("inspect_request", { code: "Math.max", cursor_pos: 8, detail_level: 0 });
    expect(reply.content["status"]).toBe("ok");
    expect(reply.content["found"]).toBe(true);
    const text = String((reply.content["data"] as Record<string, unknown>)["text/plain"]);
    expect(text).toContain("max(...values: number[]): number");
    const none = await kernel.request("inspect_request", { code: "   ", cursor_pos: 1, detail_level: 0 });
    expect(none.reply.content["found"]).toBe(false);
  });

  it("answers history (tail and search) with this session's inputs", async () => {
    const { reply } = await kernel.request("history_request", { output: false, raw: true, hist_access_type: "tail", n: 2 });
    const rows = reply.content["history"] as [number, number, string][];
    expect(rows).toHaveLength(2);
    expect(rows[1]![2]).toBe("4");
    const search = await kernel.request("history_request", { output: false, raw: true, hist_access_type: "search", pattern: "const answer*" });
    expect((search.reply.content["history"] as unknown[]).length).toBe(1);
  });

  it("evaluates user_expressions after the cell", async () => {
    const { reply } = await kernel.execute("const ue = 5;", { user_expressions: { doubled: "ue * 2", broken: "ue.nope()" } });
    const results = reply.content["user_expressions"] as Record<string, Record<string, unknown>>;
    expect(results["doubled"]).toEqual({ status: "ok", data: { "text/plain": "10" }, metadata: {} });
    expect(results["broken"]!["status"]).toBe("error");
    expect(results["broken"]!["ename"]).toBe("TSError");
  });

  /** Runs `code` after the cell has written a marker file, and resolves once the cell is running. */
  async function startBlockingCell(code: string): Promise<{ running: ReturnType<KernelClient["execute"]> }> {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), "spikelab-running-")), "running");
    const running = kernel.execute(`require("node:fs").writeFileSync(${JSON.stringify(marker)}, "1");\n${code}`);
    for (let waited = 0; !existsSync(marker); waited += 20) {
      if (waited > 30_000) throw new Error("the cell never started");
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100)); // well inside the loop / the await
    return { running }; // wrapped: returning the promise itself would make the caller wait for the cell
  }

  it("interrupts an infinite loop with interrupt_request (control channel) and keeps the session", async () => {
    await kernel.execute("let spins = 0;");
    const { running } = await startBlockingCell("while (true) { spins++; }");
    const interrupt = await kernel.request("interrupt_request", {}, { channel: "control", timeoutMs: 10_000 });
    expect(interrupt.reply.content["status"]).toBe("ok");
    const { reply, outputs } = await running;
    expect(reply.content["status"]).toBe("error");
    expect(reply.content["ename"]).toBe("KeyboardInterrupt");
    expect(outputsOfType(outputs, "error")).toHaveLength(1);
    const after = await kernel.execute("spins > 0 && answer === 42");
    expect((outputsOfType(after.outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("true");
  });

  it("interrupts with SIGINT (interrupt_mode signal), also a cell awaiting forever", async () => {
    const { running: spinning } = await startBlockingCell("for (;;) {}");
    kernel.child.kill("SIGINT");
    expect((await spinning).reply.content["ename"]).toBe("KeyboardInterrupt");
    const { running: waiting } = await startBlockingCell("await new Promise(() => {});");
    kernel.child.kill("SIGINT");
    expect((await waiting).reply.content["ename"]).toBe("KeyboardInterrupt");
    const after = await kernel.execute("answer");
    expect(after.reply.content["status"]).toBe("ok");
  });

  it("awaits a promise left as the last expression and shows its value", async () => {
    const { outputs } = await kernel.execute("Promise.resolve(answer * 10)");
    expect((outputsOfType(outputs, "execute_result")[0]!.content["data"] as Record<string, unknown>)["text/plain"]).toBe("420");
    const none = await kernel.execute('display({ data: { "text/plain": "shown" } })');
    expect(outputsOfType(none.outputs, "execute_result")).toHaveLength(0);
    expect(outputsOfType(none.outputs, "display_data")).toHaveLength(1);
  });

  it("answers comm_info", async () => {
    const { reply } = await kernel.request("comm_info_request", {});
    expect(reply.content).toEqual({ status: "ok", comms: {} });
  });

  it("drops messages with a bad signature", async () => {
    const header = makeHeader("kernel_info_request", "forger", "test");
    const frames = encodeMessage(
      { sign: () => "0".repeat(64), verify: () => true } as never,
      { identities: [], header, parent_header: {}, metadata: {}, content: {} },
    );
    await expect(kernel.sendFrames(frames, header.msg_id, 1500)).rejects.toThrow(/no complete answer/);
    expect(kernel.stderr).toMatch(/invalid message signature/);
  });

  it("exits by itself when its parent process (JPY_PARENT_PID) is gone", async () => {
    const { spawn } = await import("node:child_process");
    const parent = spawn("sleep", ["30"]);
    const orphan = await KernelClient.start({ env: { JPY_PARENT_PID: String(parent.pid) } });
    parent.kill("SIGKILL");
    const code = await Promise.race([orphan.exited, new Promise((r) => setTimeout(() => r("still running"), 8000))]);
    expect(code).toBe(0);
    await orphan.close();
  });

  it("shuts down: echoes restart, publishes shutdown_reply, exits 0", async () => {
    const { reply, outputs } = await kernel.shutdown(true);
    expect(reply.header.msg_type).toBe("shutdown_reply");
    expect(reply.content).toEqual({ status: "ok", restart: true });
    expect(outputsOfType(outputs, "shutdown_reply")).toHaveLength(1);
    expect(await kernel.exited).toBe(0);
  });
});
