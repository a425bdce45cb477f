/**
 * Which model names exist. Lookup order: this simulator's own models (`sim.install`,
 * `sim.copyModel`), models installed for every simulator (`installModels`, used by notebook
 * `%%model` cells), the bundled models (compiled on first use from runtime/models/*.spk), and the
 * native devices and synapses.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatDiagnostics, hasErrors } from "../language/diagnostics.js";
import { getModelCompiler } from "./compiler-bridge.js";
import { ModelCompileError } from "./errors.js";
import type { CompiledModel, NeuronModel, SynapseModel } from "./model-abi.js";

export const DEVICE_MODELS = [
  "spike_generator",
  "poisson_generator",
  "dc_generator",
  "step_current_generator",
  "step_rate_generator",
  "spike_recorder",
  "multimeter",
  "weight_recorder",
] as const;
export type DeviceModelName = (typeof DEVICE_MODELS)[number];

/** Synapses implemented natively: static weights, and rate connections into continuous ports. */
export const NATIVE_SYNAPSES = ["static_synapse", "rate_connection_delayed", "eprop_learning_signal_connection"] as const;

export type ModelEntry =
  | { readonly kind: "neuron"; readonly name: string; readonly base: string; readonly model: NeuronModel; readonly defaults: Record<string, unknown> }
  | { readonly kind: "synapse"; readonly name: string; readonly base: string; readonly model: SynapseModel | null; readonly defaults: Record<string, unknown> }
  | { readonly kind: "device"; readonly name: string; readonly base: DeviceModelName; readonly defaults: Record<string, unknown> };

const installed = new Map<string, CompiledModel>();
let bundled: Map<string, CompiledModel> | null = null;
let bundledErrors: string[] = [];

/** Compiles `source` and returns its models, or throws ModelCompileError with the formatted diagnostics. */
export function compileSource(source: string, fileName = "<model>"): CompiledModel[] {
  const compile = getModelCompiler();
  const result = compile(source, fileName);
  if (hasErrors(result.diagnostics)) {
    // The message is what failed (errors only); `diagnostics` keeps the warnings too.
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    throw new ModelCompileError(formatDiagnostics(errors, new Map([[fileName, source]])), result.diagnostics);
  }
  return [...result.models];
}

/** Makes the models in `source` creatable by name in every simulator. Returns their names. */
export function installModels(source: string, fileName?: string): string[] {
  const models = compileSource(source, fileName);
  for (const m of models) installed.set(m.name, m);
  return models.map((m) => m.name);
}

function modelsDirectory(): string | undefined {
  for (const rel of ["./models/", "../../runtime/models/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

const compiledFiles = new Set<string>();
const bundledMap = new Map<string, CompiledModel>();

/** Compiles one bundled file once; its models join the bundled table, its errors are kept. */
function compileBundledFile(dir: string, file: string): void {
  if (compiledFiles.has(file)) return;
  compiledFiles.add(file);
  const source = readFileSync(dir + file, "utf8");
  try {
    const result = getModelCompiler()(source, file);
    if (hasErrors(result.diagnostics)) {
      bundledErrors.push(formatDiagnostics(result.diagnostics, new Map([[file, source]])));
      return;
    }
    for (const m of result.models) bundledMap.set(m.name, m);
  } catch (e) {
    bundledErrors.push(`${file}: ${(e as Error).message}`);
  }
}

/** A bundled model by name: compiles `<name>.spk` first (the convention), the other files only if needed. */
function bundledModel(name: string): CompiledModel | undefined {
  const hit = bundledMap.get(name);
  if (hit !== undefined || bundled !== null) return hit;
  const dir = modelsDirectory();
  if (dir === undefined) return undefined;
  if (existsSync(`${dir}${name}.spk`)) compileBundledFile(dir, `${name}.spk`);
  return bundledMap.get(name) ?? bundledModels().get(name);
}

/** All bundled models, compiled once per process (files that fail are reported when asked for). */
export function bundledModels(): Map<string, CompiledModel> {
  if (bundled !== null) return bundled;
  const dir = modelsDirectory();
  if (dir !== undefined) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".spk")).sort()) compileBundledFile(dir, file);
  }
  bundled = bundledMap;
  return bundled;
}

export function bundledModelErrors(): readonly string[] {
  bundledModels();
  return bundledErrors;
}

/** Test hook: forget compiled bundled models (e.g. after installing a compiler). */
export function resetBundledModels(): void {
  bundled = null;
  bundledErrors = [];
  compiledFiles.clear();
  bundledMap.clear();
}

/** A compiled model by name from the global tables (installed first, then bundled). */
export function globalCompiledModel(name: string): CompiledModel | undefined {
  return installed.get(name) ?? bundledModel(name);
}

/** Every globally known name (installed, bundled, native). */
export function globalModelNames(): string[] {
  const names = new Set<string>([...DEVICE_MODELS, ...NATIVE_SYNAPSES, ...bundledModels().keys(), ...installed.keys()]);
  return [...names].sort();
}

/** The entry for a compiled or native model with empty default overrides. */
export function baseEntry(name: string, local?: ReadonlyMap<string, CompiledModel>): ModelEntry | undefined {
  // The native static synapse is the same model as static_synapse.spk, on the fast path.
  if (name === "static_synapse" && !local?.has(name)) return { kind: "synapse", name, base: name, model: null, defaults: {} };
  const own = local?.get(name) ?? installed.get(name);
  if (own !== undefined) return entryOf(name, own);
  // Native names before bundled files, so device lookups never compile anything.
  if ((DEVICE_MODELS as readonly string[]).includes(name)) return { kind: "device", name, base: name as DeviceModelName, defaults: {} };
  if ((NATIVE_SYNAPSES as readonly string[]).includes(name)) return { kind: "synapse", name, base: name, model: null, defaults: {} };
  const compiled = bundledModel(name);
  return compiled === undefined ? undefined : entryOf(name, compiled);
}

function entryOf(name: string, compiled: CompiledModel): ModelEntry {
  return compiled.kind === "neuron"
    ? { kind: "neuron", name, base: name, model: compiled, defaults: {} }
    : { kind: "synapse", name, base: name, model: compiled, defaults: {} };
}
