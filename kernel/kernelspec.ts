/**
 * Installing the kernelspec: `<kernels dir>/spikelab/kernel.json` plus logos, where Jupyter looks:
 * - `--user`: the per-user data dir (`$JUPYTER_DATA_DIR`, else ~/.local/share/jupyter on Linux),
 * - `--prefix P`: `P/share/jupyter` (what JUPYTER_PATH=P/share/jupyter finds),
 * - `--sys-prefix`: the `sys.prefix` of Debian's Python (`/usr`),
 * - default: system-wide `/usr/local/share/jupyter` as root, the user dir otherwise.
 * The spec starts this package's built kernel with this Node by absolute paths, so it works from any
 * notebook folder without anything on PATH.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { logoPng, logoSvg } from "./logo.js";

export const KERNEL_NAME = "spikelab";
export const DISPLAY_NAME = "Spikelab (TypeScript)";

export type InstallTarget = { readonly kind: "user" } | { readonly kind: "prefix"; readonly prefix: string } | { readonly kind: "sys-prefix" } | { readonly kind: "default" };

export interface KernelSpecJson {
  readonly argv: string[];
  readonly display_name: string;
  readonly language: string;
  readonly interrupt_mode: "message" | "signal";
  readonly metadata: Record<string, unknown>;
}

/** dist/kernel/main.js of this package (this file is dist/kernel/kernelspec.js once built). */
export function kernelMainPath(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js");
}

export function kernelSpec(): KernelSpecJson {
  return {
    argv: [process.execPath, kernelMainPath(), "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // interrupt_request on the control channel (served by a worker thread); SIGINT works as well.
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/** The `kernels` directory for a target. */
export function kernelsDir(target: InstallTarget): string {
  switch (target.kind) {
    case "prefix":
      return path.join(path.resolve(target.prefix), "share", "jupyter", "kernels");
    case "sys-prefix":
      return path.join(pythonSysPrefix(), "share", "jupyter", "kernels");
    case "user":
      return path.join(userDataDir(), "kernels");
    case "default":
      return process.getuid?.() === 0 && process.platform !== "win32"
        ? path.join("/usr/local/share/jupyter", "kernels")
        : path.join(userDataDir(), "kernels");
  }
}

function userDataDir(): string {
  if (process.env["JUPYTER_DATA_DIR"]) return process.env["JUPYTER_DATA_DIR"];
  if (process.platform === "darwin") return path.join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env["APPDATA"] ?? homedir(), "jupyter");
  const xdg = process.env["XDG_DATA_HOME"];
  return path.join(xdg && xdg !== "" ? xdg : path.join(homedir(), ".local", "share"), "jupyter");
}

/** Jupyter's Python (Debian's /usr/bin/python3 first: pyenv's python3 has no Jupyter). */
function pythonSysPrefix(): string {
  for (const python of ["/usr/bin/python3", "python3"]) {
    try {
      return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    } catch {
      // try the next one
    }
  }
  return "/usr";
}

export function installKernelSpec(target: InstallTarget, name = KERNEL_NAME): string {
  const dir = path.join(kernelsDir(target), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
  writeFileSync(path.join(dir, "logo-32x32.png"), logoPng(32));
  writeFileSync(path.join(dir, "logo-64x64.png"), logoPng(64));
  writeFileSync(path.join(dir, "logo-svg.svg"), logoSvg());
  return dir;
}

/** Removes the spec; returns the removed directory, or undefined when none was installed there. */
export function uninstallKernelSpec(target: InstallTarget, name = KERNEL_NAME): string | undefined {
  const dir = path.join(kernelsDir(target), name);
  const json = path.join(dir, "kernel.json");
  if (!existsSync(json)) return undefined;
  // Only remove a spec that is ours, never someone else's kernel of the same name.
  const spec = JSON.parse(readFileSync(json, "utf8")) as Partial<KernelSpecJson>;
  if (!spec.argv?.some((a) => a.endsWith(path.join("kernel", "main.js")))) {
    throw new Error(`${dir} does not hold a Spikelab kernelspec; not removing it`);
  }
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
