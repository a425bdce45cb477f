/**
 * Spikelab: a NESTML-like model language, an event-driven spiking network simulator with e-prop,
 * and Jupyter integration. This barrel is the package entry (`import { Simulator } from "spikelab"`).
 */
export * from "./language/index.js";
