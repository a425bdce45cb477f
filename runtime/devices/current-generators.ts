/**
 * Generators of continuous input (NEST's CurrentEvent / DelayedRateConnectionEvent): they send a
 * value in every active step t; it lands in the target's continuous ring at step t + delay. NEST
 * shifts their activity test by two steps (`is_active` compares t + 2 with (origin+start,
 * origin+stop]) so that, with the minimal delay, the target sees the input during exactly
 * (start, stop]. Step generators switch value in step T − 1 for a change listed at T ms.
 */
import { InvalidParameterError } from "../errors.js";
import { checkBoolean, checkFinite, checkNumberArray } from "../params.js";
import type { TimeGrid } from "../time.js";
import { DeviceBlock, TIMING_DEFAULTS, type DeviceTiming } from "./device-block.js";

export interface DcGeneratorParams extends DeviceTiming {
  amplitude: number;
}

export class DcGeneratorBlock extends DeviceBlock<DcGeneratorParams> {
  constructor(n: number, defaults: Partial<DcGeneratorParams>, grid: TimeGrid) {
    super("generator", "dc_generator", n, { ...TIMING_DEFAULTS, amplitude: 0, ...defaults }, grid);
  }

  protected applyKey(next: DcGeneratorParams, key: string, value: unknown, arg: string): boolean {
    if (key !== "amplitude") return false;
    next.amplitude = checkFinite(value, arg);
    return true;
  }

  update(origin: number, from: number, to: number): void {
    const out = this.outgoing;
    for (let i = 0; i < this.n; i++) {
      const w = this.windows[i];
      const amp = this.params[i].amplitude;
      for (let lag = from; lag < to; lag++) {
        const t = origin + lag;
        if (!(w.tMin < t + 2 && t + 2 <= w.tMax)) continue;
        for (let j = 0; j < out.length; j++) out[j].deliverValue(i, t, amp);
      }
    }
  }
}

export interface StepParams extends DeviceTiming {
  amplitude_times: number[];
  amplitude_values: number[];
  allow_offgrid_times: boolean;
}

/** step_current_generator and step_rate_generator share everything but their event type. */
export class StepGeneratorBlock extends DeviceBlock<StepParams> {
  private stampsOf: Int32Array[] = [];
  private index: Int32Array;
  private amplitude: Float64Array;

  constructor(modelName: "step_current_generator" | "step_rate_generator", n: number, defaults: Partial<StepParams>, grid: TimeGrid) {
    super("generator", modelName, n, { ...STEP_DEFAULTS, ...defaults }, grid);
    this.index = new Int32Array(n);
    this.amplitude = new Float64Array(n);
    this.stampsOf = this.params.map((p) => this.toStamps(p, "params"));
  }

  protected applyKey(next: StepParams, key: string, value: unknown, arg: string): boolean {
    switch (key) {
      case "amplitude_times":
      case "amplitude_values":
        next[key] = Array.from(checkNumberArray(value, arg));
        return true;
      case "allow_offgrid_times":
        next.allow_offgrid_times = checkBoolean(value, arg);
        return true;
      default:
        return false;
    }
  }

  override applyUpdate(p: StepParams, update: Readonly<Record<string, unknown>>, argument: string): StepParams {
    if (("amplitude_times" in update) !== ("amplitude_values" in update)) {
      throw new InvalidParameterError(
        `${this.modelName}: amplitude_times and amplitude_values must be set together`,
        `${argument}.${"amplitude_times" in update ? "amplitude_values" : "amplitude_times"}`,
      );
    }
    return super.applyUpdate(p, update, argument);
  }

  protected override checkConsistency(next: StepParams, argument: string): void {
    if (next.amplitude_times.length !== next.amplitude_values.length) {
      throw new InvalidParameterError(
        `${this.modelName}: amplitude_times and amplitude_values must have the same length`,
        `${argument}.amplitude_values`,
      );
    }
    for (let i = 0; i < next.amplitude_values.length; i++) checkFinite(next.amplitude_values[i], `${argument}.amplitude_values[${i}]`);
    this.toStamps(next, argument);
  }

  private toStamps(p: StepParams, argument: string): Int32Array {
    const out = new Int32Array(p.amplitude_times.length);
    let previous = 0;
    for (let i = 0; i < out.length; i++) {
      const t = p.amplitude_times[i];
      const arg = `${argument}.amplitude_times`;
      if (!(t > 0) || !Number.isFinite(t)) {
        throw new InvalidParameterError(`${this.modelName}: amplitude can only change at finite times > 0, got ${t}`, arg);
      }
      let s = this.grid.exactSteps(t);
      if (s === null) {
        if (!p.allow_offgrid_times) {
          throw new InvalidParameterError(
            `${this.modelName}: time ${t} ms is not a multiple of the resolution ${this.grid.resolution} ms (set allow_offgrid_times to round up)`,
            arg,
          );
        }
        s = this.grid.stampSteps(t);
      }
      if (s <= previous) throw new InvalidParameterError(`${this.modelName}: amplitude_times must be strictly increasing steps`, arg);
      previous = s;
      out[i] = s;
    }
    return out;
  }

  protected override onChanged(i: number, update: Readonly<Record<string, unknown>>): void {
    this.stampsOf[i] = this.toStamps(this.params[i], "params");
    if ("amplitude_times" in update || "amplitude_values" in update) this.index[i] = 0;
  }

  update(origin: number, from: number, to: number): void {
    const out = this.outgoing;
    for (let i = 0; i < this.n; i++) {
      const stamps = this.stampsOf[i];
      const values = this.params[i].amplitude_values;
      const w = this.windows[i];
      let idx = this.index[i];
      // Skip changes in the past: events are sent ahead of time.
      while (idx < stamps.length && stamps[idx] <= origin + from) idx++;
      for (let lag = from; lag < to; lag++) {
        const t = origin + lag;
        if (idx < stamps.length && t + 1 === stamps[idx]) {
          this.amplitude[i] = values[idx];
          idx++;
        }
        if (w.tMin < t + 2 && t + 2 <= w.tMax) {
          const a = this.amplitude[i];
          for (let j = 0; j < out.length; j++) out[j].deliverValue(i, t, a);
        }
      }
      this.index[i] = idx;
    }
  }
}

const STEP_DEFAULTS: StepParams = { ...TIMING_DEFAULTS, amplitude_times: [], amplitude_values: [], allow_offgrid_times: false };
