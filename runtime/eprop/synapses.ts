/**
 * The connections of one e-prop synapse model (NEST's `eprop_synapse`, bio).
 *
 * `send(k, stamp, isFlush)` is `eprop_synapse::send`: replay the postsynaptic history from the previous
 * event up to this one (`compute_gradient`, nest-eprop.md §6.1–6.3), let the postsynaptic archive erase
 * what no synapse needs any more (§8), and return the weight to transmit — the weight *after* the
 * replay — or NaN for a flush event, which is never delivered.
 *
 * Storage: one Float64Array, STRIDE doubles per connection (synapse traces and its optimizer side by
 * side), so an event touches two or three cache lines instead of one line in each of twenty arrays.
 */
import { EpropArchive } from "./archive.js";
import { OptimizerSettings, initOptimizerAt, optimizedWeightAt, O_M, O_V } from "./optimizer.js";

const INITIAL_CAPACITY = 64;

// Field offsets within a connection's block.
export const S_WEIGHT = 0;
export const S_T_PREV = 1;
export const S_PREV_FLUSH = 2;
export const S_Z_BAR = 3;
export const S_E_BAR = 4;
export const S_E_BAR_REG = 5;
export const S_EPSILON = 6;
export const S_Z_PREV_BUFFER = 7;
export const S_GRADIENT = 8;
export const S_REMAINING = 9;
export const S_DECAY_STEPS = 10;
export const S_TARGET_INDEX = 11;
/** The optimizer's fields start here (see optimizer.ts O_*). */
export const S_OPTIMIZER = 12;
export const STRIDE = 20;

/** Connection variables `getConnections().get(name)` offers, by field. */
export const SYNAPSE_VARIABLES: Readonly<Record<string, number>> = {
  t_spike_previous: S_T_PREV,
  z_bar: S_Z_BAR,
  e_bar: S_E_BAR,
  e_bar_reg: S_E_BAR_REG,
  epsilon: S_EPSILON,
  gradient: S_GRADIENT,
  m: S_OPTIMIZER + O_M,
  v: S_OPTIMIZER + O_V,
};

export class EpropSynapses {
  size = 0;
  state = new Float64Array(INITIAL_CAPACITY * STRIDE);
  /** Postsynaptic archive of each connection (index into `archives`). */
  targetArchive = new Int32Array(INITIAL_CAPACITY);
  readonly archives: EpropArchive[] = [];
  /** Statistics: replayed history entries and events handled (for the scaling benchmark). */
  replayedEntries = 0;
  events = 0;
  flushEvents = 0;

  constructor(public settings: OptimizerSettings) {}

  private archiveId(a: EpropArchive): number {
    let id = this.archives.indexOf(a);
    if (id < 0) {
      id = this.archives.length;
      this.archives.push(a);
    }
    return id;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.targetArchive.length) return;
    let next = this.targetArchive.length;
    while (next < capacity) next *= 2;
    const st = new Float64Array(next * STRIDE);
    st.set(this.state);
    this.state = st;
    const ta = new Int32Array(next);
    ta.set(this.targetArchive);
    this.targetArchive = ta;
  }

  /**
   * Adds a connection onto neuron `index` of `target` (NEST's check_connection: registers the e-prop
   * in-degree and creates the optimizer). Returns its id. The weight must lie in [Wmin, Wmax].
   */
  add(target: EpropArchive, index: number, weight: number): number {
    const k = this.size;
    this.ensure(k + 1);
    this.size++;
    const b = k * STRIDE;
    this.state.fill(0, b, b + STRIDE);
    this.state[b + S_WEIGHT] = weight;
    this.state[b + S_TARGET_INDEX] = index;
    initOptimizerAt(this.state, b + S_OPTIMIZER);
    this.targetArchive[k] = this.archiveId(target);
    target.registerConnection(index);
    return k;
  }

  /** Field `field` (S_*) of connection k. */
  get(k: number, field: number): number {
    return this.state[k * STRIDE + field];
  }

  set(k: number, field: number, value: number): void {
    this.state[k * STRIDE + field] = value;
  }

  weight(k: number): number {
    return this.state[k * STRIDE + S_WEIGHT];
  }

  /** `eprop_synapse::send` for an event with stamp `tSpike` (steps). Returns the weight, NaN for flush. */
  send(k: number, tSpike: number, isFlush: boolean): number {
    const st = this.state;
    const b = k * STRIDE;
    const archive = this.archives[this.targetArchive[k]];
    const i = st[b + S_TARGET_INDEX];
    const tPrev = st[b + S_T_PREV];
    this.events++;
    if (isFlush) this.flushEvents++;
    if (tPrev !== 0) {
      if (archive.role === "readout") this.replayReadout(st, b, archive, i, tSpike, tPrev, isFlush);
      else this.replayRecurrent(st, b, archive, i, tSpike, tPrev, isFlush);
    }
    archive.eraseUsed(i, tSpike, tPrev);
    st[b + S_T_PREV] = tSpike;
    st[b + S_PREV_FLUSH] = isFlush ? 1 : 0;
    return isFlush ? NaN : st[b + S_WEIGHT];
  }

  /** `compute_gradient` of eprop_iaf / eprop_iaf_adapt / eprop_iaf_psc_delta(_adapt) (§6.1, §6.3). */
  private replayRecurrent(st: Float64Array, b: number, archive: EpropArchive, i: number, tSpike: number, tPrev: number, isFlush: boolean): void {
    const settings = this.settings;
    const eachStep = settings.optimizeEachStep;
    const previousWasFlush = st[b + S_PREV_FLUSH] === 1;
    const isi = tSpike - tPrev;
    let remaining = previousWasFlush ? st[b + S_REMAINING] : archive.cutoffSteps[i];
    let zCurrent = 0;
    let gradient = st[b + S_GRADIENT];
    if (!previousWasFlush) {
      gradient = 0;
      zCurrent = 1;
    }
    const tBegin = tPrev - 1;
    const steps = Math.min(remaining, isi);
    const tEnd = tBegin + steps;
    const alpha = archive.alpha[i];
    const kappa = archive.kappa[i];
    const kappaReg = archive.kappaReg[i];
    const oneMinusKappaReg = 1.0 - kappaReg;
    const beta = archive.adaptBeta[i];
    const rho = archive.rho[i];
    const adaptive = archive.adaptive;
    const opt = b + S_OPTIMIZER;
    let zPrev = st[b + S_Z_PREV_BUFFER];
    let zBar = st[b + S_Z_BAR];
    let eBar = st[b + S_E_BAR];
    let eBarReg = st[b + S_E_BAR_REG];
    let eps = st[b + S_EPSILON];
    let weight = st[b + S_WEIGHT];
    if (steps > 0) {
      const h = archive.hist[i];
      let e = h.lowerBound(tBegin);
      if (e >= h.end || h.t[e] !== tBegin || e + steps > h.end || h.t[e + steps - 1] !== tEnd - 1) {
        archive.requireEntry(i, e < h.end && h.t[e] === tBegin ? firstGap(h.t, e, tBegin, steps) : tBegin, String(i));
      }
      const v = h.v; // [ψ, L, FR] per entry
      this.replayedEntries += steps;
      if (!adaptive && !eachStep && steps > 2) {
        // Hot path (per-spike optimization, no adaptation): the spike input z is non-zero only in
        // the first two entries (one-step buffer), so peel them and run the plain recurrence.
        // Same operations in the same order as the general loop below (z = 0 adds nothing).
        let j = 3 * e;
        for (let p = 0; p < 2; p++, j += 3) {
          const z = zPrev;
          zPrev = zCurrent;
          zCurrent = 0;
          zBar = alpha * zBar + z;
          const el = v[j] * zBar;
          eBar = kappa * eBar + el;
          eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
          gradient += v[j + 1] * eBar + v[j + 2] * eBarReg;
        }
        zPrev = 0;
        const stop = 3 * (e + steps);
        for (; j < stop; j += 3) {
          zBar = alpha * zBar;
          const el = v[j] * zBar;
          eBar = kappa * eBar + el;
          eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
          gradient += v[j + 1] * eBar + v[j + 2] * eBarReg;
        }
      } else {
        for (let t = tBegin; t < tEnd; ++t, ++e) {
          const z = zPrev;
          zPrev = zCurrent;
          zCurrent = 0;
          zBar = alpha * zBar + z;
          const j = 3 * e;
          let el: number;
          if (adaptive) {
            el = v[j] * (zBar - beta * eps);
            eps = rho * eps + el;
          } else {
            el = v[j] * zBar;
          }
          eBar = kappa * eBar + el;
          eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
          const increment = v[j + 1] * eBar + v[j + 2] * eBarReg;
          if (eachStep) {
            gradient = increment;
            weight = optimizedWeightAt(settings, st, opt, t + 1, gradient, weight);
          } else {
            gradient += increment;
          }
        }
      }
    }
    remaining -= steps;
    const untilEvent = isi - steps;
    let decay = st[b + S_DECAY_STEPS] + untilEvent;
    if (!isFlush && decay > 0) {
      zBar *= Math.pow(alpha, decay);
      eBar *= Math.pow(kappa, decay);
      eBarReg *= Math.pow(kappaReg, decay);
      if (adaptive) eps *= Math.pow(rho, decay);
      decay = 0;
    }
    if (!isFlush && !eachStep) weight = optimizedWeightAt(settings, st, opt, tEnd + untilEvent, gradient, weight);
    st[b + S_Z_PREV_BUFFER] = zPrev;
    st[b + S_Z_BAR] = zBar;
    st[b + S_E_BAR] = eBar;
    st[b + S_E_BAR_REG] = eBarReg;
    st[b + S_EPSILON] = eps;
    st[b + S_GRADIENT] = gradient;
    st[b + S_REMAINING] = remaining;
    st[b + S_DECAY_STEPS] = decay;
    st[b + S_WEIGHT] = weight;
  }

  /** `compute_gradient` of eprop_readout (§6.2): g = err(τ)·z̄(τ). */
  private replayReadout(st: Float64Array, b: number, archive: EpropArchive, i: number, tSpike: number, tPrev: number, isFlush: boolean): void {
    const settings = this.settings;
    const eachStep = settings.optimizeEachStep;
    const previousWasFlush = st[b + S_PREV_FLUSH] === 1;
    const isi = tSpike - tPrev;
    let remaining = previousWasFlush ? st[b + S_REMAINING] : archive.cutoffSteps[i];
    let zCurrent = 0;
    let gradient = st[b + S_GRADIENT];
    if (!previousWasFlush) {
      gradient = 0;
      zCurrent = 1;
    }
    const tBegin = tPrev - 1;
    const steps = Math.min(remaining, isi);
    const tEnd = tBegin + steps;
    const alpha = archive.alpha[i];
    const opt = b + S_OPTIMIZER;
    let zPrev = st[b + S_Z_PREV_BUFFER];
    let zBar = st[b + S_Z_BAR];
    let weight = st[b + S_WEIGHT];
    if (steps > 0) {
      const h = archive.hist[i];
      let e = h.lowerBound(tBegin);
      if (e >= h.end || h.t[e] !== tBegin || e + steps > h.end || h.t[e + steps - 1] !== tEnd - 1) {
        archive.requireEntry(i, e < h.end && h.t[e] === tBegin ? firstGap(h.t, e, tBegin, steps) : tBegin, String(i));
      }
      const errCol = h.v; // readout: one value (err) per entry
      this.replayedEntries += steps;
      for (let t = tBegin; t < tEnd; ++t, ++e) {
        const z = zPrev;
        zPrev = zCurrent;
        zCurrent = 0;
        zBar = alpha * zBar + z;
        const increment = errCol[e] * zBar;
        if (eachStep) {
          gradient = increment;
          weight = optimizedWeightAt(settings, st, opt, t + 1, gradient, weight);
        } else {
          gradient += increment;
        }
      }
    }
    remaining -= steps;
    const untilEvent = isi - steps;
    let decay = st[b + S_DECAY_STEPS] + untilEvent;
    if (!isFlush && decay > 0) {
      zBar *= Math.pow(alpha, decay);
      decay = 0;
    }
    if (!isFlush && !eachStep) weight = optimizedWeightAt(settings, st, opt, tEnd + untilEvent, gradient, weight);
    st[b + S_Z_PREV_BUFFER] = zPrev;
    st[b + S_Z_BAR] = zBar;
    st[b + S_GRADIENT] = gradient;
    st[b + S_REMAINING] = remaining;
    st[b + S_DECAY_STEPS] = decay;
    st[b + S_WEIGHT] = weight;
  }
}

/** The first step in [tBegin, tBegin + steps) missing from the history (for the error message). */
function firstGap(t: Int32Array, e: number, tBegin: number, steps: number): number {
  for (let j = 0; j < steps; j++) if (e + j >= t.length || t[e + j] !== tBegin + j) return tBegin + j;
  return tBegin + steps - 1;
}
