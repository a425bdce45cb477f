#!/usr/bin/env node
/**
 * The `spikelab` command: a small dispatcher over subcommands.
 *
 * `check` is built in. Other areas add subcommands as modules next to this file (`cli/compile.ts`,
 * `cli/kernel.ts`) that export `command: CliCommand`; they are loaded lazily and only if present,
 * so a missing or broken optional module never breaks `spikelab check`. Code can also call
 * `registerCommand` directly.
 *
 * Exit codes: 0 success, 1 the command found errors (e.g. model diagnostics), 2 usage errors
 * (unknown command, no files, unreadable file), 3 an internal error (reported without a stack trace).
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `spikelab --help`. */
  readonly summary: string;
  /** Usage line(s) for `spikelab help NAME` / `spikelab NAME --help`. */
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

const commands = new Map<string, CliCommand>();

export function registerCommand(command: CliCommand): void {
  commands.set(command.name, command);
}

/**
 * Optional subcommand modules owned by other areas, by command name; each exports
 * `command: CliCommand`. Loaded only when that command runs (or for the help listing), so
 * `spikelab check` never pays for the compiler or the Jupyter kernel.
 */
const optionalModules: Readonly<Record<string, string>> = { compile: "./compile.js", kernel: "./kernel.js" };

let builtinsLoaded: Promise<void> | undefined;
const optionalLoaded = new Map<string, Promise<void>>();

async function loadCommands(only?: string): Promise<void> {
  builtinsLoaded ??= import("./check.js").then(({ checkCommand }) => registerCommand(checkCommand));
  await builtinsLoaded;
  const wanted = only === undefined ? Object.keys(optionalModules) : only in optionalModules ? [only] : [];
  await Promise.all(wanted.map((name) => loadOptional(name)));
}

function loadOptional(name: string): Promise<void> {
  let loading = optionalLoaded.get(name);
  if (loading === undefined) {
    loading = (async () => {
      try {
        const mod = (await import(optionalModules[name]!)) as { command?: CliCommand };
        if (mod.command && typeof mod.command.run === "function" && typeof mod.command.name === "string") {
          registerCommand(mod.command);
        }
      } catch {
        // Not built yet or not present: the command is simply unavailable.
      }
    })();
    optionalLoaded.set(name, loading);
  }
  return loading;
}

export const defaultIo: CliIo = {
  stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
};

function helpText(): string {
  const names = [...commands.keys()].sort();
  const width = Math.max(...names.map((n) => n.length), 4);
  return [
    "usage: spikelab <command> [arguments]",
    "",
    "commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands.get(n)!.summary}`),
    `  ${"help".padEnd(width)}  show this help, or a command's usage: spikelab help <command>`,
    "",
    "options: --help, --version",
  ].join("\n");
}

/** Runs the CLI with `argv` (without `node` and the script path); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    // A known command loads just its module; anything else (help, typos) loads all to list them.
    await loadCommands(name !== undefined && (name === "check" || name in optionalModules) ? name : undefined);
    if (name === undefined) {
      io.stderr("spikelab: no command given\n\n" + helpText());
      return EXIT_USAGE;
    }
    if (name === "--help" || name === "-h") {
      io.stdout(helpText());
      return EXIT_OK;
    }
    if (name === "help") {
      const target = rest[0];
      if (target === undefined) {
        io.stdout(helpText());
        return EXIT_OK;
      }
      const cmd = commands.get(target);
      if (!cmd) {
        io.stderr(`spikelab: unknown command '${target}'\n\n${helpText()}`);
        return EXIT_USAGE;
      }
      io.stdout(cmd.usage);
      return EXIT_OK;
    }
    if (name === "--version" || name === "-V") {
      io.stdout(await packageVersion());
      return EXIT_OK;
    }
    const cmd = commands.get(name);
    if (!cmd) {
      io.stderr(`spikelab: unknown command '${name}'\n\n${helpText()}`);
      return EXIT_USAGE;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(cmd.usage);
      return EXIT_OK;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`spikelab: internal error: ${message}`);
    return EXIT_INTERNAL;
  }
}

async function packageVersion(): Promise<string> {
  const { readFileSync } = await import("node:fs");
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "spikelab" && pkg.version) return pkg.version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return "unknown";
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
