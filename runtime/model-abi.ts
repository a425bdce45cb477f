/**
 * The contract between compiled models and the simulation kernel.
 *
 * As in NEST, the kernel knows the event protocol, not the models: it owns time (integer steps of
 * `dt`), min-delay slices, ring buffers, connectivity and devices. A compiled model owns one
 * population's structure-of-arrays state and advances it step by step. Everything here is typed
 * arrays and plain numbers so the hot loops allocate nothing.
 *
 * Units inside the kernel are NEST's: ms, mV, pA, pF, nS, Hz (rates), and 1 for dimensionless
 * values. The compiler converts model literals to these units; the API exposes the same numbers
 * NEST's GetStatus would show.
 *
 * Change policy: this file is shared by the compiler (language/compile/) and the runtime
 * (runtime/). Extend it compatibly (add optional members); note each change in the log below.
 *
 * Change log:
 * - v1: initial contract.
 */

/** A seeded, reproducible random stream (see runtime/random/). */
export interface RandomSource {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Poisson-distributed integer with mean `lambda`. */
  poisson(lambda: number): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
}

export type ScalarType = "real" | "integer" | "boolean";

export type VariableKind = "parameter" | "state" | "internal";

export interface VariableSpec {
  readonly name: string;
  readonly kind: VariableKind;
  readonly type: ScalarType;
  /** Canonical unit for display and unit checks at the API (e.g. "mV", "ms", "pA", "1"). */
  readonly unit: string;
  /** Default value in kernel units, evaluated from the model's initializer with default parameters. */
  readonly defaultValue: number;
  /** Vector variables (`x[n]`) have a size; scalars omit it. */
  readonly vectorSize?: number;
  /** Shown by `get`; internals are hidden from users but kept for the generated code. */
  readonly visible: boolean;
}

export interface PortSpec {
  readonly name: string;
  readonly kind: "spike" | "continuous";
  /**
   * NEST receptor type this port answers to. Single-port models use receptor 0. Ports with
   * `excitatory`/`inhibitory` qualifiers share receptor 0 and are selected by the sign of the weight
   * (negative weights go to the inhibitory port with their sign flipped, as in NESTML).
   */
  readonly receptor: number;
  readonly qualifier?: "excitatory" | "inhibitory";
  /** The port's handlers need the number of spikes (multiplicity), not only the weight sum (parrot). */
  readonly needsCount: boolean;
  /** Unit of one unit weight arriving at this port (e.g. "mV" for a delta synapse, "pA"). */
  readonly unit: string;
}

/** What a model declares in its `eprop:` block, for the e-prop machinery in runtime/eprop/. */
export interface EpropNeuronSpec {
  readonly role: "recurrent" | "readout";
  /** Other keys, normalized to NEST parameter names, with default values in kernel units. */
  readonly settings: Readonly<Record<string, number | string>>;
}

export interface ModelBase {
  readonly name: string;
  readonly variables: readonly VariableSpec[];
  /** Names the multimeter may record: state variables, `recordable inline`s, and e-prop signals. */
  readonly recordables: readonly string[];
  /**
   * Checks a complete candidate parameter/state assignment against the model's guards (`[[...]]`)
   * and built-in constraints. Returns a message naming the offending variable, or undefined.
   */
  validate(values: Readonly<Record<string, number>>): string | undefined;
  /** The readable generated source (what `spikelab compile --emit ts` prints). */
  readonly generatedSource: string;
}

export interface NeuronModel extends ModelBase {
  readonly kind: "neuron";
  readonly ports: readonly PortSpec[];
  readonly emitsSpikes: boolean;
  readonly eprop?: EpropNeuronSpec;
  /** Name of the parameter that holds the flush-event interval (ms), if the model declares `flush:`. */
  readonly flushParameter?: string;
  instantiate(n: number): NeuronPopulation;
}

/** Where a population writes what it emitted during `update`. */
export interface SpikeSink {
  /**
   * Records that neuron `i` emitted in step `origin + lag` (its stamp is that step + 1, as NEST).
   * `flush` marks an e-prop flush event, which only e-prop synapses accept.
   */
  push(i: number, lag: number, multiplicity: number, flush: boolean): void;
}

export interface PopulationIO {
  /**
   * One ring per spike port (in `ports` order, spike ports only): `ringSlots * n` doubles; the weight
   * sum arriving at step s for neuron i lives at `((s % ringSlots) * n + i)`. The population reads
   * and zeroes the slot of every step it advances.
   */
  readonly spikeRings: readonly Float64Array[];
  /** Same layout, spike counts, for ports with `needsCount` (undefined entries for the others). */
  readonly countRings: readonly (Float64Array | undefined)[];
  /** One ring per continuous port, same layout; read and zeroed like the spike rings. */
  readonly currentRings: readonly Float64Array[];
  readonly ringSlots: number;
  readonly out: SpikeSink;
  readonly rng: RandomSource;
}

export interface NeuronPopulation {
  readonly n: number;
  /** Every variable (parameters, state, internals) as one array of length n (n * size for vectors). */
  readonly arrays: Readonly<Record<string, Float64Array>>;
  /**
   * Recomputes internals and propagators for resolution `dt` (ms) after parameters changed or before
   * a run. Cheap to call; the kernel calls it at the start of every `simulate` and after `set`.
   */
  prepare(dt: number): void;
  /** Advances every neuron through steps origin+from ... origin+to-1 (NEST's `update(origin, from, to)`). */
  update(origin: number, from: number, to: number, io: PopulationIO): void;
  /** The value of recordable `name` of neuron `i` after the last completed step. */
  read(name: string, i: number): number;
}

/** An event-driven synapse model compiled from the language (static_synapse, stdp_synapse, ...). */
export interface SynapseModel extends ModelBase {
  readonly kind: "synapse";
  /** Variable that carries the transmitted weight (e.g. `w`). */
  readonly weightVariable: string;
  /** True when the model has a `post_spikes` port: the kernel must archive postsynaptic spikes. */
  readonly needsPostSpikes: boolean;
  /** True for a synapse with an `eprop:` block (accepts flush events, needs delay = 1 step). */
  readonly isEprop: boolean;
  /** Per-connection storage for `count` synapses. */
  instantiate(count: number): SynapsePopulation;
}

export interface SynapsePopulation {
  readonly count: number;
  /** Per-connection variables (weight, traces, ...), one array each. */
  readonly arrays: Readonly<Record<string, Float64Array>>;
  prepare(dt: number): void;
  /**
   * Handles a presynaptic spike on connection `k` at time `tSpike` (ms). `postSpikes` holds the
   * postsynaptic spike times (ms, ascending) in (tLastPre - dendriticDelay, tSpike - dendriticDelay].
   * Returns the weight to transmit.
   */
  onPreSpike(k: number, tSpike: number, postSpikes: Float64Array, postCount: number, dendriticDelay: number): number;
}

export type CompiledModel = NeuronModel | SynapseModel;
