/**
 * E-prop inside one simulator: an archive per e-prop neuron block, the synapse store and optimizer
 * settings per e-prop synapse model, the learning-signal connections, and the step hook the compiled
 * kernels call (`EpropStepSink.afterStep`, runtime/model-abi.ts "E-prop hooks").
 *
 * The simulator calls: `attachBlock` when it creates a neuron block of a model with an `eprop:` block,
 * `connectEprop`/`connectLearningSignal` from `connect`, `setDefaults`/`getDefaults` for synapse
 * models with an optimizer, and `prepare` at every simulate (it is a KernelHook).
 */
import { IllegalConnectionError, InvalidParameterError } from "../errors.js";
import type { Block } from "../engine/block.js";
import type { KernelHook } from "../engine/kernel.js";
import type { NeuronBlock } from "../engine/neuron-block.js";
import type { EpropStepSink, NeuronModel, SynapseModel } from "../model-abi.js";
import { EpropArchive } from "./archive.js";
import { OptimizerSettings, OptimizerSettingsError, type OptimizerDict } from "./optimizer.js";
import { EpropProjection, LearningSignalProjection, requireUnitDelay, type WeightRecorderFn } from "./projection.js";
import { EpropSynapses } from "./synapses.js";

/** Name of the native feedback connection model. */
export const LEARNING_SIGNAL_CONNECTION = "eprop_learning_signal_connection";

/** NEST's eprop_synapse optimizer defaults (used when a synapse model's `eprop:` block is not readable). */
const DEFAULT_OPTIMIZER: OptimizerDict = { type: "gradient_descent", eta: 1e-4, batch_size: 1, optimize_each_step: true, Wmin: -100, Wmax: 100 };

interface AttachedBlock {
  readonly block: NeuronBlock;
  readonly archive: EpropArchive;
  readonly feedback: LearningSignalProjection[];
}

export function isEpropNeuron(model: NeuronModel): boolean {
  return model.eprop !== undefined;
}

export function isEpropSynapse(model: SynapseModel | null | undefined): boolean {
  return model !== null && model !== undefined && model.isEprop === true;
}

export class EpropContext implements KernelHook {
  private readonly attached = new Map<Block, AttachedBlock>();
  private readonly stores = new Map<string, EpropSynapses>();
  private dt = 1;

  constructor(resolution: number) {
    this.dt = resolution;
  }

  /** Archive of an e-prop neuron block (undefined for other blocks). */
  archiveOf(block: Block): EpropArchive | undefined {
    return this.attached.get(block)?.archive;
  }

  /** All archives (memory benchmark, history statistics). */
  archives(): EpropArchive[] {
    return [...this.attached.values()].map((a) => a.archive);
  }

  /** Synapse stores by synapse model name (statistics). */
  synapseStores(): ReadonlyMap<string, EpropSynapses> {
    return this.stores;
  }

  /**
   * Makes `block` (a population of a model with an `eprop:` block) archive its e-prop history.
   * Returns the sink its compiled kernel calls after every step (`PopulationIO.eprop`).
   */
  attachBlock(block: NeuronBlock): EpropStepSink {
    const spec = block.model.eprop;
    if (spec === undefined) throw new Error(`${block.modelName} has no eprop block`);
    const adaptive = spec.bindingVariables?.adaptation !== undefined || spec.bindings?.adaptation !== undefined;
    const archive = new EpropArchive(spec.role, block.n, adaptive);
    archive.prepare(this.dt, parameterArrays(block)); // throws (typed) before anything is registered
    const entry: AttachedBlock = { block, archive, feedback: [] };
    this.attached.set(block, entry);
    const arrays = block.population.arrays;
    const n = block.n;
    const ls = arrays.__eprop_learning_signal;
    const duration = arrays.__eprop_history_duration;
    if (spec.role === "recurrent") {
      const psi = arrays.__eprop_psi;
      const z = arrays.__eprop_z;
      return {
        afterStep(step: number): void {
          for (let i = 0; i < n; i++) {
            archive.archiveRecurrent(i, step, psi[i], z[i]);
            if (ls !== undefined) ls[i] = archive.indegree[i] > 0 ? archive.learningSignalAt(i, step) : 0;
            if (duration !== undefined) duration[i] = archive.historyDuration(i);
          }
        },
      };
    }
    const err = arrays.__eprop_err;
    const feedback = entry.feedback;
    return {
      afterStep(step: number): void {
        for (let i = 0; i < n; i++) {
          archive.archiveReadout(i, step, err[i]);
          if (duration !== undefined) duration[i] = archive.historyDuration(i);
        }
        for (let f = 0; f < feedback.length; f++) {
          const p = feedback[f];
          for (let i = 0; i < n; i++) p.sendError(i, step, err[i]);
        }
      },
    };
  }

  /** Re-reads parameters (τ_m, κ, cutoff, ...) of every attached block: call at every simulate. */
  prepare(): void {
    for (const { block, archive } of this.attached.values()) archive.prepare(this.dt, parameterArrays(block));
  }

  /** The synapse store (and optimizer settings) of e-prop synapse model `name`, created on first use. */
  store(name: string, model?: SynapseModel | null): EpropSynapses {
    let s = this.stores.get(name);
    if (s === undefined) {
      s = new EpropSynapses(OptimizerSettings.fromDefaults(optimizerDefaultsOf(model)));
      this.stores.set(name, s);
    }
    return s;
  }

  /** `setDefaults(name, { optimizer: {...} })` for an e-prop synapse model; validates before changing. */
  setOptimizerDefaults(name: string, model: SynapseModel | null | undefined, optimizer: unknown): void {
    if (optimizer === null || typeof optimizer !== "object" || Array.isArray(optimizer)) {
      throw new InvalidParameterError(`${name}: 'optimizer' must be an object like { type: "adam", eta: 1e-3 }`, "optimizer");
    }
    const s = this.store(name, model);
    try {
      s.settings.update(optimizer as Record<string, unknown>, s.size > 0);
    } catch (e) {
      if (e instanceof OptimizerSettingsError) throw new InvalidParameterError(`${name}: ${e.message}`, e.argument);
      throw e;
    }
  }

  optimizerDefaults(name: string, model?: SynapseModel | null): OptimizerDict {
    return this.store(name, model).settings.toDict();
  }

  /**
   * eprop_synapse connections (pairs already generated, [post][pre] order for all_to_all). Checks NEST's
   * constraints: delay one step, target an e-prop neuron, source a neuron (generators need parrots).
   */
  connectEprop(
    synapseName: string,
    model: SynapseModel | null | undefined,
    source: Block,
    target: Block,
    sources: Int32Array,
    targets: Int32Array,
    weights: Float64Array,
    delaySteps: ArrayLike<number>,
    weightRecorder: WeightRecorderFn | null,
  ): EpropProjection {
    requireUnitDelay(delaySteps, synapseName);
    if (source.kind !== "neuron") {
      throw new IllegalConnectionError(`${synapseName}: devices cannot own e-prop synapses; connect ${source.modelName} through parrot_neuron`, "pre");
    }
    const t = this.attached.get(target);
    if (t === undefined) {
      throw new IllegalConnectionError(`${synapseName} needs an e-prop target neuron (eprop_iaf*, eprop_readout), got ${target.modelName}`, "post");
    }
    const port = t.block.spikePorts.findIndex((p) => p.receptor === 0);
    const p = new EpropProjection(source, target, synapseName, 0, Math.max(0, port), this.store(synapseName, model), t.archive, sources, targets, weights);
    p.weightRecorder = weightRecorder;
    return p;
  }

  /** eprop_learning_signal_connection from readouts to recurrent e-prop neurons. */
  connectLearningSignal(source: Block, target: Block, sources: Int32Array, targets: Int32Array, weights: Float64Array, delaySteps: ArrayLike<number>): LearningSignalProjection {
    requireUnitDelay(delaySteps, LEARNING_SIGNAL_CONNECTION);
    const s = this.attached.get(source);
    const t = this.attached.get(target);
    if (s === undefined || s.archive.role !== "readout") {
      throw new IllegalConnectionError(`${LEARNING_SIGNAL_CONNECTION} must start at an e-prop readout (eprop_readout), got ${source.modelName}`, "pre");
    }
    if (t === undefined || t.archive.role !== "recurrent") {
      throw new IllegalConnectionError(`${LEARNING_SIGNAL_CONNECTION} must end at a recurrent e-prop neuron, got ${target.modelName}`, "post");
    }
    const p = new LearningSignalProjection(source, target, LEARNING_SIGNAL_CONNECTION, 0, t.archive, sources, targets, weights);
    s.feedback.push(p);
    return p;
  }

  /** History statistics over all e-prop neurons: entries and bytes (for the memory benchmark). */
  historyFootprint(): { entries: number; bytes: number; maxEntries: number; neurons: number } {
    let entries = 0;
    let bytes = 0;
    let maxEntries = 0;
    let neurons = 0;
    for (const { archive } of this.attached.values()) {
      const f = archive.footprint();
      entries += f.entries;
      bytes += f.bytes;
      maxEntries = Math.max(maxEntries, f.maxEntries);
      neurons += archive.n;
    }
    return { entries, bytes, maxEntries, neurons };
  }
}

/**
 * The parameter arrays the archive reads, by NEST name: the model's own arrays, with the adaptation
 * parameters taken from the `eprop:` bindings (`adapt_beta = ...`, `adapt_tau = ...`) when they name
 * other variables.
 */
function parameterArrays(block: NeuronBlock): Record<string, Float64Array | undefined> {
  const arrays = block.population.arrays;
  const bound = block.model.eprop?.bindingVariables ?? {};
  const out: Record<string, Float64Array | undefined> = { ...arrays };
  for (const key of ["adapt_beta", "adapt_tau"]) {
    const name = bound[key];
    if (name !== undefined && arrays[name] !== undefined) out[key] = arrays[name];
  }
  return out;
}

/** The optimizer defaults an e-prop synapse model declares in its `eprop: optimizer:` block. */
function optimizerDefaultsOf(model: SynapseModel | null | undefined): OptimizerDict {
  const declared = model?.eprop?.optimizer as OptimizerDict | undefined;
  return { ...DEFAULT_OPTIMIZER, ...(declared ?? {}) };
}
