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
new Kernel(info).start().catch((e: unknown) => {
  process.stderr.write(`spikelab kernel failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
