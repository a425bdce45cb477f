/**
 * `spikelab kernel install|uninstall`: kernel.json with absolute node + kernel paths, valid logos,
 * the standard locations, and removal.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../kernel/logo.js";
import { kernelsDir } from "../../kernel/kernelspec.js";
import { assertBuilt, KERNEL_MAIN, REPO } from "./client.js";

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  assertBuilt();
  return spawnSync(process.execPath, [path.join(REPO, "dist", "cli", "main.js"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });
}

/** Parses a PNG far enough to check it: chunk CRCs, IHDR size, and that the pixels inflate to the right length. */
function checkPng(bytes: Buffer): { width: number; height: number; opaquePixels: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("ascii", offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  let opaquePixels = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (raw[y * (width * 4 + 1) + 1 + x * 4 + 3] === 255) opaquePixels++;
  return { width, height, opaquePixels };
}

describe("spikelab kernel install / uninstall", () => {
  it("installs kernel.json and logos under --prefix, then removes them", () => {
    const prefix = mkdtempSync(path.join(tmpdir(), "spikelab-spec-"));
    const install = cli(["kernel", "install", "--prefix", prefix]);
    expect(install.status, install.stderr).toBe(0);
    const dir = path.join(prefix, "share", "jupyter", "kernels", "spikelab");
    expect(install.stdout).toContain(dir);
    const spec = JSON.parse(readFileSync(path.join(dir, "kernel.json"), "utf8")) as Record<string, unknown>;
    expect(spec["argv"]).toEqual([process.execPath, KERNEL_MAIN, "{connection_file}"]);
    expect(spec["display_name"]).toBe("Spikelab (TypeScript)");
    expect(spec["language"]).toBe("typescript");
    expect(spec["interrupt_mode"]).toBe("message");
    for (const size of [32, 64]) {
      const png = checkPng(readFileSync(path.join(dir, `logo-${size}x${size}.png`)));
      expect([png.width, png.height]).toEqual([size, size]);
      // The disc covers most of the square; the corners stay transparent.
      expect(png.opaquePixels / (size * size)).toBeGreaterThan(0.6);
      expect(png.opaquePixels / (size * size)).toBeLessThan(0.8);
    }
    expect(readFileSync(path.join(dir, "logo-svg.svg"), "utf8")).toMatch(/^<svg[^>]+viewBox="0 0 64 64"[\s\S]*<polyline/);

    const uninstall = cli(["kernel", "uninstall", "--prefix", prefix]);
    expect(uninstall.status, uninstall.stderr).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const again = cli(["kernel", "uninstall", "--prefix", prefix]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/no kernelspec 'spikelab' installed/);
  });

  it("--user installs into the Jupyter data dir", () => {
    const data = mkdtempSync(path.join(tmpdir(), "spikelab-data-"));
    const install = cli(["kernel", "install", "--user"], { JUPYTER_DATA_DIR: data });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(path.join(data, "kernels", "spikelab", "kernel.json"))).toBe(true);
    expect(cli(["kernel", "uninstall", "--user"], { JUPYTER_DATA_DIR: data }).status).toBe(0);
  });

  it("knows the standard locations and rejects bad arguments", () => {
    expect(kernelsDir({ kind: "prefix", prefix: "/opt/x" })).toBe("/opt/x/share/jupyter/kernels");
    if (process.getuid?.() === 0) expect(kernelsDir({ kind: "default" })).toBe("/usr/local/share/jupyter/kernels");
    const bad = cli(["kernel", "install", "--user", "--prefix", "/tmp/x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/choose one of/);
    expect(cli(["kernel", "frobnicate"]).status).toBe(2);
  });
});
