/**
 * A population of a compiled neuron model: its structure-of-arrays state, its ring buffers
 * (PopulationIO layout), and parameter access with full validation before any change.
 */
import type { EpropStepSink, NeuronModel, NeuronPopulation, PopulationIO, PortSpec, VariableSpec } from "../model-abi.js";
import { InvalidParameterError, UnknownParameterError } from "../errors.js";
import { Block, type RingHost } from "./block.js";
import type { Kernel } from "./kernel.js";
import { checkNumber } from "../params.js";

export class NeuronBlock extends Block {
  readonly population: NeuronPopulation;
  readonly spikePorts: PortSpec[];
  readonly continuousPorts: PortSpec[];
  private io: PopulationIO | null = null;
  /** Set by the e-prop machinery for models with an `eprop:` block. */
  epropSink: EpropStepSink | undefined;
  private readonly visible: Map<string, VariableSpec>;
  private dt = 0;

  constructor(
    readonly model: NeuronModel,
    n: number,
    modelName: string,
    private readonly rngLabel: string,
    private readonly kernelRef: Kernel,
  ) {
    super("neuron", modelName, n);
    this.population = model.instantiate(n);
    this.spikePorts = model.ports.filter((p) => p.kind === "spike");
    this.continuousPorts = model.ports.filter((p) => p.kind === "continuous");
    this.visible = new Map(model.variables.filter((v) => v.visible).map((v) => [v.name, v]));
    const host: RingHost = {
      n,
      spikeRings: this.spikePorts.map(() => new Float64Array(0)),
      countRings: this.spikePorts.map((p) => (p.needsCount ? new Float64Array(0) : undefined)),
      currentRings: this.continuousPorts.map(() => new Float64Array(0)),
    };
    this.rings = host;
  }

  prepare(kernel: Kernel): void {
    const r = this.rings!;
    this.io = {
      spikeRings: r.spikeRings,
      countRings: r.countRings,
      currentRings: r.currentRings,
      ringSlots: kernel.ringSlots,
      out: this.spikes,
      rng: this.io?.rng ?? kernel.stream(this.rngLabel),
      eprop: this.epropSink,
    };
    this.dt = kernel.grid.resolution;
    this.population.prepare(this.dt);
  }

  update(origin: number, from: number, to: number): void {
    this.population.update(origin, from, to, this.io!);
  }

  parameterNames(): string[] {
    return [...this.visible.keys()];
  }

  variable(name: string, argument: string): VariableSpec {
    const v = this.visible.get(name);
    if (v === undefined) {
      throw new UnknownParameterError(
        `${this.modelName} has no parameter or state variable '${name}' (known: ${[...this.visible.keys()].join(", ")})`,
        argument,
      );
    }
    return v;
  }

  getParameter(name: string, locals: Int32Array, argument: string): Float64Array | string | string[] {
    const v = this.variable(name, argument);
    const arr = this.population.arrays[name];
    if (v.enumValues !== undefined) {
      const names = Array.from(locals, (i) => v.enumValues![arr[i]] ?? String(arr[i]));
      return locals.length === 1 ? names[0] : names;
    }
    const size = v.vectorSize ?? 1;
    const out = new Float64Array(locals.length * size);
    for (let j = 0; j < locals.length; j++) {
      for (let e = 0; e < size; e++) out[j * size + e] = arr[locals[j] * size + e];
    }
    return out;
  }

  /** Converts one user value to the variable's kernel number, or throws naming `argument`. */
  coerce(v: VariableSpec, value: unknown, argument: string): number {
    if (v.type === "boolean" && typeof value === "boolean") return value ? 1 : 0;
    if (v.enumValues !== undefined) {
      const idx = typeof value === "string" ? v.enumValues.indexOf(value) : -1;
      if (idx < 0) throw new InvalidParameterError(`${argument} must be one of ${v.enumValues.join(", ")}, got ${String(value)}`, argument);
      return idx;
    }
    const x = checkNumber(value, argument);
    if (v.type === "integer" && !Number.isInteger(x)) {
      throw new InvalidParameterError(`${argument} must be an integer, got ${x}`, argument);
    }
    if (v.type === "boolean" && x !== 0 && x !== 1) {
      throw new InvalidParameterError(`${argument} must be a boolean, got ${x}`, argument);
    }
    return x;
  }

  setParameters(locals: Int32Array, updates: readonly Readonly<Record<string, unknown>>[], argument: string): void {
    const arrays = this.population.arrays;
    // Phase 1: convert and validate every node's complete candidate assignment.
    const planned: { local: number; name: string; value: number }[] = [];
    const names = new Set<string>();
    for (const u of updates) for (const k of Object.keys(u)) names.add(k);
    for (const name of names) {
      const v = this.variable(name, `${argument}.${name}`);
      if (v.vectorSize !== undefined) {
        throw new InvalidParameterError(`${argument}.${name} is a vector; set it element-wise is not supported`, `${argument}.${name}`);
      }
    }
    if (names.size === 0) return;
    const allVars = this.model.variables;
    for (let j = 0; j < locals.length; j++) {
      const u = updates[j];
      const keys = Object.keys(u);
      if (keys.length === 0) continue;
      const candidate: Record<string, number> = {};
      for (const va of allVars) if (va.vectorSize === undefined) candidate[va.name] = arrays[va.name][locals[j]];
      for (const k of keys) {
        const x = this.coerce(this.visible.get(k)!, u[k], `${argument}.${k}`);
        candidate[k] = x;
        planned.push({ local: locals[j], name: k, value: x });
      }
      const msg = this.model.validate(candidate);
      if (msg !== undefined) {
        const culprit = keys.find((k) => msg.includes(k)) ?? keys[0];
        throw new InvalidParameterError(`${this.modelName}: ${msg}`, `${argument}.${culprit}`);
      }
    }
    // Phase 2: apply.
    for (const p of planned) arrays[p.name][p.local] = p.value;
    if (this.dt > 0) this.population.prepare(this.dt);
    void this.kernelRef;
  }

  /** Recordable value of local node `i` after the last completed step. */
  read(name: string, i: number): number {
    return this.population.read(name, i);
  }
}
