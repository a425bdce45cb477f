/**
 * spike_generator: emits spikes at given times. As in NEST, a spike at time s ms has stamp
 * s/dt (it behaves like a neuron that fired in step s/dt − 1): a target with delay d integrates
 * it in step stamp + d − 1, a spike_recorder records time s. Times must lie on the grid unless
 * `allow_offgrid_times` (then rounded up to the end of their step); 0 is not allowed; times must be
 * non-descending; spikes stamped at or before the current time are skipped. `spike_weights`
 * multiply the connection weight, `spike_multiplicities` set the multiplicity.
 */
import { InvalidParameterError } from "../errors.js";
import { checkBoolean, checkNumberArray } from "../params.js";
import type { TimeGrid } from "../time.js";
import { DeviceBlock, TIMING_DEFAULTS, type DeviceTiming } from "./device-block.js";

export interface SpikeGeneratorParams extends DeviceTiming {
  spike_times: number[];
  spike_weights: number[];
  spike_multiplicities: number[];
  allow_offgrid_times: boolean;
  precise_times: boolean;
  shift_now_spikes: boolean;
}

export class SpikeGeneratorBlock extends DeviceBlock<SpikeGeneratorParams> {
  /** Stamps (steps) per instance, parallel to spike_times. */
  private stamps: Int32Array[] = [];
  private position: Int32Array;
  private now: () => number;

  constructor(n: number, defaults: Partial<SpikeGeneratorParams>, grid: TimeGrid, now: () => number) {
    super("generator", "spike_generator", n, { ...SPIKE_GENERATOR_DEFAULTS, ...defaults }, grid);
    this.now = now;
    this.position = new Int32Array(n);
    this.stamps = this.params.map((p) => this.toStamps(p, "params"));
  }

  protected applyKey(next: SpikeGeneratorParams, key: string, value: unknown, arg: string): boolean {
    switch (key) {
      case "spike_times":
      case "spike_weights":
      case "spike_multiplicities":
        next[key] = Array.from(checkNumberArray(value, arg));
        return true;
      case "allow_offgrid_times":
      case "shift_now_spikes":
        next[key] = checkBoolean(value, arg);
        return true;
      case "precise_times":
        if (checkBoolean(value, arg)) {
          throw new InvalidParameterError("spike_generator: precise_times = true is not supported (no precise-timing models)", arg);
        }
        next.precise_times = false;
        return true;
      default:
        return false;
    }
  }

  protected override checkConsistency(next: SpikeGeneratorParams, argument: string): void {
    const t = next.spike_times;
    for (let i = 1; i < t.length; i++) {
      if (t[i] < t[i - 1]) {
        throw new InvalidParameterError("spike_generator: spike_times must be sorted in non-descending order", `${argument}.spike_times`);
      }
    }
    if (next.spike_weights.length !== 0 && next.spike_weights.length !== t.length) {
      throw new InvalidParameterError(
        "spike_generator: spike_weights must have as many elements as spike_times, or none",
        `${argument}.spike_weights`,
      );
    }
    if (next.spike_multiplicities.length !== 0 && next.spike_multiplicities.length !== t.length) {
      throw new InvalidParameterError(
        "spike_generator: spike_multiplicities must have as many elements as spike_times, or none",
        `${argument}.spike_multiplicities`,
      );
    }
    for (let i = 0; i < next.spike_multiplicities.length; i++) {
      const m = next.spike_multiplicities[i];
      if (!Number.isInteger(m) || m < 0) {
        throw new InvalidParameterError(`spike_multiplicities[${i}] must be a non-negative integer`, `${argument}.spike_multiplicities`);
      }
    }
    this.toStamps(next, argument);
  }

  /** Spike times → stamps, with NEST's grid rules; throws for off-grid times unless allowed. */
  private toStamps(p: SpikeGeneratorParams, argument: string): Int32Array {
    const out = new Int32Array(p.spike_times.length);
    const origin = this.grid.roundSteps(p.origin);
    for (let i = 0; i < p.spike_times.length; i++) {
      const t = p.spike_times[i];
      const arg = `${argument}.spike_times`;
      if (!Number.isFinite(t)) throw new InvalidParameterError(`spike_times[${i}] must be finite, got ${t}`, arg);
      if (t === 0 && !p.shift_now_spikes) throw new InvalidParameterError("spike_generator: spike time cannot be 0", arg);
      let s = this.grid.exactSteps(t);
      if (s === null) {
        if (!p.allow_offgrid_times) {
          throw new InvalidParameterError(
            `spike_generator: spike time ${t} ms is not a multiple of the resolution ${this.grid.resolution} ms (set allow_offgrid_times to round up)`,
            arg,
          );
        }
        s = this.grid.stampSteps(t);
      }
      if (p.shift_now_spikes && origin + s === this.now()) s += 1;
      out[i] = s;
    }
    return out;
  }

  protected override onChanged(i: number, update: Readonly<Record<string, unknown>>): void {
    this.stamps[i] = this.toStamps(this.params[i], "params");
    if ("spike_times" in update || "spike_weights" in update || "spike_multiplicities" in update || "origin" in update) {
      this.position[i] = 0;
    }
  }

  update(origin: number, from: number, to: number): void {
    const tStart = origin + from;
    const tStop = origin + to;
    for (let i = 0; i < this.n; i++) {
      const stamps = this.stamps[i];
      if (stamps.length === 0) continue;
      const p = this.params[i];
      const w = this.windows[i];
      const devOrigin = this.grid.roundSteps(p.origin);
      let pos = this.position[i];
      while (pos < stamps.length) {
        const T = devOrigin + stamps[pos];
        if (T <= tStart) {
          pos++;
          continue;
        }
        if (T > tStop) break;
        if (w.tMin < T && T <= w.tMax) {
          const mult = p.spike_multiplicities.length > 0 ? p.spike_multiplicities[pos] : 1;
          const factor = p.spike_weights.length > 0 ? p.spike_weights[pos] : 1;
          if (mult > 0) this.spikes.pushWeighted(i, T - 1, mult, factor, false);
        }
        pos++;
      }
      this.position[i] = pos;
    }
  }
}

export const SPIKE_GENERATOR_DEFAULTS: SpikeGeneratorParams = {
  ...TIMING_DEFAULTS,
  spike_times: [],
  spike_weights: [],
  spike_multiplicities: [],
  allow_offgrid_times: false,
  precise_times: false,
  shift_now_spikes: false,
};
