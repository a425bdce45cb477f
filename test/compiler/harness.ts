/**
 * Drives a compiled NeuronPopulation directly through PopulationIO, one step per update call, without
 * the runtime: inputs are written into the ring slot of the step they arrive in.
 */
import { readFileSync } from "node:fs";
import { compileModels } from "../../language/compile/index.js";
import type { CompiledModel, NeuronModel, NeuronPopulation, PopulationIO, RandomSource, SynapseModel } from "../../runtime/model-abi.js";

export function loadModel(name: string): CompiledModel {
  const file = new URL(`../../runtime/models/${name}.spk`, import.meta.url);
  return compileSource(readFileSync(file, "utf8"), `${name}.spk`, name);
}

export function compileSource(source: string, fileName = "test.spk", name?: string): CompiledModel {
  const r = compileModels(source, fileName);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join("\n"));
  const m = name ? r.models.find((x) => x.name === name) : r.models[0];
  if (!m) throw new Error(`no model ${name ?? ""}`);
  return m;
}

export const neuron = (m: CompiledModel) => m as NeuronModel;
export const synapse = (m: CompiledModel) => m as SynapseModel;

export interface Emitted {
  readonly i: number;
  readonly step: number;
  readonly multiplicity: number;
  readonly flush: boolean;
}

const rng: RandomSource = {
  uniform: () => 0.5,
  normal: () => 0,
  poisson: (l) => Math.round(l),
  uint32: () => 12345,
};

export class Driver {
  readonly pop: NeuronPopulation;
  readonly io: PopulationIO;
  readonly events: Emitted[] = [];
  step = 0;
  private origin = 0;
  private readonly spikeIndex: Map<string, number>;
  private readonly currentIndex: Map<string, number>;

  constructor(readonly model: NeuronModel, readonly n: number, readonly dt: number, params: Record<string, number> = {}, readonly slots = 64) {
    this.pop = model.instantiate(n);
    for (const [k, v] of Object.entries(params)) {
      const a = this.pop.arrays[k];
      if (!a) throw new Error(`no variable ${k}`);
      a.fill(v);
    }
    const spikes = model.ports.filter((p) => p.kind === "spike");
    const currents = model.ports.filter((p) => p.kind === "continuous");
    this.spikeIndex = new Map(spikes.map((p, k) => [p.name, k]));
    this.currentIndex = new Map(currents.map((p, k) => [p.name, k]));
    const events = this.events;
    const self = this;
    this.io = {
      spikeRings: spikes.map(() => new Float64Array(slots * n)),
      countRings: spikes.map((p) => (p.needsCount ? new Float64Array(slots * n) : undefined)),
      currentRings: currents.map(() => new Float64Array(slots * n)),
      ringSlots: slots,
      out: { push: (i, lag, multiplicity, flush) => events.push({ i, step: self.origin + lag, multiplicity, flush }) },
      rng,
    };
    this.pop.prepare(dt);
  }

  /** Adds weight `w` (and one spike) to `port` of neuron i for step `step` (>= current step). */
  spike(port: string, step: number, w: number, i = 0, count = 1): void {
    const k = this.spikeIndex.get(port);
    if (k === undefined) throw new Error(`no spike port ${port}`);
    const j = (step % this.slots) * this.n + i;
    this.io.spikeRings[k]![j] += w;
    const c = this.io.countRings[k];
    if (c) c[j] += count;
  }

  current(port: string, step: number, value: number, i = 0): void {
    const k = this.currentIndex.get(port)!;
    this.io.currentRings[k]![(step % this.slots) * this.n + i] += value;
  }

  /** Runs `steps` single steps; calls `probe` after each (with the step index just completed). */
  run(steps: number, probe?: (step: number) => void): void {
    for (let s = 0; s < steps; s++) {
      this.origin = this.step;
      this.pop.update(this.step, 0, 1, this.io);
      probe?.(this.step);
      this.step++;
    }
  }

  get(name: string, i = 0): number {
    return this.pop.read(name, i);
  }
}
