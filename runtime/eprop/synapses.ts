/**
 * The connections of one e-prop synapse model (NEST's `eprop_synapse`, bio), structure of arrays.
 *
 * `send(k, stamp, isFlush)` is `eprop_synapse::send`: replay the postsynaptic history from the previous
 * event up to this one (`compute_gradient`, nest-eprop.md §6.1–6.3), let the postsynaptic archive erase
 * what no synapse needs any more (§8), and return the weight to transmit — the weight *after* the
 * replay — or NaN for a flush event, which is never delivered.
 */
import { EpropArchive } from "./archive.js";
import { OptimizerSettings, OptimizerState, optimizedWeight } from "./optimizer.js";

const INITIAL_CAPACITY = 64;

export class EpropSynapses {
  size = 0;
  weight = new Float64Array(INITIAL_CAPACITY);
  /** Stamp (step) of the previous event through the connection; 0 before the first. */
  tPrev = new Float64Array(INITIAL_CAPACITY);
  prevFlush = new Uint8Array(INITIAL_CAPACITY);
  zBar = new Float64Array(INITIAL_CAPACITY);
  eBar = new Float64Array(INITIAL_CAPACITY);
  eBarReg = new Float64Array(INITIAL_CAPACITY);
  epsilon = new Float64Array(INITIAL_CAPACITY);
  zPrevBuffer = new Float64Array(INITIAL_CAPACITY);
  gradient = new Float64Array(INITIAL_CAPACITY);
  remaining = new Float64Array(INITIAL_CAPACITY);
  decaySteps = new Float64Array(INITIAL_CAPACITY);
  /** Postsynaptic archive (index into `archives`) and neuron index within it. */
  targetArchive = new Int32Array(INITIAL_CAPACITY);
  targetIndex = new Int32Array(INITIAL_CAPACITY);
  readonly optimizer = new OptimizerState(INITIAL_CAPACITY);
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
    if (capacity <= this.weight.length) return;
    let next = this.weight.length;
    while (next < capacity) next *= 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(next);
      b.set(a);
      return b;
    };
    this.weight = f64(this.weight);
    this.tPrev = f64(this.tPrev);
    const pf = new Uint8Array(next);
    pf.set(this.prevFlush);
    this.prevFlush = pf;
    this.zBar = f64(this.zBar);
    this.eBar = f64(this.eBar);
    this.eBarReg = f64(this.eBarReg);
    this.epsilon = f64(this.epsilon);
    this.zPrevBuffer = f64(this.zPrevBuffer);
    this.gradient = f64(this.gradient);
    this.remaining = f64(this.remaining);
    this.decaySteps = f64(this.decaySteps);
    const ta = new Int32Array(next);
    ta.set(this.targetArchive);
    this.targetArchive = ta;
    const ti = new Int32Array(next);
    ti.set(this.targetIndex);
    this.targetIndex = ti;
    this.optimizer.grow(next);
  }

  /**
   * Adds a connection onto neuron `index` of `target` (NEST's check_connection: registers the e-prop
   * in-degree and creates the optimizer). Returns its id. The weight must lie in [Wmin, Wmax].
   */
  add(target: EpropArchive, index: number, weight: number): number {
    const k = this.size;
    this.ensure(k + 1);
    this.size++;
    this.weight[k] = weight;
    this.targetArchive[k] = this.archiveId(target);
    this.targetIndex[k] = index;
    this.optimizer.init(k);
    target.registerConnection(index);
    return k;
  }

  /** `eprop_synapse::send` for an event with stamp `tSpike` (steps). Returns the weight, NaN for flush. */
  send(k: number, tSpike: number, isFlush: boolean): number {
    const archive = this.archives[this.targetArchive[k]];
    const i = this.targetIndex[k];
    const tPrev = this.tPrev[k];
    this.events++;
    if (isFlush) this.flushEvents++;
    if (tPrev !== 0) {
      if (archive.role === "readout") this.replayReadout(k, archive, i, tSpike, tPrev, isFlush);
      else this.replayRecurrent(k, archive, i, tSpike, tPrev, isFlush);
    }
    archive.eraseUsed(i, tSpike, tPrev);
    this.tPrev[k] = tSpike;
    this.prevFlush[k] = isFlush ? 1 : 0;
    return isFlush ? NaN : this.weight[k];
  }

  /** `compute_gradient` of eprop_iaf / eprop_iaf_adapt / eprop_iaf_psc_delta(_adapt) (§6.1, §6.3). */
  private replayRecurrent(k: number, archive: EpropArchive, i: number, tSpike: number, tPrev: number, isFlush: boolean): void {
    const settings = this.settings;
    const eachStep = settings.optimizeEachStep;
    const previousWasFlush = this.prevFlush[k] === 1;
    const isi = tSpike - tPrev;
    let remaining = previousWasFlush ? this.remaining[k] : archive.cutoffSteps[i];
    let zCurrent = 0;
    let gradient = this.gradient[k];
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
    let zPrev = this.zPrevBuffer[k];
    let zBar = this.zBar[k];
    let eBar = this.eBar[k];
    let eBarReg = this.eBarReg[k];
    let eps = this.epsilon[k];
    let weight = this.weight[k];
    if (steps > 0) {
      const h = archive.hist[i];
      let e = h.lowerBound(tBegin);
      if (e >= h.end || h.t[e] !== tBegin || e + steps > h.end || h.t[e + steps - 1] !== tEnd - 1) {
        archive.requireEntry(i, e < h.end && h.t[e] === tBegin ? firstGap(h.t, e, tBegin, steps) : tBegin, String(i));
      }
      const psiCol = h.a;
      const lCol = h.b;
      const frCol = h.c;
      this.replayedEntries += steps;
      if (!adaptive && !eachStep && steps > 2) {
        // Hot path (per-spike optimization, no adaptation): the spike input z is non-zero only in
        // the first two entries (one-step buffer), so peel them and run the plain recurrence.
        // Same operations in the same order as the general loop below (z = 0 adds nothing).
        for (let j = 0; j < 2; j++, e++) {
          const z = zPrev;
          zPrev = zCurrent;
          zCurrent = 0;
          zBar = alpha * zBar + z;
          const el = psiCol[e] * zBar;
          eBar = kappa * eBar + el;
          eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
          gradient += lCol[e] * eBar + frCol[e] * eBarReg;
        }
        zPrev = 0;
        const stop = e + steps - 2;
        for (; e < stop; e++) {
          zBar = alpha * zBar;
          const el = psiCol[e] * zBar;
          eBar = kappa * eBar + el;
          eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
          gradient += lCol[e] * eBar + frCol[e] * eBarReg;
        }
      } else for (let t = tBegin; t < tEnd; ++t, ++e) {
        const z = zPrev;
        zPrev = zCurrent;
        zCurrent = 0;
        zBar = alpha * zBar + z;
        let el: number;
        if (adaptive) {
          el = psiCol[e] * (zBar - beta * eps);
          eps = rho * eps + el;
        } else {
          el = psiCol[e] * zBar;
        }
        eBar = kappa * eBar + el;
        eBarReg = kappaReg * eBarReg + oneMinusKappaReg * el;
        const increment = lCol[e] * eBar + frCol[e] * eBarReg;
        if (eachStep) {
          gradient = increment;
          weight = optimizedWeight(settings, this.optimizer, k, t + 1, gradient, weight);
        } else {
          gradient += increment;
        }
      }
    }
    remaining -= steps;
    const untilEvent = isi - steps;
    let decay = this.decaySteps[k] + untilEvent;
    if (!isFlush && decay > 0) {
      zBar *= Math.pow(alpha, decay);
      eBar *= Math.pow(kappa, decay);
      eBarReg *= Math.pow(kappaReg, decay);
      if (adaptive) eps *= Math.pow(rho, decay);
      decay = 0;
    }
    if (!isFlush && !eachStep) weight = optimizedWeight(settings, this.optimizer, k, tEnd + untilEvent, gradient, weight);
    this.zPrevBuffer[k] = zPrev;
    this.zBar[k] = zBar;
    this.eBar[k] = eBar;
    this.eBarReg[k] = eBarReg;
    this.epsilon[k] = eps;
    this.gradient[k] = gradient;
    this.remaining[k] = remaining;
    this.decaySteps[k] = decay;
    this.weight[k] = weight;
  }

  /** `compute_gradient` of eprop_readout (§6.2): g = err(τ)·z̄(τ). */
  private replayReadout(k: number, archive: EpropArchive, i: number, tSpike: number, tPrev: number, isFlush: boolean): void {
    const settings = this.settings;
    const eachStep = settings.optimizeEachStep;
    const previousWasFlush = this.prevFlush[k] === 1;
    const isi = tSpike - tPrev;
    let remaining = previousWasFlush ? this.remaining[k] : archive.cutoffSteps[i];
    let zCurrent = 0;
    let gradient = this.gradient[k];
    if (!previousWasFlush) {
      gradient = 0;
      zCurrent = 1;
    }
    const tBegin = tPrev - 1;
    const steps = Math.min(remaining, isi);
    const tEnd = tBegin + steps;
    const alpha = archive.alpha[i];
    let zPrev = this.zPrevBuffer[k];
    let zBar = this.zBar[k];
    let weight = this.weight[k];
    if (steps > 0) {
      const h = archive.hist[i];
      let e = h.lowerBound(tBegin);
      if (e >= h.end || h.t[e] !== tBegin || e + steps > h.end || h.t[e + steps - 1] !== tEnd - 1) {
        archive.requireEntry(i, e < h.end && h.t[e] === tBegin ? firstGap(h.t, e, tBegin, steps) : tBegin, String(i));
      }
      const errCol = h.a;
      this.replayedEntries += steps;
      for (let t = tBegin; t < tEnd; ++t, ++e) {
        const z = zPrev;
        zPrev = zCurrent;
        zCurrent = 0;
        zBar = alpha * zBar + z;
        const increment = errCol[e] * zBar;
        if (eachStep) {
          gradient = increment;
          weight = optimizedWeight(settings, this.optimizer, k, t + 1, gradient, weight);
        } else {
          gradient += increment;
        }
      }
    }
    remaining -= steps;
    const untilEvent = isi - steps;
    let decay = this.decaySteps[k] + untilEvent;
    if (!isFlush && decay > 0) {
      zBar *= Math.pow(alpha, decay);
      decay = 0;
    }
    if (!isFlush && !eachStep) weight = optimizedWeight(settings, this.optimizer, k, tEnd + untilEvent, gradient, weight);
    this.zPrevBuffer[k] = zPrev;
    this.zBar[k] = zBar;
    this.gradient[k] = gradient;
    this.remaining[k] = remaining;
    this.decaySteps[k] = decay;
    this.weight[k] = weight;
  }
}

/** The first step in [tBegin, tBegin + steps) missing from the history (for the error message). */
function firstGap(t: Int32Array, e: number, tBegin: number, steps: number): number {
  for (let j = 0; j < steps; j++) if (e + j >= t.length || t[e + j] !== tBegin + j) return tBegin + j;
  return tBegin + steps - 1;
}
