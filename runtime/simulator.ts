/**
 * The PyNEST-shaped API: `new Simulator({ resolution, seed })`, `create`, `connect`, `simulate`,
 * `getConnections`, `setDefaults`, `copyModel`, `install`, `models`, `getStatus`.
 *
 * Every call validates its arguments completely before it changes anything, and throws a
 * `SpikelabError` subclass naming the bad argument.
 */
import type { Block } from "./engine/block.js";
import { Kernel } from "./engine/kernel.js";
import { NeuronBlock } from "./engine/neuron-block.js";
import { buildCsr, packWeights, StaticProjection, type Projection, type Routing, type WeightPrecision } from "./engine/projection.js";
import { SinkProjection } from "./engine/sink-projection.js";
import { ConnectionView } from "./connections.js";
import { generatePairs, normalizeConnSpec, pairShape, type ConnSpec } from "./connect/rules.js";
import { checkValueForm, resolveValues } from "./connect/values.js";
import { DcGeneratorBlock, StepGeneratorBlock } from "./devices/current-generators.js";
import type { DeviceBlock, DeviceTiming } from "./devices/device-block.js";
import { PoissonGeneratorBlock } from "./devices/poisson-generator.js";
import { MultimeterBlock, SpikeRecorderBlock, WeightRecorderBlock } from "./devices/recorders.js";
import { SpikeGeneratorBlock } from "./devices/spike-generator.js";
import {
  IllegalConnectionError,
  InvalidDelayError,
  InvalidParameterError,
  UnknownModelError,
  UnknownParameterError,
} from "./errors.js";
import type { CompiledModel } from "./model-abi.js";
import { NodeCollection } from "./node-collection.js";
import { checkCount, checkNumber, describe, isPlainObject } from "./params.js";
import { SimulationProgress, type ProgressSetting } from "./progress.js";
import { baseEntry, compileSource, DEVICE_MODELS, globalModelNames, type DeviceModelName, type ModelEntry } from "./registry.js";
import { TimeGrid } from "./time.js";
import { PlasticProjection } from "./engine/plastic-projection.js";
import { EpropContext, LEARNING_SIGNAL_CONNECTION } from "./eprop/context.js";

export interface SimulatorOptions {
  /** Step size in ms (default 0.1). */
  resolution?: number;
  /** Seed of every random stream (default 12345). */
  seed?: number;
  /** Progress bar for long simulate calls: "auto" (default: notebook or TTY), true, false. */
  progress?: ProgressSetting;
  /**
   * Per-connection weight storage: "auto" (default) keeps float64 unless every weight is exactly
   * representable in float32; "float32" always uses float32 (4 B/synapse, lossy); "float64" never.
   */
  weightPrecision?: WeightPrecision;
}

export interface SimulatorStatus {
  time: number;
  resolution: number;
  seed: number;
  network_size: number;
  num_connections: number;
  min_delay: number;
  max_delay: number;
  /** Bytes held by connectivity (targets, weights, delays, row offsets). */
  connection_bytes: number;
}

const SYNAPSE_SPEC_KEYS = ["synapse_model", "weight", "delay", "receptor_type"];

export class Simulator {
  readonly resolution: number;
  readonly seed: number;
  /** @internal the engine. */
  readonly kernel: Kernel;
  private readonly grid: TimeGrid;
  private readonly progressSetting: ProgressSetting;
  private readonly weightPrecision: WeightPrecision;
  private readonly localModels = new Map<string, CompiledModel>();
  private readonly entries = new Map<string, ModelEntry>();
  private connectCount = 0;
  /** @internal e-prop machinery (archives, e-prop synapses, learning signals) of this simulator. */
  readonly eprop: EpropContext;

  constructor(options: SimulatorOptions = {}) {
    if (!isPlainObject(options as unknown)) throw new InvalidParameterError(`options must be an object, got ${describe(options)}`, "options");
    for (const k of Object.keys(options)) {
      if (!["resolution", "seed", "progress", "weightPrecision"].includes(k)) {
        throw new UnknownParameterError(`unknown simulator option '${k}'`, `options.${k}`);
      }
    }
    this.resolution = TimeGrid.validateResolution(options.resolution ?? 0.1);
    const seed = options.seed ?? 12345;
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
      throw new InvalidParameterError(`seed must be a non-negative integer, got ${describe(seed)}`, "options.seed");
    }
    this.seed = seed;
    const progress: ProgressSetting = options.progress ?? "auto";
    if (progress !== true && progress !== false && progress !== "auto") {
      throw new InvalidParameterError(`progress must be true, false or "auto"`, "options.progress");
    }
    this.progressSetting = progress;
    const wp: WeightPrecision = options.weightPrecision ?? "auto";
    if (!["auto", "float64", "float32"].includes(wp as string)) {
      throw new InvalidParameterError(`weightPrecision must be "auto", "float64" or "float32"`, "options.weightPrecision");
    }
    this.weightPrecision = wp;
    this.grid = new TimeGrid(this.resolution);
    this.kernel = new Kernel(this.grid, seed);
    this.eprop = new EpropContext(this.resolution);
    this.kernel.hooks.push(this.eprop);
  }

  /** Current simulation time in ms. */
  get time(): number {
    return this.grid.ms(this.kernel.step);
  }

  /** Every model name this simulator can create or connect with. */
  get models(): string[] {
    return [...new Set([...globalModelNames(), ...this.localModels.keys(), ...this.entries.keys()])].sort();
  }

  // ---------------------------------------------------------------- models

  /** Compiles model source and makes its models available in this simulator. Returns their names. */
  install(source: string, fileName?: string): string[] {
    if (typeof source !== "string") throw new InvalidParameterError(`install: source must be a string`, "source");
    const models = compileSource(source, fileName ?? "<install>");
    for (const m of models) {
      this.localModels.set(m.name, m);
      this.entries.delete(m.name);
    }
    return models.map((m) => m.name);
  }

  /** @internal the model entry for `name`, or an UnknownModelError naming `argument`. */
  entry(name: unknown, argument: string): ModelEntry {
    if (typeof name !== "string") throw new InvalidParameterError(`${argument} must be a model name, got ${describe(name)}`, argument);
    const e = this.entries.get(name) ?? baseEntry(name, this.localModels);
    if (e === undefined) {
      const near = this.models.filter((m) => m.includes(name) || name.includes(m)).slice(0, 5);
      throw new UnknownModelError(`unknown model '${name}'${near.length ? ` (did you mean ${near.join(", ")}?)` : ""}`, argument);
    }
    return e;
  }

  /** NEST's SetDefaults: new defaults for every later `create`/`connect` with this model. */
  setDefaults(model: string, params: Readonly<Record<string, unknown>>): void {
    const e = this.entry(model, "model");
    if (!isPlainObject(params)) throw new InvalidParameterError(`params must be an object, got ${describe(params)}`, "params");
    const { optimizer, rest } = this.splitOptimizer(e, params);
    const merged = { ...e.defaults, ...rest };
    this.validateDefaults(e, merged, "params");
    if (optimizer !== undefined && e.kind === "synapse") this.eprop.setOptimizerDefaults(model, e.model, optimizer);
    this.entries.set(model, { ...e, defaults: merged } as ModelEntry);
  }

  /** E-prop synapse models take `optimizer: {...}` as a default (NEST); it lives in the e-prop context. */
  private splitOptimizer(e: ModelEntry, params: Readonly<Record<string, unknown>>): { optimizer: unknown; rest: Record<string, unknown> } {
    const { optimizer, ...rest } = params as Record<string, unknown>;
    if (optimizer === undefined) return { optimizer, rest };
    if (e.kind !== "synapse" || e.model === null || !e.model.isEprop) {
      throw new UnknownParameterError(`${e.name} has no parameter 'optimizer' (only e-prop synapses have one)`, "params.optimizer");
    }
    return { optimizer, rest };
  }

  /** The defaults of `model` (model defaults with overrides applied). */
  getDefaults(model: string): Record<string, unknown> {
    const e = this.entry(model, "model");
    if (e.kind === "neuron") {
      const out: Record<string, unknown> = {};
      for (const v of e.model.variables) if (v.visible) out[v.name] = v.defaultValue;
      return { ...out, ...e.defaults };
    }
    if (e.kind === "synapse") {
      const out: Record<string, unknown> = { weight: 1, delay: 1, receptor_type: 0 };
      if (e.model) for (const v of e.model.variables) if (v.visible) out[v.name] = v.defaultValue;
      if (e.model?.isEprop) out.optimizer = this.eprop.optimizerDefaults(model, e.model);
      return { ...out, ...e.defaults };
    }
    const probe = this.makeDevice(e, 1);
    const names = probe.parameterNames().filter((n) => n !== "events" && n !== "n_events");
    return Object.fromEntries(names.map((n) => {
      const v = probe.getParameter(n, Int32Array.of(0), n);
      return [n, v instanceof Float64Array ? v[0] : v];
    }));
  }

  /** NEST's CopyModel: `newName` behaves like `existing` with `params` as defaults. */
  copyModel(existing: string, newName: string, params: Readonly<Record<string, unknown>> = {}): void {
    const e = this.entry(existing, "existing");
    if (typeof newName !== "string" || newName.length === 0) throw new InvalidParameterError("newName must be a non-empty string", "newName");
    if (this.entries.has(newName) || baseEntry(newName, this.localModels) !== undefined) {
      throw new InvalidParameterError(`a model named '${newName}' already exists`, "newName");
    }
    if (!isPlainObject(params)) throw new InvalidParameterError(`params must be an object`, "params");
    const { optimizer, rest } = this.splitOptimizer(e, params);
    const merged = { ...e.defaults, ...rest };
    this.validateDefaults(e, merged, "params");
    if (e.kind === "synapse" && e.model?.isEprop) {
      // The copy starts from the original's optimizer settings, then applies the new ones.
      this.eprop.setOptimizerDefaults(newName, e.model, { ...this.eprop.optimizerDefaults(existing, e.model), ...((optimizer as object) ?? {}) });
    }
    this.entries.set(newName, { ...e, name: newName, defaults: merged } as ModelEntry);
  }

  private validateDefaults(e: ModelEntry, values: Record<string, unknown>, argument: string): void {
    if (e.kind === "neuron") {
      const probe = new NeuronBlock(e.model, 1, e.name, "probe", this.kernel);
      probe.setParameters(Int32Array.of(0), [values], argument);
    } else if (e.kind === "device") {
      this.makeDevice({ ...e, defaults: {} }, 1).setParameters(Int32Array.of(0), [values], argument);
    } else {
      this.synapseDefaults(e, values, argument);
    }
  }

  /** Validated synapse defaults: weight, delay (ms), receptor_type, weight_recorder, model variables. */
  private synapseDefaults(e: ModelEntry & { kind: "synapse" }, values: Record<string, unknown>, argument: string): Record<string, unknown> {
    const known = new Set([...SYNAPSE_SPEC_KEYS, "weight_recorder"]);
    if (e.model) for (const v of e.model.variables) if (v.visible) known.add(v.name);
    for (const [k, v] of Object.entries(values)) {
      if (!known.has(k)) throw new UnknownParameterError(`${e.name} has no parameter '${k}'`, `${argument}.${k}`);
      if (k === "delay" && typeof v === "number") this.grid.delaySteps(v, `${argument}.delay`);
      else if (k === "weight_recorder") {
        if (!(v instanceof NodeCollection) || v.owner !== this || v.size !== 1 || v.groups()[0].block.modelName !== "weight_recorder") {
          throw new InvalidParameterError(`${argument}.weight_recorder must be one weight_recorder of this simulator`, `${argument}.weight_recorder`);
        }
      } else if (k === "receptor_type") checkCount(v, `${argument}.receptor_type`);
      else if (k !== "synapse_model" && typeof v === "number") checkNumber(v, `${argument}.${k}`);
    }
    return values;
  }

  // ---------------------------------------------------------------- nodes

  /** @internal */
  blockOf(id: number): Block | undefined {
    return this.kernel.blockOf(id);
  }

  private makeDevice(e: ModelEntry & { kind: "device" }, n: number): DeviceBlock<DeviceTiming> {
    const d = {} as Record<string, never>;
    let block: DeviceBlock<DeviceTiming>;
    const name: DeviceModelName = e.base;
    const first = this.kernel.nextId;
    switch (name) {
      case "spike_generator":
        block = new SpikeGeneratorBlock(n, d, this.grid, () => this.kernel.step);
        break;
      case "poisson_generator":
        block = new PoissonGeneratorBlock(n, d, this.grid, (i) => this.kernel.stream(`poisson_generator:${first + i}`));
        break;
      case "dc_generator":
        block = new DcGeneratorBlock(n, d, this.grid);
        break;
      case "step_current_generator":
      case "step_rate_generator":
        block = new StepGeneratorBlock(name, n, d, this.grid);
        break;
      case "spike_recorder":
        block = new SpikeRecorderBlock(n, d, this.grid);
        break;
      case "multimeter":
        block = new MultimeterBlock(n, d, this.grid);
        break;
      case "weight_recorder":
        block = new WeightRecorderBlock(n, d, this.grid);
        break;
    }
    if (Object.keys(e.defaults).length > 0) {
      block.setParameters(Int32Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, () => e.defaults), "defaults");
    }
    return block;
  }

  /**
   * NEST's Create: `n` nodes of `model`. `params` sets every node (`{ V_th: 20 }`), per node with
   * arrays of length n for neurons (`{ V_m: Float64Array }`), or as one record per node.
   */
  create(model: string, n = 1, params?: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]): NodeCollection {
    const e = this.entry(model, "model");
    checkCount(n, "n");
    if (n < 1) throw new InvalidParameterError(`n must be at least 1, got ${n}`, "n");
    if (e.kind === "synapse") throw new InvalidParameterError(`'${model}' is a synapse model; use it in connect's syn_spec`, "model");
    const first = this.kernel.nextId;
    let block: Block;
    if (e.kind === "neuron") {
      block = new NeuronBlock(e.model, n, e.name, `population:${first}`, this.kernel);
      if (Object.keys(e.defaults).length > 0) {
        block.setParameters(Int32Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, () => e.defaults), "defaults");
      }
    } else {
      block = this.makeDevice(e, n);
    }
    const ids = Int32Array.from({ length: n }, (_, i) => first + i);
    if (params !== undefined) {
      // Validate against the unregistered block; nothing is registered until this succeeds.
      const shadow = new NodeCollection({ blockOf: (id) => (id >= first && id < first + n ? block : undefined) }, ids);
      const perNode = shadow.expand(params, "params");
      block.setParameters(Int32Array.from({ length: n }, (_, i) => i), perNode, "params");
    }
    if (block instanceof NeuronBlock && block.model.eprop !== undefined) block.epropSink = this.eprop.attachBlock(block);
    this.kernel.addBlock(block);
    return new NodeCollection(this, ids);
  }

  // ---------------------------------------------------------------- connections

  /**
   * NEST's Connect. `connSpec`: a rule name or `{ rule, indegree | outdegree | N | p,
   * allow_autapses, allow_multapses }` (default all_to_all). `synSpec`: a synapse model name or
   * `{ synapse_model, weight, delay, receptor_type, ...synapse variables }` where each value is a
   * scalar, per-connection array, [post][pre] matrix (all_to_all) or distribution.
   */
  connect(pre: NodeCollection, post: NodeCollection, connSpec?: unknown, synSpec?: unknown): void {
    this.checkCollection(pre, "pre");
    this.checkCollection(post, "post");
    const preGroups = pre.groups();
    const postGroups = post.groups();
    const kindsPre = new Set(preGroups.map((g) => g.block.modelName));
    const kindsPost = new Set(postGroups.map((g) => g.block.modelName));

    if (kindsPre.has("multimeter")) return this.connectMultimeter(pre, post, connSpec);
    for (const g of postGroups) {
      const b = g.block;
      if (b.kind === "generator" || b.modelName === "multimeter" || b.modelName === "weight_recorder") {
        throw new IllegalConnectionError(`${b.modelName} cannot receive connections`, "post");
      }
    }
    for (const g of preGroups) {
      if (g.block.kind === "recorder") throw new IllegalConnectionError(`${g.block.modelName} cannot send connections`, "pre");
    }
    if (kindsPost.has("spike_recorder") && kindsPost.size > 1) {
      throw new IllegalConnectionError("post mixes spike_recorder and other nodes; connect them separately", "post");
    }

    // Synapse spec.
    let syn: Record<string, unknown>;
    if (synSpec === undefined || synSpec === null) syn = {};
    else if (typeof synSpec === "string") syn = { synapse_model: synSpec };
    else if (isPlainObject(synSpec)) syn = synSpec;
    else throw new InvalidParameterError(`syn_spec must be a synapse model name or an object, got ${describe(synSpec)}`, "syn_spec");
    const synName = syn.synapse_model ?? "static_synapse";
    const se = this.entry(synName, "syn_spec.synapse_model");
    if (se.kind !== "synapse") throw new InvalidParameterError(`'${String(synName)}' is not a synapse model`, "syn_spec.synapse_model");
    const values: Record<string, unknown> = { weight: 1, delay: 1, receptor_type: 0, ...se.defaults };
    for (const [k, v] of Object.entries(syn)) if (k !== "synapse_model") values[k] = v;
    const known = new Set([...SYNAPSE_SPEC_KEYS, "weight_recorder"]);
    if (se.model) for (const v of se.model.variables) if (v.visible) known.add(v.name);
    for (const k of Object.keys(values)) {
      if (!known.has(k)) throw new UnknownParameterError(`${se.name} has no parameter '${k}'`, `syn_spec.${k}`);
    }
    const receptor = checkCount(values.receptor_type, "syn_spec.receptor_type");

    const spec = normalizeConnSpec(connSpec, pre.size, post.size);
    const shape = pairShape(spec, pre.size, post.size);
    for (const k of Object.keys(values)) {
      if (k === "receptor_type" || k === "weight_recorder") continue;
      checkValueForm(values[k], `syn_spec.${k}`, shape);
    }
    if (typeof values.delay === "number") this.grid.delaySteps(values.delay, "syn_spec.delay");
    let weightRecorder: WeightRecorderBlock | null = null;
    if (values.weight_recorder !== undefined) {
      this.synapseDefaults(se, { weight_recorder: values.weight_recorder }, "syn_spec");
      weightRecorder = (values.weight_recorder as NodeCollection).groups()[0].block as WeightRecorderBlock;
    }

    // Routing per target block, checked before drawing anything (e-prop connections route themselves).
    const special = se.model?.isEprop ? "eprop" : se.base === LEARNING_SIGNAL_CONNECTION ? "learning_signal" : null;
    // One routing per (source block, target block): a current generator and a neuron reach the same
    // target through different ports.
    const routings = new Map<string, Routing>();
    if (special === null) {
      postGroups.forEach((tg, gt) =>
        preGroups.forEach((sg, gs) => routings.set(`${gs}:${gt}`, this.routingFor(sg.block, tg.block, se, receptor, values.weight))),
      );
    }
    if (se.model !== null && se.model.isEprop === false && kindsPost.has("spike_recorder")) {
      // plastic synapses into recorders behave as static ones (NEST would refuse; be lenient)
    }

    // Draw pairs and per-connection values (one stream per connect call, in call order).
    const rng = this.kernel.stream(`connect#${this.connectCount}`);
    const pairs = generatePairs(spec, pre.rawIds, post.rawIds, rng);
    const m = pairs.pre.length;
    const weights = resolveValues(values.weight, "syn_spec.weight", spec, pairs, pre.size, rng);
    const delaysMs = resolveValues(values.delay, "syn_spec.delay", spec, pairs, pre.size, rng);
    let delaySteps: number | Int32Array;
    if (typeof delaysMs === "number") delaySteps = this.grid.delaySteps(delaysMs, "syn_spec.delay");
    else {
      const drawn = isPlainObject(values.delay);
      delaySteps = new Int32Array(m);
      for (let k = 0; k < m; k++) {
        const d = delaysMs[k];
        // Drawn delays are rounded to the grid (as NEST does); given delays must be on it.
        const ms = drawn ? this.grid.ms(this.grid.roundSteps(d)) : d;
        delaySteps[k] = this.grid.delaySteps(ms, drawn ? "syn_spec.delay (drawn)" : `syn_spec.delay[${k}]`);
        if (delaySteps[k] > 65535) throw new InvalidDelayError(`syn_spec.delay[${k}] exceeds 65535 steps`, "syn_spec.delay");
      }
    }
    if (typeof weights !== "number") {
      for (let k = 0; k < m; k++) if (Number.isNaN(weights[k])) throw new InvalidParameterError(`syn_spec.weight[${k}] is NaN`, "syn_spec.weight");
    }
    const extra: Record<string, number | Float64Array> = {};
    if (se.model) {
      for (const v of se.model.variables) {
        if (v.visible && values[v.name] !== undefined && v.name !== se.model.weightVariable) {
          extra[v.name] = resolveValues(values[v.name], `syn_spec.${v.name}`, spec, pairs, pre.size, rng);
        }
      }
    }

    // Split by (source block, target block) and build projections.
    const projections: Projection[] = [];
    const preBlockIndex = new Int32Array(pre.size);
    const preLocal = new Int32Array(pre.size);
    preGroups.forEach((g, gi) => g.positions.forEach((p, j) => ((preBlockIndex[p] = gi), (preLocal[p] = g.locals[j]))));
    const postBlockIndex = new Int32Array(post.size);
    const postLocal = new Int32Array(post.size);
    postGroups.forEach((g, gi) => g.positions.forEach((p, j) => ((postBlockIndex[p] = gi), (postLocal[p] = g.locals[j]))));
    const nPostGroups = postGroups.length;
    const nGroups = preGroups.length * nPostGroups;
    const perConnection = typeof weights !== "number" || typeof delaySteps !== "number" || Object.values(extra).some((v) => typeof v !== "number") || special !== null;
    // Per (source block, target block) group: local sources/targets (plus offsets) and where its
    // pairs sit in generation order (an index array, or a contiguous range starting at `first`).
    interface Group {
      count: number;
      src: Int32Array;
      tgt: Int32Array;
      srcOffset: number;
      tgtOffset: number;
      index: Int32Array | null;
      first: number;
    }
    const groups: (Group | null)[] = new Array(nGroups).fill(null);
    const contiguous = (g: { locals: Int32Array; positions: Int32Array }) =>
      g.locals.every((l, j) => l === g.locals[0] + j) && g.positions.every((q, j) => q === g.positions[0] + j);
    let postSorted = special === null && preGroups.length === 1 && contiguous(preGroups[0]) && postGroups.every(contiguous);
    for (let k = 1; postSorted && k < m; k++) if (pairs.post[k] < pairs.post[k - 1]) postSorted = false;
    if (postSorted) {
      // Fast path (no copies): pairs come target by target, and every block is a contiguous run of
      // positions, so each target block's pairs are one range of the pair arrays.
      const lowerBound = (x: number) => {
        let lo = 0;
        let hi = m;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (pairs.post[mid] < x) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      postGroups.forEach((g, gt) => {
        const lo = lowerBound(g.positions[0]);
        const hi = lowerBound(g.positions[0] + g.positions.length);
        groups[gt] = {
          count: hi - lo,
          src: pairs.pre.subarray(lo, hi),
          tgt: pairs.post.subarray(lo, hi),
          srcOffset: preGroups[0].locals[0] - preGroups[0].positions[0],
          tgtOffset: g.locals[0] - g.positions[0],
          index: null,
          first: lo,
        };
      });
    } else {
      // One pass to count, one to distribute pairs into (source block, target block) groups.
      const groupOf = nGroups === 1 ? null : new Int32Array(m);
      const groupCount = new Int32Array(nGroups);
      if (groupOf === null) groupCount[0] = m;
      else {
        for (let k = 0; k < m; k++) {
          const g = preBlockIndex[pairs.pre[k]] * nPostGroups + postBlockIndex[pairs.post[k]];
          groupOf[k] = g;
          groupCount[g]++;
        }
      }
      for (let g = 0; g < nGroups; g++) {
        const c = groupCount[g];
        groups[g] = { count: c, src: new Int32Array(c), tgt: new Int32Array(c), srcOffset: 0, tgtOffset: 0, index: perConnection ? new Int32Array(c) : null, first: 0 };
      }
      const fill = new Int32Array(nGroups);
      for (let k = 0; k < m; k++) {
        const gi = groupOf === null ? 0 : groupOf[k];
        const g = groups[gi]!;
        const c = fill[gi]++;
        g.src[c] = preLocal[pairs.pre[k]];
        g.tgt[c] = postLocal[pairs.post[k]];
        if (g.index !== null) g.index[c] = k;
      }
    }
    for (let gs = 0; gs < preGroups.length; gs++) {
      for (let gt = 0; gt < nPostGroups; gt++) {
        const gi = gs * nPostGroups + gt;
        const group = groups[gi];
        if (group === null || group.count === 0) continue;
        const count = group.count;
        const src = preGroups[gs].block;
        const tgt = postGroups[gt].block;
        const srcLocal = group.src;
        const tgtLocal = group.tgt;
        let index = group.index;
        if (index === null && perConnection) {
          index = new Int32Array(count);
          for (let j = 0; j < count; j++) index[j] = group.first + j;
        }
        if (special !== null) {
          const w = typeof weights === "number" ? new Float64Array(count).fill(weights) : Float64Array.from(index!, (k) => weights[k]);
          const d = typeof delaySteps === "number" ? new Int32Array(count).fill(delaySteps) : Int32Array.from(index!, (k) => delaySteps[k]);
          const recorder = weightRecorder === null ? null : (s: number, t: number, stamp: number, wt: number) => weightRecorder!.record(0, s, t, stamp, wt, receptor);
          projections.push(
            special === "eprop"
              ? this.eprop.connectEprop(se.name, se.model, src, tgt, srcLocal, tgtLocal, w, d, recorder)
              : this.eprop.connectLearningSignal(src, tgt, srcLocal, tgtLocal, w, d),
          );
          continue;
        }
        const csr = buildCsr(src.n, srcLocal, tgtLocal, perConnection, group.srcOffset, group.tgtOffset);
        const pick = (v: Float64Array | Int32Array) => {
          const out = new Float64Array(count);
          for (let j = 0; j < count; j++) out[j] = v[index![csr.order[j]]];
          return out;
        };
        const w = typeof weights === "number" ? weights : pick(weights);
        const d = typeof delaySteps === "number" ? delaySteps : pick(delaySteps);
        projections.push(this.makeProjection(src, tgt, se, receptor, routings.get(`${gs}:${gt}`)!, csr.rowStart, csr.sortedTargets, w, d, extra, pick, weightRecorder));
      }
    }
    // Commit.
    for (const p of projections) this.kernel.addProjection(p);
    this.connectCount++;
  }

  private checkCollection(nc: unknown, argument: string): asserts nc is NodeCollection {
    if (!(nc instanceof NodeCollection) || nc.owner !== this) {
      throw new InvalidParameterError(`${argument} must be a NodeCollection created by this simulator, got ${describe(nc)}`, argument);
    }
  }

  /** How events from `src` reach `tgt` through `receptor`, or an IllegalConnectionError. */
  private routingFor(src: Block, tgt: Block, se: ModelEntry & { kind: "synapse" }, receptor: number, weight: unknown): Routing {
    if (tgt.kind === "recorder") {
      if (src.modelName !== "spike_generator" && src.modelName !== "poisson_generator" && src.kind !== "neuron") {
        throw new IllegalConnectionError(`${src.modelName} cannot be recorded by a spike_recorder`, "pre");
      }
      return { kind: "sink" };
    }
    const target = tgt as NeuronBlock;
    const valueSource = src.modelName === "dc_generator" || src.modelName === "step_current_generator" || src.modelName === "step_rate_generator";
    const rateSynapse = se.base === "rate_connection_delayed";
    if (valueSource || rateSynapse) {
      if (!valueSource) throw new IllegalConnectionError(`${se.name} carries rates; ${src.modelName} sends spikes`, "syn_spec.synapse_model");
      const ports = target.continuousPorts.map((p, i) => ({ p, i })).filter(({ p }) => p.receptor === receptor);
      if (ports.length === 0) {
        throw new IllegalConnectionError(
          `${target.modelName} has no continuous input with receptor_type ${receptor} (for ${src.modelName})`,
          "syn_spec.receptor_type",
        );
      }
      return { kind: "current", port: ports[0].i };
    }
    const ports = target.spikePorts.map((p, i) => ({ p, i })).filter(({ p }) => p.receptor === receptor);
    if (ports.length === 0) {
      throw new IllegalConnectionError(`${target.modelName} has no spike input with receptor_type ${receptor}`, "syn_spec.receptor_type");
    }
    const exc = ports.find(({ p }) => p.qualifier === "excitatory");
    const inh = ports.find(({ p }) => p.qualifier === "inhibitory");
    if (exc && inh) {
      return { kind: "signed", excitatory: exc.i, inhibitory: inh.i, countExc: exc.p.needsCount, countInh: inh.p.needsCount };
    }
    if (ports.length > 1 && !exc && !inh) {
      throw new IllegalConnectionError(`${target.modelName} has several spike inputs with receptor_type ${receptor}`, "syn_spec.receptor_type");
    }
    void weight;
    const only = ports[0];
    return { kind: "spike", port: only.i, countPort: only.p.needsCount };
  }

  private makeProjection(
    src: Block,
    tgt: Block,
    se: ModelEntry & { kind: "synapse" },
    receptor: number,
    routing: Routing,
    rowStart: Int32Array,
    targets: Int32Array,
    w: number | Float64Array,
    d: number | Float64Array,
    extra: Record<string, number | Float64Array>,
    pick: (v: Float64Array | Int32Array) => Float64Array,
    weightRecorder: WeightRecorderBlock | null,
  ): Projection {
    const count = targets.length;
    if (routing.kind === "sink") {
      return new SinkProjection(
        src,
        tgt as SpikeRecorderBlock,
        se.name,
        rowStart,
        targets,
        typeof w === "number" ? new Float64Array(count).fill(w) : w,
        typeof d === "number" ? new Int32Array(count).fill(d) : Int32Array.from(d),
      );
    }
    const recorder = weightRecorder === null ? null : (s: number, t: number, stamp: number, weight: number) => weightRecorder.record(0, s, t, stamp, weight, receptor);
    if (se.model !== null) {
      const extras: Record<string, number | Float64Array> = {};
      for (const [k, v] of Object.entries(extra)) extras[k] = typeof v === "number" ? v : pick(v);
      const rng = this.kernel.stream(`synapse:${this.connectCount}:${src.first}:${tgt.first}`);
      const p = new PlasticProjection(src, tgt as NeuronBlock, se.name, se.model, receptor, routing, rowStart, targets, w, d, extras, this.grid, rng);
      p.weightRecorder = recorder;
      return p;
    }
    const p = new StaticProjection(
      src,
      tgt,
      se.name,
      receptor,
      routing,
      rowStart,
      targets,
      typeof w === "number" ? w : 0,
      typeof w === "number" ? null : packWeights(w, this.weightPrecision),
      typeof d === "number" ? d : 0,
      typeof d === "number" ? null : Uint16Array.from(d),
    );
    if (typeof w !== "number") {
      // Homogeneous after all (e.g. an array of equal values): store one double.
      let same = count > 0;
      for (let k = 1; k < count; k++) if (w[k] !== w[0]) same = false;
      if (same) {
        p.weight = w[0];
        p.weights = null;
      }
    }
    if (typeof d !== "number") p.setDelays(new Int32Array(0), new Int32Array(0));
    p.weightRecorder = recorder;
    return p;
  }

  private connectMultimeter(pre: NodeCollection, post: NodeCollection, connSpec: unknown): void {
    for (const g of pre.groups()) {
      if (g.block.modelName !== "multimeter") throw new IllegalConnectionError("pre mixes multimeters and other nodes", "pre");
    }
    if (connSpec !== undefined && connSpec !== "all_to_all" && !(isPlainObject(connSpec) && connSpec.rule === "all_to_all")) {
      throw new IllegalConnectionError("a multimeter connects all_to_all to its targets", "conn_spec");
    }
    const plan: [MultimeterBlock, number, NeuronBlock, number][] = [];
    for (const g of pre.groups()) {
      const mm = g.block as MultimeterBlock;
      for (const local of g.locals) {
        for (const tg of post.groups()) {
          if (tg.block.kind !== "neuron") throw new IllegalConnectionError(`a multimeter records neurons, not ${tg.block.modelName}`, "post");
          mm.checkTarget(local, tg.block as NeuronBlock, "post");
          for (const t of tg.locals) plan.push([mm, local, tg.block as NeuronBlock, t]);
        }
      }
    }
    for (const [mm, local, block, t] of plan) mm.addTarget(local, block, t);
    for (const g of pre.groups()) if (!this.kernel.samplers.includes(g.block as MultimeterBlock)) this.kernel.samplers.push(g.block as MultimeterBlock);
  }

  /**
   * NEST's GetConnections: every connection from `source` to `target` (both optional) with
   * `synapse_model` (optional), as a view with `get`/`set`.
   */
  getConnections(filter: { source?: NodeCollection; target?: NodeCollection; synapse_model?: string } = {}): ConnectionView {
    if (!isPlainObject(filter)) throw new InvalidParameterError("filter must be an object", "filter");
    for (const k of Object.keys(filter)) {
      if (!["source", "target", "synapse_model"].includes(k)) throw new UnknownParameterError(`unknown filter '${k}'`, `filter.${k}`);
    }
    if (filter.source !== undefined) this.checkCollection(filter.source, "filter.source");
    if (filter.target !== undefined) this.checkCollection(filter.target, "filter.target");
    if (filter.synapse_model !== undefined) this.entry(filter.synapse_model, "filter.synapse_model");
    return ConnectionView.select(this.kernel.projections, filter.source?.rawIds, filter.target?.rawIds, filter.synapse_model, this.grid);
  }

  // ---------------------------------------------------------------- time

  /** Advances the simulation by `ms` (a multiple of the resolution). Callable repeatedly. */
  simulate(ms: number): void {
    checkNumber(ms, "t");
    if (ms < 0 || !Number.isFinite(ms)) throw new InvalidParameterError(`simulate: t must be a finite number ≥ 0, got ${ms}`, "t");
    const steps = this.grid.exactSteps(ms);
    if (steps === null) throw new InvalidParameterError(`simulate: t = ${ms} ms is not a multiple of the resolution ${this.resolution} ms`, "t");
    if (steps === 0) return;
    const progress = new SimulationProgress(this.progressSetting, ms, this.time);
    this.kernel.run(steps, (done, total) => progress.update(done, total));
    progress.finish();
  }

  /** PyNEST's Run (same as simulate here; prepare/cleanup are implicit). */
  run(ms: number): void {
    this.simulate(ms);
  }

  /** PyNEST's Prepare: allocate buffers now (optional). */
  prepare(): void {
    this.kernel.prepare();
  }

  /** PyNEST's Cleanup (nothing to release; kept for script compatibility). */
  cleanup(): void {}

  getStatus(): SimulatorStatus {
    let connections = 0;
    let bytes = 0;
    for (const p of this.kernel.projections) {
      connections += p.count;
      bytes += projectionBytes(p);
    }
    let minD = Infinity;
    let maxD = 0;
    for (const p of this.kernel.projections) {
      if (p.count === 0) continue;
      minD = Math.min(minD, p.minDelay());
      maxD = Math.max(maxD, p.maxDelay());
    }
    if (minD === Infinity) minD = maxD = 1;
    return {
      time: this.time,
      resolution: this.resolution,
      seed: this.seed,
      network_size: this.kernel.nextId - 1,
      num_connections: connections,
      min_delay: this.grid.ms(minD),
      max_delay: this.grid.ms(maxD),
      connection_bytes: bytes,
    };
  }
}

function projectionBytes(p: Projection): number {
  let b = p.rowStart.byteLength + p.targets.byteLength;
  const any = p as unknown as { weights?: ArrayBufferView | null; delays?: ArrayBufferView | null; storageBytes?: () => number };
  if (any.storageBytes) return b + any.storageBytes();
  if (any.weights) b += any.weights.byteLength;
  if (any.delays) b += any.delays.byteLength;
  return b;
}

export { DEVICE_MODELS };
