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
 * - v2 (compiler): e-prop hook contract (see "E-prop hooks" below): `EpropNeuronSpec.bindings`,
 *   `.bindingVariables`, `PopulationIO.eprop?` (`EpropStepSink`), reserved `__eprop_*` arrays; flush events
 *   (generated code owns the emission rule, `__last_event_step` array); `VariableSpec.enumValues` for
 *   string-valued parameters stored as an index (e.g. `surrogate_gradient_function`); synapse
 *   `onPreSpike` returns NaN when the model did not `emit_spike`, filters `postSpikes` itself and keeps
 *   its own last-spike time in `arrays.__t_last` (ms); `SynapsePopulation.reset?`; `NeuronModel.receptorCount`.
 * - v3 (eprop): `SynapseModel.eprop?` (`EpropSynapseSpec`: the optimizer defaults of a synapse's
 *   `eprop: optimizer:` block); receptor rule for continuous ports (first continuous port receptor 0,
 *   further ones 1, 2, … in declaration order — eprop_readout: I_stim 0, learning_window 1, target 2);
 *   runtime ↔ e-prop integration points (see "Runtime integration of e-prop" at EpropStepSink).
 * - v4 (eprop): `PortSpec.readAtStepStart?` — request to the compiler: continuous ports of a readout
 *   (role = readout) with receptor ≥ 1 are NEST *rate* ports (eprop_readout's learning window and
 *   target): NEST overwrites the state when the DelayedRateConnectionEvent is delivered, so the value
 *   arriving for step t must be visible in step t (read the ring slot at the start of the step, not at
 *   the end as for currents) and the port flagged `readAtStepStart: true`. Until then runtime/eprop
 *   recomputes the readout's signals from `__in_<port>` after each step (context.ts nestReadoutRates).
 *   Implemented by the compiler (language/compile/neuron.ts): such ports carry `readAtStepStart: true`.
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
  /**
   * String-valued parameter (v2): the array stores the index into this list; the API shows and
   * accepts the string (e.g. `surrogate_gradient_function`: ["piecewise_linear", "exponential", ...]).
   */
  readonly enumValues?: readonly string[];
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
  /** (v4) Continuous port read at the start of the step its value arrives in (NEST rate ports). */
  readonly readAtStepStart?: boolean;
}

/**
 * What a model declares in its `eprop:` block, for the e-prop machinery in runtime/eprop/.
 *
 * ## E-prop hooks (v2) — the contract between generated neuron kernels and runtime/eprop/
 *
 * Parameters. Every NEST-named key of the block (`surrogate_gradient_function`,
 * `surrogate_gradient_height`, `surrogate_gradient_width`, `kappa`, `kappa_reg`, `c_reg`, `f_target`,
 * `eprop_isi_trace_cutoff`) becomes a model *parameter* (VariableSpec kind "parameter", visible) with
 * the block's value as default; `surrogate_gradient_function` is an enum parameter (see
 * `VariableSpec.enumValues`, order: piecewise_linear, exponential, fast_sigmoid_derivative,
 * arctan_derivative). Units are kernel units: widths in mV, cutoff in ms, and `f_target` in Hz
 * exactly as written (10 Hz -> 10; the machinery divides by 1000 like NEST). Missing keys get NEST's
 * defaults (height 0.3, width 1 mV, kappa 0.97, kappa_reg 0.97, c_reg 0, f_target 10 Hz, cutoff inf,
 * piecewise_linear).
 *
 * Per-neuron arrays the population allocates (length n, in `NeuronPopulation.arrays`, not visible):
 *   recurrent: `__eprop_psi` (surrogate gradient ψ of this step), `__eprop_z` (1 if the neuron emitted a
 *              real spike in this step, else 0), `__eprop_learning_signal`, `__eprop_history_duration`
 *              (the last two are written by the machinery, only so `read()`/multimeters can show them);
 *   readout:   `__eprop_readout` (y), `__eprop_target` (y*), `__eprop_err` (the `error` binding), plus
 *              `__eprop_history_duration`.
 * Recordable names map onto them: `surrogate_gradient` -> `__eprop_psi`, `learning_signal`,
 * `eprop_history_duration`, `readout_signal`, `target_signal`, `error_signal`.
 *
 * Step order for neuron i in step t = origin + lag (the usual order of generated code):
 *   1. read spike rings for step t; 2. `update:` block; 3. `onReceive` handlers; 4. spikes applied to
 *   convolution state;
 *   5. **e-prop point**: recurrent: ψ = surrogate(refractory ? 0 : f(membrane - threshold)) is written to
 *      `__eprop_psi[i]` using the bindings `membrane`, `threshold`, `refractory` and the neuron's
 *      height/width parameters (§3.2 of nest-eprop.md, |Δ| forms). Readout: `__eprop_readout[i]`,
 *      `__eprop_target[i]`, `__eprop_err[i]` are the bindings `readout_signal`, `target_signal`,
 *      `error` evaluated here (after the membrane update of this step);
 *   6. `onCondition` blocks (threshold, reset, `emit_spike()`); `__eprop_z[i]` = 1 iff a real spike was
 *      emitted in this step;
 *   7. flush rule (if the model has `flush:`), see `NeuronModel.flushParameter`;
 *   8. continuous inputs read for the next step.
 * After *all* neurons finished step t, the kernel calls `io.eprop?.afterStep(t)` once; the machinery
 * reads the `__eprop_*` arrays then (they are overwritten in the next step). So the machinery archives
 * ψ(t)/z(t)/err(t) with the step index t (NEST's history entry t).
 */
export interface EpropNeuronSpec {
  readonly role: "recurrent" | "readout";
  /** Other keys, normalized to NEST parameter names, with default values in kernel units. */
  readonly settings: Readonly<Record<string, number | string>>;
  /**
   * The binding keys (`membrane`, `threshold`, `refractory`, `adaptation`, `adapt_beta`, `adapt_tau`,
   * `error`, `readout_signal`, `target_signal`) as source text, for messages and documentation.
   */
  readonly bindings?: Readonly<Record<string, string>>;
  /**
   * Bindings that are a plain variable name (e.g. `adaptation = a`, `adapt_beta = adapt_beta`): key ->
   * variable name, so the machinery can read `arrays[name]` (e.g. β and τ_a for the adaptive
   * eligibility trace, the membrane for V_m).
   */
  readonly bindingVariables?: Readonly<Record<string, string>>;
}

/**
 * Called by generated kernels of models with an `eprop:` block (see EpropNeuronSpec).
 *
 * ## Runtime integration of e-prop (v3) — what the simulator does with runtime/eprop/ `EpropContext`
 * - one `EpropContext` per simulator, pushed onto `kernel.hooks` (its `prepare` re-reads parameters);
 * - `create` of a model with `eprop`: `io.eprop = ctx.attachBlock(block)` (archives, learning signals);
 * - `connect` with a synapse model whose `isEprop` is true: `ctx.connectEprop(...)` builds the
 *   projection (delay must be 1 step, target an e-prop neuron, source a neuron); the native synapse
 *   `eprop_learning_signal_connection` (readout → recurrent): `ctx.connectLearningSignal(...)`;
 * - `setDefaults(name, { optimizer })` / `getDefaults(name).optimizer` for e-prop synapse models go
 *   through `ctx.setOptimizerDefaults` / `ctx.optimizerDefaults`;
 * - flush events (`SpikeSink.push(..., flush = true)`) are dropped by every projection except
 *   `EpropProjection` (recorders never see them).
 */
export interface EpropStepSink {
  /** All neurons of the population have completed step `step` (= origin + lag). */
  afterStep(step: number): void;
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
  /**
   * Name of the parameter that holds the flush-event interval (ms), if the model declares `flush:`
   * (always `flush_event_send_interval`, default from `flush: interval = ...`, NEST default inf, > 0).
   * The generated kernel implements NEST's rule itself: in a step t in which the neuron did not spike,
   * if `__last_event_step[i] > 0` and `t - __last_event_step[i] >= round(interval / dt)` it calls
   * `io.out.push(i, lag, 1, true)` and sets `__last_event_step[i] = t`; a real spike also sets it to t.
   * The interval is converted to steps in `prepare(dt)`.
   */
  readonly flushParameter?: string;
  /** Number of distinct receptor types (1 for single-port models). */
  readonly receptorCount?: number;
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
  /** Set by the e-prop machinery for models with `eprop:` (see EpropNeuronSpec). */
  readonly eprop?: EpropStepSink;
}

export interface NeuronPopulation {
  readonly n: number;
  /** Every variable (parameters, state, internals) as one array of length n (n * size for vectors). */
  readonly arrays: Readonly<Record<string, Float64Array>>;
  /**
   * Recomputes internals and propagators for resolution `dt` (ms) after parameters changed or before
   * a run. Cheap to call; the kernel calls it at the start of every `simulate` and after `set`.
   * (v5) Required after any change to a parameter (or internal) array: `update` may use the values
   * seen by the last `prepare` (compiled kernels fold population-uniform values into the code).
   * State arrays may be changed freely between updates.
   */
  prepare(dt: number): void;
  /** Advances every neuron through steps origin+from ... origin+to-1 (NEST's `update(origin, from, to)`). */
  update(origin: number, from: number, to: number, io: PopulationIO): void;
  /** The value of recordable `name` of neuron `i` after the last completed step. */
  read(name: string, i: number): number;
  /**
   * (v5) Source of the update() specialized by the last `prepare` (population-uniform parameters,
   * internals and propagators folded into literals), for inspection; undefined before prepare.
   */
  readonly specializedSource?: string;
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
  /** (v3) The synapse's `eprop:` block: gradient kind, weight variable and optimizer defaults. */
  readonly eprop?: EpropSynapseSpec;
  /** Per-connection storage for `count` synapses. */
  instantiate(count: number): SynapsePopulation;
}

/** (v3) What a synapse declares in its `eprop:` block (values in kernel units, NEST key names). */
export interface EpropSynapseSpec {
  /** `gradient = eprop` (the bio e-prop gradient). */
  readonly gradient: string;
  /** The weight variable (`weight = w`). */
  readonly weightVariable: string;
  /** `optimizer:` keys: type, eta, batch_size, optimize_each_step, Wmin, Wmax, beta_1, beta_2, epsilon. */
  readonly optimizer: Readonly<Record<string, number | string | boolean>>;
}

export interface SynapsePopulation {
  readonly count: number;
  /** Per-connection variables (weight, traces, ...), one array each. */
  readonly arrays: Readonly<Record<string, Float64Array>>;
  prepare(dt: number): void;
  /**
   * Handles a presynaptic spike on connection `k` at time `tSpike` (ms). `postSpikes` holds the
   * postsynaptic spike times (ms, ascending) in (tLastPre - dendriticDelay, tSpike - dendriticDelay];
   * (v2) the generated code also skips entries outside that window itself, so the kernel may pass a
   * superset (e.g. the whole archive). tLastPre lives in `arrays.__t_last` (ms, 0 before the first spike,
   * as NEST's t_lastspike_). Returns the weight to transmit, or NaN when the model's `onReceive(pre_spikes)`
   * did not call `emit_spike` (nothing is delivered).
   */
  onPreSpike(k: number, tSpike: number, postSpikes: Float64Array, postCount: number, dendriticDelay: number): number;
  /** (v2) Sets connection k's variables back to their initial values (used for new connections). */
  reset?(k: number): void;
  /**
   * (v6) The random stream `random_*()` calls in the synapse's handlers draw from (e.g. NESTML's
   * noisy_synapse). Until the kernel sets one, a fixed-seed stream keeps runs reproducible.
   */
  setRandom?(rng: RandomSource): void;
}

export type CompiledModel = NeuronModel | SynapseModel;
