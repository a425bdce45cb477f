/**
 * The simulator: PyNEST-shaped API over an event-driven kernel with NEST's semantics.
 */
export { Simulator, type SimulatorOptions, type SimulatorStatus } from "./simulator.js";
export { NodeCollection } from "./node-collection.js";
export { ConnectionView } from "./connections.js";
export {
  SpikelabError,
  UnknownModelError,
  UnknownParameterError,
  InvalidParameterError,
  ShapeMismatchError,
  InvalidDelayError,
  IllegalConnectionError,
  ModelCompileError,
  SimulatorStateError,
} from "./errors.js";
export { SimulationProgress, type ProgressSetting } from "./progress.js";
export { installModels, bundledModelErrors, DEVICE_MODELS, NATIVE_SYNAPSES } from "./registry.js";
export { setModelCompiler, type ModelCompiler, type CompileResult } from "./compiler-bridge.js";
export { Xoshiro128 } from "./random/xoshiro.js";
export { PoissonTable } from "./random/poisson-table.js";
export type { KernelHook, Sampler } from "./engine/kernel.js";
export * from "./analysis/index.js";
export type * from "./model-abi.js";
export * from "./eprop/index.js";
