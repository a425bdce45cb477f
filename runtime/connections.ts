/**
 * The result of `sim.getConnections(...)`: a view of selected connections with PyNEST's
 * `get("weight")` / `set({ weight })`. Values come back as typed arrays in a stable order
 * (projection by projection, source by source, in creation order within a source).
 */
import type { Projection } from "./engine/projection.js";
import { InvalidParameterError, ShapeMismatchError, UnknownParameterError } from "./errors.js";
import { checkNumber, describe, isArrayLike, isPlainObject } from "./params.js";
import type { TimeGrid } from "./time.js";

interface Part {
  readonly projection: Projection;
  /** Connection indices within the projection. */
  readonly ks: Int32Array;
  /** Global source id of each selected connection. */
  readonly sources: Int32Array;
}

export class ConnectionView {
  private constructor(
    private readonly parts: readonly Part[],
    private readonly grid: TimeGrid,
  ) {}

  /** @internal */
  static select(
    projections: readonly Projection[],
    sources: Int32Array | undefined,
    targets: Int32Array | undefined,
    synapseModel: string | undefined,
    grid: TimeGrid,
  ): ConnectionView {
    const srcSet = sources ? new Set(sources) : null;
    const tgtSet = targets ? new Set(targets) : null;
    const parts: Part[] = [];
    for (const p of projections) {
      if (synapseModel !== undefined && p.synapseModel !== synapseModel) continue;
      const n = p.rowStart.length - 1;
      const keep = (i: number) => srcSet === null || srcSet.has(p.source.first + i);
      // Count first, then fill typed arrays (views over millions of synapses stay compact).
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (!keep(i)) continue;
        if (tgtSet === null) count += p.rowStart[i + 1] - p.rowStart[i];
        else for (let k = p.rowStart[i]; k < p.rowStart[i + 1]; k++) if (tgtSet.has(p.target.first + p.targets[k])) count++;
      }
      if (count === 0) continue;
      const ks = new Int32Array(count);
      const srcs = new Int32Array(count);
      let c = 0;
      for (let i = 0; i < n; i++) {
        if (!keep(i)) continue;
        const sid = p.source.first + i;
        for (let k = p.rowStart[i]; k < p.rowStart[i + 1]; k++) {
          if (tgtSet !== null && !tgtSet.has(p.target.first + p.targets[k])) continue;
          ks[c] = k;
          srcs[c] = sid;
          c++;
        }
      }
      parts.push({ projection: p, ks, sources: srcs });
    }
    return new ConnectionView(parts, grid);
  }

  get size(): number {
    return this.parts.reduce((s, p) => s + p.ks.length, 0);
  }

  get length(): number {
    return this.size;
  }

  /**
   * `get("weight")`, `get("delay")` (ms), `get("source")`, `get("target")`, `get("receptor")`,
   * `get("synapse_model")` (string[]), a synapse variable, or several names at once.
   */
  get(name: string | readonly string[]): unknown {
    if (Array.isArray(name)) {
      const out: Record<string, unknown> = {};
      for (const n of name) out[n] = this.get(n as string);
      return out;
    }
    if (typeof name !== "string") throw new InvalidParameterError(`name must be a string, got ${describe(name)}`, "name");
    if (name === "synapse_model") return this.parts.flatMap((p) => Array.from(p.ks, () => p.projection.synapseModel));
    const intValued = name === "source" || name === "target" || name === "receptor";
    const out = intValued ? new Int32Array(this.size) : new Float64Array(this.size);
    let pos = 0;
    for (const part of this.parts) {
      const p = part.projection;
      const read = this.reader(p, name);
      for (let j = 0; j < part.ks.length; j++) out[pos++] = read(part.ks[j], part.sources[j]);
    }
    return out;
  }

  private reader(p: Projection, name: string): (k: number, source: number) => number {
    switch (name) {
      case "weight":
        return (k) => p.weightAt(k);
      case "delay":
        return (k) => this.grid.ms(p.delayAt(k));
      case "source":
        return (_k, s) => s;
      case "target":
        return (k) => p.target.first + p.targets[k];
      case "receptor":
        return () => p.receptor;
      default:
        if (!p.variableNames().includes(name)) {
          throw new UnknownParameterError(
            `connections of ${p.synapseModel} have no '${name}' (known: source, target, weight, delay, receptor, synapse_model${p.variableNames().map((v) => ", " + v).join("")})`,
            "name",
          );
        }
        return (k) => p.getVariable(name, k);
    }
  }

  /** `set({ weight: 2 })` or `set({ weight: Float64Array(size) })`; validated before any change. */
  set(params: Readonly<Record<string, unknown>>): void {
    if (!isPlainObject(params)) throw new InvalidParameterError(`params must be an object, got ${describe(params)}`, "params");
    const n = this.size;
    const plan: { name: string; values: Float64Array }[] = [];
    for (const [name, value] of Object.entries(params)) {
      const arg = `params.${name}`;
      if (["source", "target", "receptor", "synapse_model"].includes(name)) {
        throw new InvalidParameterError(`${name} cannot be changed on existing connections`, arg);
      }
      let values: Float64Array;
      if (typeof value === "number") values = new Float64Array(n).fill(checkNumber(value, arg));
      else if (isArrayLike(value)) {
        if (value.length !== n) throw new ShapeMismatchError(`${arg}: expected ${n} values (one per connection), got ${value.length}`, arg);
        values = Float64Array.from(value as ArrayLike<number>, (v, i) => checkNumber(v, `${arg}[${i}]`));
      } else throw new InvalidParameterError(`${arg} must be a number or an array, got ${describe(value)}`, arg);
      if (name === "delay") {
        for (let i = 0; i < n; i++) values[i] = this.grid.delaySteps(values[i], arg);
      } else if (name !== "weight") {
        for (const part of this.parts) {
          if (!part.projection.variableNames().includes(name)) {
            throw new UnknownParameterError(`connections of ${part.projection.synapseModel} have no '${name}'`, arg);
          }
        }
      }
      plan.push({ name, values });
    }
    for (const { name, values } of plan) {
      let pos = 0;
      for (const part of this.parts) {
        const slice = values.subarray(pos, pos + part.ks.length);
        pos += part.ks.length;
        if (name === "weight") part.projection.setWeights(part.ks, slice);
        else if (name === "delay") part.projection.setDelays(part.ks, Int32Array.from(slice));
        else part.projection.setVariable(name, part.ks, slice);
      }
    }
  }
}
