#!/usr/bin/env node
/**
 * Kernel entry: `node dist/kernel/main.js <connection_file>` (the kernelspec's argv).
 */
import { readFileSync } from "node:fs";
import { Kernel } from "./kernel.js";
import type { ConnectionInfo } from "./wire.js";

const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write("usage: node dist/kernel/main.js <connection_file>\n");
  process.exit(2);
}
const info = JSON.parse(readFileSync(connectionFile, "utf8")) as ConnectionInfo;
const kernel = new Kernel(info);
watchParent(() => void kernel.stop());
process.on("SIGTERM", () => void kernel.stop());
kernel.start().catch((e: unknown) => {
  process.stderr.write(`spikelab kernel failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

/**
 * Jupyter passes its pid in JPY_PARENT_PID (as ipykernel's parent poller uses it): when that
 * process is gone, nobody can talk to this kernel any more, so it exits instead of lingering.
 */
function watchParent(onGone: () => void): void {
  const parent = Number(process.env["JPY_PARENT_PID"]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") {
        clearInterval(timer);
        onGone();
      }
    }
  }, 2000);
  timer.unref();
}
