/**
 * Spikelab: a NESTML-like model language, an event-driven spiking network simulator with e-prop,
 * and Jupyter integration. This barrel is the package entry (`import { Simulator } from "spikelab"`).
 */
export * from "./language/index.js";
export * from "./runtime/index.js";
export * from "./kernel/index.js";
// Both the analysis functions and the raster chart take recorder events; the shapes agree.
export type { SpikeEvents } from "./runtime/index.js";
