/**
 * `spikelab kernel install|uninstall [--user | --prefix P | --sys-prefix] [--name NAME]`:
 * registers the Spikelab Jupyter kernel (kernel.json + logos) or removes it.
 */
import type { CliCommand, CliIo } from "./main.js";
import { installKernelSpec, KERNEL_NAME, uninstallKernelSpec, type InstallTarget } from "../kernel/kernelspec.js";

const USAGE = [
  "usage: spikelab kernel install   [--user | --prefix PREFIX | --sys-prefix] [--name NAME]",
  "       spikelab kernel uninstall [--user | --prefix PREFIX | --sys-prefix] [--name NAME]",
  "",
  "  --user        the per-user Jupyter data dir (~/.local/share/jupyter/kernels)",
  "  --prefix P    P/share/jupyter/kernels (use with JUPYTER_PATH=P/share/jupyter)",
  "  --sys-prefix  the sys.prefix of Jupyter's Python (/usr/share/jupyter/kernels on Debian)",
  "  (default)     /usr/local/share/jupyter/kernels as root, the user dir otherwise",
  "  --name NAME   kernelspec name (default: spikelab)",
].join("\n");

interface Parsed {
  readonly action: "install" | "uninstall";
  readonly target: InstallTarget;
  readonly name: string;
}

function parseArgs(args: readonly string[]): Parsed | string {
  const [action, ...rest] = args;
  if (action !== "install" && action !== "uninstall") return action === undefined ? "missing action" : `unknown action '${action}'`;
  let target: InstallTarget = { kind: "default" };
  let name = KERNEL_NAME;
  let targets = 0;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--user") {
      target = { kind: "user" };
      targets++;
    } else if (arg === "--sys-prefix") {
      target = { kind: "sys-prefix" };
      targets++;
    } else if (arg === "--prefix" || arg.startsWith("--prefix=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : rest[++i];
      if (!value) return "--prefix needs a directory";
      target = { kind: "prefix", prefix: value };
      targets++;
    } else if (arg === "--name" || arg.startsWith("--name=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : rest[++i];
      if (!value || !/^[\w.-]+$/.test(value)) return "--name needs a name of letters, digits, '.', '-', '_'";
      name = value;
    } else {
      return `unknown option '${arg}'`;
    }
  }
  if (targets > 1) return "choose one of --user, --prefix, --sys-prefix";
  return { action, target, name };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    io.stderr(`spikelab kernel: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  try {
    if (parsed.action === "install") {
      const dir = installKernelSpec(parsed.target, parsed.name);
      io.stdout(`Installed kernelspec ${parsed.name} in ${dir}`);
      return 0;
    }
    const dir = uninstallKernelSpec(parsed.target, parsed.name);
    if (dir === undefined) {
      io.stderr(`spikelab kernel: no kernelspec '${parsed.name}' installed there`);
      return 1;
    }
    io.stdout(`Removed kernelspec ${parsed.name} from ${dir}`);
    return 0;
  } catch (e) {
    io.stderr(`spikelab kernel: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

export const command: CliCommand = {
  name: "kernel",
  summary: "install or uninstall the Spikelab Jupyter kernel (kernelspec with logo)",
  usage: USAGE,
  run,
};
