/**
 * Native devices (generators and recorders). Each device instance has its own parameter record;
 * a `set` builds validated copies of every touched record first and swaps them in only when all
 * are valid, so a failing `set` changes nothing.
 *
 * Timing is NEST's: `start`, `stop` and `origin` (ms, on the grid) define the active window
 * (origin + start, origin + stop] in steps; what is compared with it differs per device kind
 * (spike stamp, update step, or step + 2 for current/rate generators), as in NEST's
 * `StimulationDevice::is_active`.
 */
import { Block, type BlockKind } from "../engine/block.js";
import type { Kernel } from "../engine/kernel.js";
import { InvalidParameterError, UnknownParameterError } from "../errors.js";
import { checkNumber } from "../params.js";
import type { TimeGrid } from "../time.js";

export interface DeviceTiming {
  start: number;
  stop: number;
  origin: number;
}

/** Active window in steps: (tMin, tMax]. */
export interface Window {
  tMin: number;
  tMax: number;
}

export abstract class DeviceBlock<P extends DeviceTiming> extends Block {
  params: P[];
  /** Active windows per instance, recomputed in prepare(). */
  windows: Window[] = [];
  protected grid: TimeGrid;

  constructor(kind: BlockKind, modelName: string, n: number, defaults: P, grid: TimeGrid) {
    super(kind, modelName, n);
    this.grid = grid;
    this.params = [];
    for (let i = 0; i < n; i++) this.params.push(this.copy(defaults));
    this.computeWindows();
  }

  /** Deep enough copy of a parameter record (arrays are replaced, never mutated, so shallow works). */
  copy(p: P): P {
    return { ...p };
  }

  /** Applies `update` to a copy of `p`, validating each key; throws naming `argument.key`. */
  applyUpdate(p: P, update: Readonly<Record<string, unknown>>, argument: string): P {
    const next = this.copy(p);
    for (const [key, value] of Object.entries(update)) {
      const arg = `${argument}.${key}`;
      if (key === "start" || key === "origin") {
        const x = checkNumber(value, arg);
        this.grid.deviceSteps(x, arg, false);
        next[key] = x;
      } else if (key === "stop") {
        const x = checkNumber(value, arg);
        this.grid.deviceSteps(x, arg, true);
        next.stop = x;
      } else if (!this.applyKey(next, key, value, arg)) {
        throw new UnknownParameterError(
          `${this.modelName} has no parameter '${key}' (known: ${this.parameterNames().join(", ")})`,
          arg,
        );
      }
    }
    if (next.stop < next.start) {
      throw new InvalidParameterError(`${this.modelName}: stop (${next.stop}) must not be before start (${next.start})`, `${argument}.stop`);
    }
    this.checkConsistency(next, argument);
    return next;
  }

  /** Device-specific keys: validate and store into `next`; false when the key is unknown. */
  protected abstract applyKey(next: P, key: string, value: unknown, argument: string): boolean;

  /** Cross-key checks after all keys are applied (e.g. times and values of equal length). */
  protected checkConsistency(_next: P, _argument: string): void {}

  /** Called after instance `i` got new parameters (reset positions etc.). */
  protected onChanged(_i: number, _update: Readonly<Record<string, unknown>>): void {}

  parameterNames(): string[] {
    return Object.keys(this.params[0] ?? {});
  }

  getParameter(name: string, locals: Int32Array, argument: string): unknown {
    if (!this.parameterNames().includes(name)) {
      throw new UnknownParameterError(
        `${this.modelName} has no parameter '${name}' (known: ${this.parameterNames().join(", ")})`,
        argument,
      );
    }
    const values = Array.from(locals, (i) => this.read(i, name));
    if (values.every((v) => typeof v === "number")) return Float64Array.from(values as number[]);
    return locals.length === 1 ? values[0] : values;
  }

  /** The user-visible value of `name` for instance `i` (recorders override for `events`). */
  protected read(i: number, name: string): unknown {
    const v = (this.params[i] as unknown as Record<string, unknown>)[name];
    return Array.isArray(v) ? v.slice() : v;
  }

  setParameters(locals: Int32Array, updates: readonly Readonly<Record<string, unknown>>[], argument: string): void {
    const next = locals.length === 0 ? [] : Array.from(locals, (i, j) => this.applyUpdate(this.params[i], updates[j], argument));
    for (let j = 0; j < locals.length; j++) {
      this.params[locals[j]] = next[j];
      this.onChanged(locals[j], updates[j]);
    }
    this.computeWindows();
  }

  protected computeWindows(): void {
    this.windows = this.params.map((p) => {
      const o = this.grid.deviceSteps(p.origin, "origin", false);
      return {
        tMin: o + this.grid.deviceSteps(p.start, "start", false),
        tMax: p.stop === Infinity ? Infinity : o + this.grid.deviceSteps(p.stop, "stop", true),
      };
    });
  }

  prepare(_kernel: Kernel): void {
    this.computeWindows();
  }
}

export const TIMING_DEFAULTS: DeviceTiming = { start: 0, stop: Infinity, origin: 0 };
