/**
 * Time on NEST's grid. Times are integers: tics of 1 µs (NEST's default tic) and steps of the
 * resolution. A time in ms maps to tics by rounding, and is "on the grid" when its tics are a whole
 * number of steps. Delays must be on the grid and at least one step.
 */
import { InvalidDelayError, InvalidParameterError } from "./errors.js";

export const TICS_PER_MS = 1000;

export class TimeGrid {
  readonly ticsPerStep: number;
  constructor(readonly resolution: number) {
    this.ticsPerStep = Math.round(resolution * TICS_PER_MS);
  }

  static validateResolution(resolution: unknown): number {
    if (typeof resolution !== "number" || !Number.isFinite(resolution) || resolution <= 0) {
      throw new InvalidParameterError(`resolution must be a positive number of ms, got ${String(resolution)}`, "resolution");
    }
    const tics = Math.round(resolution * TICS_PER_MS);
    if (tics < 1 || Math.abs(tics - resolution * TICS_PER_MS) > 1e-6) {
      throw new InvalidParameterError(`resolution ${resolution} ms is not a whole number of µs tics`, "resolution");
    }
    return tics / TICS_PER_MS;
  }

  tics(ms: number): number {
    return Math.round(ms * TICS_PER_MS);
  }

  isOnGrid(ms: number): boolean {
    return this.tics(ms) % this.ticsPerStep === 0;
  }

  /** Steps for a time that must be on the grid; `null` when it is not. */
  exactSteps(ms: number): number | null {
    const t = this.tics(ms);
    return t % this.ticsPerStep === 0 ? t / this.ticsPerStep : null;
  }

  /** NEST's `Time::ms_stamp`: the end of the step in which `ms` lies (grid times stay). */
  stampSteps(ms: number): number {
    return Math.ceil(this.tics(ms) / this.ticsPerStep);
  }

  /** Nearest step (for times where NEST rounds, e.g. start/stop/origin of devices). */
  roundSteps(ms: number): number {
    return Math.round(this.tics(ms) / this.ticsPerStep);
  }

  ms(steps: number): number {
    return (steps * this.ticsPerStep) / TICS_PER_MS;
  }

  /** Delay in steps; throws unless ≥ one step and a whole multiple of the resolution. */
  delaySteps(ms: number, argument: string): number {
    if (typeof ms !== "number" || Number.isNaN(ms)) {
      throw new InvalidDelayError(`${argument} must be a number of ms, got ${String(ms)}`, argument);
    }
    if (!Number.isFinite(ms)) throw new InvalidDelayError(`${argument} must be finite, got ${ms}`, argument);
    const steps = this.exactSteps(ms);
    if (ms < this.resolution - 1e-12 || steps === null || steps < 1) {
      throw new InvalidDelayError(
        `${argument} = ${ms} ms: delays must be whole multiples of the resolution ${this.resolution} ms and at least one step`,
        argument,
      );
    }
    return steps;
  }

  /** A device time (start/stop/origin): must be on the grid, or +∞ for stop. */
  deviceSteps(ms: number, argument: string, allowInfinity: boolean): number {
    if (allowInfinity && ms === Infinity) return Infinity;
    if (typeof ms !== "number" || !Number.isFinite(ms)) {
      throw new InvalidParameterError(`${argument} must be a finite number of ms, got ${String(ms)}`, argument);
    }
    const steps = this.exactSteps(ms);
    if (steps === null) {
      throw new InvalidParameterError(`${argument} = ${ms} ms is not a multiple of the resolution ${this.resolution} ms`, argument);
    }
    return steps;
  }
}
