/**
 * `spikelab` command dispatcher and `spikelab check`: exit codes, messages, formatted diagnostics.
 */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, registerCommand, type CliIo } from "../../cli/main.js";

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

const dir = mkdtempSync(join(tmpdir(), "spikelab-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const good = file(
  "good.spk",
  `model good_neuron:
    parameters:
        tau ms = 10 ms
        E_L mV = -70 mV
    state:
        V_m mV = -70 mV
    equations:
        V_m' = -(V_m - E_L) / tau
    output:
        spike
    update:
        integrate_odes()
    onCondition(V_m > 0 mV):
        emit_spike()
`,
);

const bad = file("bad.spk", "model bad:\n    state\n        x real = 1\n    update:\n        x = (1 +\n");

describe("spikelab dispatcher", () => {
  it("lists the commands with --help and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: spikelab <command>/);
    expect(r.out).toMatch(/^ {2}check +parse and check model files/m);
  });

  it("exits 2 with the help on stderr when no command is given", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no command given/);
    expect(r.err).toMatch(/commands:/);
  });

  it("exits 2 for an unknown command", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^spikelab: unknown command 'frobnicate'/);
  });

  it("prints a command's usage with --help or help NAME", async () => {
    expect((await run("check", "--help")).out).toMatch(/^usage: spikelab check \[--portability\] FILE\.\.\./);
    const h = await run("help", "check");
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Exit status: 0/);
  });

  it("runs commands registered by other modules", async () => {
    registerCommand({ name: "echo-test", summary: "test command", usage: "usage: echo-test", run: async (args, io) => (io.stdout(args.join(",")), 7) });
    const r = await run("echo-test", "a", "b");
    expect(r).toMatchObject({ code: 7, out: "a,b" });
    expect((await run("--help")).out).toMatch(/echo-test +test command/);
  });

  it("reports a command's unexpected exception without a stack trace (exit 3)", async () => {
    registerCommand({ name: "boom-test", summary: "throws", usage: "", run: async () => { throw new Error("kaboom"); } });
    const r = await run("boom-test");
    expect(r.code).toBe(3);
    expect(r.err).toBe("spikelab: internal error: kaboom");
  });
});

describe("spikelab check", () => {
  it("exits 0 for clean files and says so", async () => {
    const r = await run("check", good);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${good}: ok (1 model)`);
    expect(r.out).toMatch(/checked 1 file: 0 errors, 0 warnings/);
  });

  it("exits 1 and prints every error with location, snippet and caret", async () => {
    const r = await run("check", good, bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      [`${bad}:2:10: error[SYNTAX_ERROR]: expected ':' after 'state', found end of line`, "  |", "2 |     state", "  |          ^"].join("\n"),
    );
    expect(r.err).toContain(`${bad}:5:17: error[SYNTAX_ERROR]: expected an expression after '+', found end of line`);
    expect(r.err).toMatch(/checked 2 files: 2 errors/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("prints warnings but exits 0 when there are no errors", async () => {
    const legacy = file(
      "legacy.spk",
      "model legacy_synapse:\n    state:\n        w real = 1\n    input:\n        pre_spikes <- spike\n    output:\n        spike(weight real, delay ms)\n    onReceive(pre_spikes):\n        emit_spike(w)\n",
    );
    const r = await run("check", legacy);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${legacy}:`);
    expect(r.err).toMatch(/: warning\[[A-Z_]+\]: /);
    expect(r.err).not.toMatch(/: error\[/);
    expect(r.out).toMatch(/ok \(1 model, \d+ warnings?\)/);
  });

  it("exits 2 without files, for unreadable paths and unknown options", async () => {
    const none = await run("check");
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no files given/);
    const missing = await run("check", join(dir, "nope.spk"));
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`spikelab check: cannot read '${join(dir, "nope.spk")}': no such file`);
    const directory = await run("check", dir);
    expect(directory.code).toBe(2);
    expect(directory.err).toMatch(/it is a directory/);
    const flag = await run("check", "--frob", good);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/unknown option '--frob'/);
  });

  it("reports binary, non-UTF-8 and empty files as errors (exit 1), without a snippet", async () => {
    const binary = file("binary.spk", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    const latin1 = file("latin1.spk", new Uint8Array([0x6d, 0x6f, 0x64, 0xe9, 0x6c, 0x0a]));
    const empty = file("empty.spk", "");
    const r = await run("check", binary, latin1, empty);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${binary}:1:1: error[NOT_TEXT]: file is not a text file (it contains NUL bytes)`);
    expect(r.err).toContain(`${latin1}:1:4: error[NOT_TEXT]: file is not valid UTF-8 text (byte 0xE9 at line 1, column 4)`);
    expect(r.err).toContain(`${empty}:1:1: error[EMPTY_FILE]: file is empty`);
    expect(r.err).not.toContain("1 |");
  });
});
