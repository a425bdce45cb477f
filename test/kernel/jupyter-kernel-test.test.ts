/**
 * Runs Jupyter's own protocol tests (Debian's python3-jupyter-kernel-test, a `KernelTests` subclass in
 * test_spikelab_kernel.py) against the built kernel, installed into a temporary JUPYTER_PATH.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertBuilt, REPO } from "./client.js";

const PYTHON = "/usr/bin/python3";
const hasKernelTest = spawnSync(PYTHON, ["-c", "import jupyter_kernel_test"], { stdio: "ignore" }).status === 0;
const SKIP_REASON = `${PYTHON} cannot import jupyter_kernel_test (apt-get install python3-jupyter-kernel-test)`;

describe("jupyter_kernel_test (Debian python3-jupyter-kernel-test)", () => {
  it.skipIf(!hasKernelTest)(hasKernelTest ? "passes every applicable protocol test" : `SKIPPED: ${SKIP_REASON}`, () => {
    assertBuilt();
    const prefix = mkdtempSync(path.join(tmpdir(), "spikelab-jupyter-"));
    const install = spawnSync(process.execPath, [path.join(REPO, "dist", "cli", "main.js"), "kernel", "install", "--prefix", prefix], {
      encoding: "utf8",
    });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync(PYTHON, [path.join(REPO, "test", "kernel", "test_spikelab_kernel.py"), "-v"], {
      cwd: prefix,
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter"), PYTHONDONTWRITEBYTECODE: "1" },
      timeout: 170_000,
    });
    const report = `${run.stdout}\n${run.stderr}`;
    expect(run.status, report).toBe(0);
    const ran = Number(/Ran (\d+) tests?/.exec(report)?.[1] ?? 0);
    const skipped = Number(/skipped=(\d+)/.exec(report)?.[1] ?? 0);
    expect(ran, report).toBeGreaterThanOrEqual(12);
    expect(report).toMatch(/\nOK( \(skipped=\d+\))?\s*$/);
    // Only the pager test (no `?` help pages in TypeScript) is not applicable.
    expect(skipped, report).toBeLessThanOrEqual(1);
    for (const name of ["kernel_info", "execute_stdout", "execute_stderr", "execute_result", "display_data", "error", "completion", "inspect", "is_complete", "history", "clear_output"]) {
      expect(report, `test_${name}`).toMatch(new RegExp(`test_${name} \\([^)]*\\) \\.\\.\\. ok`));
    }
  }, 180_000);
});
