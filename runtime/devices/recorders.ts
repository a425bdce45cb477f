/**
 * Recording devices, with NEST's time stamps and activity windows (origin+start, origin+stop] on
 * the event's stamp:
 * - spike_recorder: a spike emitted in step t has stamp t + 1 and is recorded at time (t+1)·dt,
 *   independent of the connection delay; multiplicity k records k events; flush events never
 *   arrive (connections drop them).
 * - multimeter: a sample stamped T is the state after step T − 1, taken at stamps that are
 *   multiples of `interval` (or `offset` + k·interval); samples of a slice become visible in the
 *   next slice, so the last slice of a `simulate` call shows up after the next call (as NEST).
 * - weight_recorder: one event per transmitted spike on synapses that name it.
 */
import { IllegalConnectionError, InvalidParameterError } from "../errors.js";
import type { Kernel, Sampler } from "../engine/kernel.js";
import type { NeuronBlock } from "../engine/neuron-block.js";
import { checkNumber } from "../params.js";
import type { TimeGrid } from "../time.js";
import { DeviceBlock, TIMING_DEFAULTS, type DeviceTiming } from "./device-block.js";

/** Growable typed columns. */
export class Columns {
  length = 0;
  private cap = 64;
  readonly ints: Int32Array[];
  readonly floats: Float64Array[];
  constructor(nInts: number, nFloats: number) {
    this.ints = Array.from({ length: nInts }, () => new Int32Array(64));
    this.floats = Array.from({ length: nFloats }, () => new Float64Array(64));
  }
  /** Makes room for one more row and returns its index. */
  row(): number {
    if (this.length === this.cap) {
      this.cap *= 2;
      for (let c = 0; c < this.ints.length; c++) {
        const a = new Int32Array(this.cap);
        a.set(this.ints[c]);
        this.ints[c] = a;
      }
      for (let c = 0; c < this.floats.length; c++) {
        const a = new Float64Array(this.cap);
        a.set(this.floats[c]);
        this.floats[c] = a;
      }
    }
    return this.length++;
  }
  clear(): void {
    this.length = 0;
  }
}

interface RecorderParams extends DeviceTiming {
  record_to: string;
  time_in_steps: boolean;
}

abstract class RecorderBlock<P extends RecorderParams> extends DeviceBlock<P> {
  protected applyKey(next: P, key: string, value: unknown, arg: string): boolean {
    if (key === "n_events") {
      if (value !== 0) throw new InvalidParameterError(`${this.modelName}: n_events can only be set to 0 (clears the events)`, arg);
      return true;
    }
    if (key === "record_to") {
      if (value !== "memory") throw new InvalidParameterError(`${this.modelName}: only record_to = "memory" is supported`, arg);
      return true;
    }
    if (key === "time_in_steps") {
      if (typeof value !== "boolean") throw new InvalidParameterError(`${arg} must be true or false`, arg);
      next.time_in_steps = value;
      return true;
    }
    if (key === "events") throw new InvalidParameterError(`${this.modelName}: events are read-only`, arg);
    return this.applyRecorderKey(next, key, value, arg);
  }

  protected applyRecorderKey(_next: P, _key: string, _value: unknown, _arg: string): boolean {
    return false;
  }

  override parameterNames(): string[] {
    return [...super.parameterNames(), "n_events", "events"];
  }

  protected override onChanged(i: number, update: Readonly<Record<string, unknown>>): void {
    if ("n_events" in update) this.clearEvents(i);
  }

  protected abstract clearEvents(i: number): void;

  update(): void {}

  /** Time value for a stamp: ms, or steps when time_in_steps. */
  protected time(i: number, stamp: number): number {
    return this.params[i].time_in_steps ? stamp : this.grid.ms(stamp);
  }
}

export class SpikeRecorderBlock extends RecorderBlock<RecorderParams> {
  private readonly events: Columns[];

  constructor(n: number, defaults: Partial<RecorderParams>, grid: TimeGrid) {
    super("recorder", "spike_recorder", n, { ...TIMING_DEFAULTS, record_to: "memory", time_in_steps: false, ...defaults }, grid);
    this.events = Array.from({ length: n }, () => new Columns(1, 1));
  }

  /** A spike of global id `sender` with stamp `stamp` reached recorder `i`. */
  record(i: number, sender: number, stamp: number, multiplicity: number): void {
    const w = this.windows[i];
    if (!(w.tMin < stamp && stamp <= w.tMax)) return;
    const c = this.events[i];
    const t = this.time(i, stamp);
    for (let m = 0; m < multiplicity; m++) {
      const r = c.row();
      c.ints[0][r] = sender;
      c.floats[0][r] = t;
    }
  }

  protected clearEvents(i: number): void {
    this.events[i].clear();
  }

  protected override read(i: number, name: string): unknown {
    const c = this.events[i];
    if (name === "n_events") return c.length;
    if (name === "events") return sortedEvents(c.ints[0].subarray(0, c.length), c.floats[0].subarray(0, c.length));
    return super.read(i, name);
  }
}

/**
 * Events in canonical order: by time, then sender. Delivery order depends on how a run was cut into
 * `simulate` calls (a partial slice gathers early); this order does not.
 */
function sortedEvents(senders: Int32Array, times: Float64Array): { senders: Int32Array; times: Float64Array } {
  let sorted = true;
  for (let e = 1; e < senders.length && sorted; e++) {
    if (times[e] < times[e - 1] || (times[e] === times[e - 1] && senders[e] < senders[e - 1])) sorted = false;
  }
  if (sorted) return { senders: senders.slice(), times: times.slice() };
  const order = Array.from({ length: senders.length }, (_, e) => e);
  order.sort((a, b) => times[a] - times[b] || senders[a] - senders[b] || a - b);
  return { senders: Int32Array.from(order, (e) => senders[e]), times: Float64Array.from(order, (e) => times[e]) };
}

interface MultimeterParams extends RecorderParams {
  record_from: string[];
  interval: number;
  offset: number;
}

interface MultimeterState {
  targets: { block: NeuronBlock; local: number; id: number }[];
  events: Columns;
  pending: Columns;
  intervalSteps: number;
  offsetSteps: number;
}

export class MultimeterBlock extends RecorderBlock<MultimeterParams> implements Sampler {
  private readonly state: MultimeterState[];

  constructor(n: number, defaults: Partial<MultimeterParams>, grid: TimeGrid) {
    super(
      "recorder",
      "multimeter",
      n,
      { ...TIMING_DEFAULTS, record_to: "memory", time_in_steps: false, record_from: [], interval: 1, offset: 0, ...defaults },
      grid,
    );
    this.state = this.params.map((p) => this.freshState(p));
  }

  private freshState(p: MultimeterParams): MultimeterState {
    return {
      targets: [],
      events: new Columns(1, 1 + p.record_from.length),
      pending: new Columns(2, 1 + p.record_from.length),
      intervalSteps: this.grid.exactSteps(p.interval) ?? 1,
      offsetSteps: this.grid.exactSteps(p.offset) ?? 0,
    };
  }

  protected override applyRecorderKey(next: MultimeterParams, key: string, value: unknown, arg: string): boolean {
    switch (key) {
      case "record_from": {
        if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
          throw new InvalidParameterError(`${arg} must be an array of recordable names`, arg);
        }
        next.record_from = value.slice();
        return true;
      }
      case "interval":
      case "offset": {
        const x = checkNumber(value, arg);
        const s = this.grid.exactSteps(x);
        if (s === null || !Number.isFinite(x) || (key === "interval" ? s < 1 : s < 0)) {
          throw new InvalidParameterError(
            `multimeter: ${key} = ${x} ms must be a ${key === "interval" ? "positive " : "non-negative "}multiple of the resolution ${this.grid.resolution} ms`,
            arg,
          );
        }
        next[key] = x;
        return true;
      }
      default:
        return false;
    }
  }

  override setParameters(locals: Int32Array, updates: readonly Readonly<Record<string, unknown>>[], argument: string): void {
    for (let j = 0; j < locals.length; j++) {
      const st = this.state[locals[j]];
      if ("record_from" in updates[j] && st.targets.length > 0) {
        throw new InvalidParameterError(
          "multimeter: record_from cannot change after the multimeter was connected",
          `${argument}.record_from`,
        );
      }
    }
    super.setParameters(locals, updates, argument);
    for (let j = 0; j < locals.length; j++) {
      const i = locals[j];
      const old = this.state[i];
      const fresh = this.freshState(this.params[i]);
      if (!("record_from" in updates[j]) && !("n_events" in updates[j])) {
        fresh.events = old.events;
        fresh.pending = old.pending;
      }
      fresh.targets = old.targets;
      this.state[i] = fresh;
    }
  }

  /** Adds neuron `local` of `block` as a target of multimeter `i`; checks the recordables. */
  checkTarget(i: number, block: NeuronBlock, argument: string): void {
    const rec = block.model.recordables;
    for (const name of this.params[i].record_from) {
      if (!rec.includes(name)) {
        throw new IllegalConnectionError(
          `multimeter: ${block.modelName} cannot record '${name}' (recordables: ${rec.join(", ")})`,
          argument,
        );
      }
    }
  }

  addTarget(i: number, block: NeuronBlock, local: number): void {
    this.state[i].targets.push({ block, local, id: block.first + local });
  }

  protected clearEvents(i: number): void {
    this.state[i].events.clear();
  }

  private nextFor(i: number, step: number): number {
    const st = this.state[i];
    if (st.targets.length === 0 || this.params[i].record_from.length === 0) return Infinity;
    const I = st.intervalSteps;
    const o = st.offsetSteps;
    if (o === 0) return (Math.floor(step / I) + 1) * I;
    if (step < o) return o;
    return o + (Math.floor((step - o) / I) + 1) * I;
  }

  nextSampleStamp(step: number): number {
    let m = Infinity;
    for (let i = 0; i < this.n; i++) m = Math.min(m, this.nextFor(i, step));
    return m;
  }

  sample(stamp: number): void {
    for (let i = 0; i < this.n; i++) {
      if (this.nextFor(i, stamp - 1) !== stamp) continue;
      const w = this.windows[i];
      if (!(w.tMin < stamp && stamp <= w.tMax)) continue;
      const st = this.state[i];
      const names = this.params[i].record_from;
      const t = this.time(i, stamp);
      for (const tg of st.targets) {
        const r = st.pending.row();
        st.pending.ints[0][r] = tg.id;
        st.pending.ints[1][r] = stamp;
        st.pending.floats[0][r] = t;
        for (let v = 0; v < names.length; v++) st.pending.floats[1 + v][r] = tg.block.read(names[v], tg.local);
      }
    }
  }

  commit(sliceOrigin: number): void {
    for (let i = 0; i < this.n; i++) {
      const st = this.state[i];
      const p = st.pending;
      if (p.length === 0) continue;
      let kept = 0;
      for (let r = 0; r < p.length; r++) {
        if (p.ints[1][r] <= sliceOrigin) {
          const e = st.events.row();
          st.events.ints[0][e] = p.ints[0][r];
          for (let c = 0; c < p.floats.length; c++) st.events.floats[c][e] = p.floats[c][r];
        } else {
          p.ints[0][kept] = p.ints[0][r];
          p.ints[1][kept] = p.ints[1][r];
          for (let c = 0; c < p.floats.length; c++) p.floats[c][kept] = p.floats[c][r];
          kept++;
        }
      }
      p.length = kept;
    }
  }

  override prepare(kernel: Kernel): void {
    super.prepare(kernel);
  }

  protected override read(i: number, name: string): unknown {
    const st = this.state[i];
    if (name === "n_events") return st.events.length;
    if (name === "events") {
      const c = st.events;
      const out: Record<string, Int32Array | Float64Array> = {
        senders: c.ints[0].slice(0, c.length),
        times: c.floats[0].slice(0, c.length),
      };
      this.params[i].record_from.forEach((name, v) => (out[name] = c.floats[1 + v].slice(0, c.length)));
      return out;
    }
    return super.read(i, name);
  }
}

export class WeightRecorderBlock extends RecorderBlock<RecorderParams> {
  private readonly events: Columns[];

  constructor(n: number, defaults: Partial<RecorderParams>, grid: TimeGrid) {
    super("recorder", "weight_recorder", n, { ...TIMING_DEFAULTS, record_to: "memory", time_in_steps: false, ...defaults }, grid);
    this.events = Array.from({ length: n }, () => new Columns(3, 2));
  }

  record(i: number, sender: number, target: number, stamp: number, weight: number, receptor: number): void {
    const w = this.windows[i];
    if (!(w.tMin < stamp && stamp <= w.tMax)) return;
    const c = this.events[i];
    const r = c.row();
    c.ints[0][r] = sender;
    c.ints[1][r] = target;
    c.ints[2][r] = receptor;
    c.floats[0][r] = this.time(i, stamp);
    c.floats[1][r] = weight;
  }

  protected clearEvents(i: number): void {
    this.events[i].clear();
  }

  protected override read(i: number, name: string): unknown {
    const c = this.events[i];
    if (name === "n_events") return c.length;
    if (name === "events") {
      return {
        senders: c.ints[0].slice(0, c.length),
        targets: c.ints[1].slice(0, c.length),
        receptors: c.ints[2].slice(0, c.length),
        times: c.floats[0].slice(0, c.length),
        weights: c.floats[1].slice(0, c.length),
      };
    }
    return super.read(i, name);
  }
}
