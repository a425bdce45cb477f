/**
 * The e-prop archive of one neuron population (NEST's `EpropArchivingNode`, bio models):
 * per-neuron histories, the update history with access counters, the erase logic (nest-eprop.md §8),
 * the firing-rate regularization (§3.7), learning-signal writes/reads (§2) and the postsynaptic
 * constants the synapse replay needs (α, κ, κ_reg, β, ρ, cutoff).
 */
import { InvalidParameterError } from "../errors.js";
import { HistoryBuffer, UpdateHistory } from "./history.js";

export type EpropRole = "recurrent" | "readout";

/** Raised when a synapse needs a history entry that is not there (NEST's KernelException). */
export class EpropHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EpropHistoryError";
  }
}

/** Where the archive reads its parameters: the population's arrays, by NEST parameter name. */
export type ParameterArrays = Readonly<Record<string, Float64Array | undefined>>;

/** NEST's `Time(Time::ms(x)).get_steps()` for a duration: ∞ stays ∞ (see eraseUsed). */
export function msToSteps(ms: number, dt: number): number {
  if (!Number.isFinite(ms)) return Infinity;
  const tics = Math.round(ms * 1000);
  const ticsPerStep = Math.round(dt * 1000);
  return Math.ceil(tics / ticsPerStep);
}

export class EpropArchive {
  readonly hist: HistoryBuffer[] = [];
  readonly upd: UpdateHistory[] = [];
  /** Incoming e-prop synapses per neuron; neurons with 0 archive nothing (§3.8). */
  readonly indegree: Int32Array;
  /** Online firing-rate estimate f_av (spikes/ms), recurrent only. */
  readonly fAv: Float64Array;
  /** Postsynaptic constants for the replay, refreshed by `prepare`. */
  readonly alpha: Float64Array;
  readonly kappa: Float64Array;
  readonly kappaReg: Float64Array;
  readonly adaptBeta: Float64Array;
  readonly rho: Float64Array;
  readonly cutoffSteps: Float64Array;
  readonly cReg: Float64Array;
  /** f_target in spikes/ms (the parameter is in Hz; NEST divides by 1000). */
  readonly fTargetPerMs: Float64Array;
  dt = 1;

  constructor(
    readonly role: EpropRole,
    readonly n: number,
    /** True for models with spike-frequency adaptation (ε trace in the replay). */
    readonly adaptive: boolean,
  ) {
    for (let i = 0; i < n; i++) {
      this.hist.push(new HistoryBuffer(role === "recurrent" ? 3 : 1));
      this.upd.push(new UpdateHistory());
    }
    this.indegree = new Int32Array(n);
    this.fAv = new Float64Array(n);
    this.alpha = new Float64Array(n);
    this.kappa = new Float64Array(n);
    this.kappaReg = new Float64Array(n);
    this.adaptBeta = new Float64Array(n);
    this.rho = new Float64Array(n).fill(1);
    this.cutoffSteps = new Float64Array(n).fill(Infinity);
    this.cReg = new Float64Array(n);
    this.fTargetPerMs = new Float64Array(n);
  }

  /**
   * Reads the parameters (ms, Hz, 1) and computes the propagators for resolution dt, as NEST's
   * `pre_run_hook`: α = exp(−dt/τ_m), ρ = exp(−dt/τ_a).
   */
  prepare(dt: number, p: ParameterArrays): void {
    this.dt = dt;
    const need = (name: string): Float64Array => {
      const a = p[name];
      if (!a) {
        throw new InvalidParameterError(
          `an e-prop ${this.role} model needs a parameter '${name}' (the e-prop replay reads it), but this model has none`,
          "model",
        );
      }
      return a;
    };
    const tauM = need("tau_m");
    const cutoff = need("eprop_isi_trace_cutoff");
    for (let i = 0; i < this.n; i++) {
      this.alpha[i] = Math.exp(-dt / tauM[i]);
      this.cutoffSteps[i] = msToSteps(cutoff[i], dt);
    }
    if (this.role === "readout") return;
    const kappa = need("kappa");
    const kappaReg = need("kappa_reg");
    const cReg = need("c_reg");
    const fTarget = need("f_target");
    const beta = this.adaptive ? need("adapt_beta") : undefined;
    const tauA = this.adaptive ? need("adapt_tau") : undefined;
    for (let i = 0; i < this.n; i++) {
      this.kappa[i] = kappa[i];
      this.kappaReg[i] = kappaReg[i];
      this.cReg[i] = cReg[i];
      this.fTargetPerMs[i] = fTarget[i] / 1000.0;
      this.adaptBeta[i] = beta ? beta[i] : 0;
      this.rho[i] = tauA ? Math.exp(-dt / tauA[i]) : 1;
    }
  }

  registerConnection(i: number): void {
    this.indegree[i]++;
  }

  /**
   * Archives step t of a recurrent neuron: ψ(t), L(t) = 0 (filled by learning signals), FR(t) from
   * the spike z(t) (`write_firing_rate_reg_to_history`).
   */
  archiveRecurrent(i: number, t: number, psi: number, z: number): void {
    if (this.indegree[i] === 0) return;
    const kReg = this.kappaReg[i];
    const dt = this.dt;
    const fTarget = this.fTargetPerMs[i] * dt; // spikes/ms -> spikes/step (NEST's literal conversion)
    const fAv = kReg * this.fAv[i] + ((1.0 - kReg) * z) / dt;
    this.fAv[i] = fAv;
    this.hist[i].append(t, psi, 0, this.cReg[i] * (fAv - fTarget));
  }

  /** Archives err(t) of a readout neuron. */
  archiveReadout(i: number, t: number, err: number): void {
    if (this.indegree[i] === 0) return;
    this.hist[i].append(t, err, 0, 0);
  }

  /**
   * A learning signal with stamp `stamp` adds `value` to the entries in [stamp − 2, stamp − 1)
   * (shift delay_rec_out + delay_out_rec = 2), a no-op if that entry is gone.
   */
  writeLearningSignal(i: number, stamp: number, value: number): void {
    if (this.indegree[i] === 0) return;
    const h = this.hist[i];
    const from = h.lowerBound(stamp - 2);
    const to = h.lowerBound(stamp - 1);
    const v = h.v;
    for (let k = from; k < to; k++) v[3 * k + 1] += value;
  }

  /** The `learning_signal` recordable at step t: L of the first entry at or after t − 2 (0 if none). */
  learningSignalAt(i: number, t: number): number {
    const h = this.hist[i];
    const k = h.lowerBound(t - 2);
    return k < h.end && h.columns === 3 ? h.v[3 * k + 1] : 0;
  }

  /** `eprop_history_duration`: dt × number of archived entries (ms). */
  historyDuration(i: number): number {
    return this.dt * this.hist[i].size;
  }

  /**
   * `erase_used_eprop_history(t_spike, t_spike_previous)` of the bio models (nest-eprop.md §8): called
   * by every e-prop synapse event (spike or flush) after its replay.
   */
  eraseUsed(i: number, tSpike: number, tPrev: number): void {
    const upd = this.upd[i];
    const h = this.hist[i];
    upd.increment(tSpike);
    if (tPrev > 0) {
      const k = upd.decrement(tPrev);
      // Candidate range [tPrev − 1, tPrev − 1 + C), shrunk around every pending update u so that
      // [u − 1, u − 1 + C) survives (NEST loops over the updates in [tPrev − 1 − C, tPrev − 1 + C]).
      // The loop's result has a closed form found by two binary searches: the end drops to u − 1 of
      // the first update u ≥ tPrev, the begin rises to u − 1 + C of the last update u ≤ tPrev with
      // u ≥ tPrev − C. With C = ∞ (cutoff steps = LONG_MAX in NEST) the end overflows to a negative
      // step and NEST erases nothing here; so do we.
      const cutoff = this.cutoffSteps[i];
      if (cutoff === Infinity) return this.eraseBeforeEarliestUpdate(i);
      const candBegin = tPrev - 1;
      const candEnd = candBegin + cutoff;
      let eraseBegin = candBegin;
      let eraseEnd = candEnd;
      if (k < upd.size && upd.t[k] - 1 <= candEnd) eraseEnd = upd.t[k] - 1;
      const last = k < upd.size && upd.t[k] === tPrev ? k : k - 1;
      if (last >= 0 && upd.t[last] >= tPrev - cutoff) eraseBegin = Math.max(eraseBegin, upd.t[last] - 1 + cutoff);
      if (eraseBegin < eraseEnd) {
        const from = h.lowerBound(eraseBegin);
        const to = Number.isFinite(eraseEnd) ? h.lowerBound(eraseEnd) : h.end;
        if (from < to) h.erase(from, to);
      }
    }
    this.eraseBeforeEarliestUpdate(i);
  }

  /** Drops everything before the earliest pending update − 1, if that entry exists (and is not first). */
  private eraseBeforeEarliestUpdate(i: number): void {
    const upd = this.upd[i];
    const h = this.hist[i];
    if (upd.size === 0 || h.size === 0) return;
    const keep = upd.t[0] - 1;
    const kk = h.lowerBound(keep);
    if (kk < h.end && h.t[kk] === keep && kk !== h.start) h.erase(h.start, kk);
    // Give memory back after a burst (grow ×2 when full, shrink to 2× size below ¼ full: no thrashing).
    if (h.size * 4 < h.capacity) h.shrinkIfSparse();
  }

  /** Entry index of step t, or throws like NEST's `require_eprop_history_entry`. */
  requireEntry(i: number, t: number, nodeLabel: string): number {
    const h = this.hist[i];
    const k = h.lowerBound(t);
    if (k >= h.end) throw new EpropHistoryError(`Expected in neuron ${nodeLabel} e-prop history entry at t=${t}, got end of e-prop history.`);
    if (h.t[k] !== t) throw new EpropHistoryError(`Expected in neuron ${nodeLabel} e-prop history entry at t=${t}, got t=${h.t[k]}.`);
    return k;
  }

  /** Total entries and bytes over all neurons (memory benchmark). */
  footprint(): { entries: number; bytes: number; maxEntries: number } {
    let entries = 0;
    let bytes = 0;
    let maxEntries = 0;
    for (let i = 0; i < this.n; i++) {
      const s = this.hist[i].size;
      entries += s;
      if (s > maxEntries) maxEntries = s;
      bytes += this.hist[i].bytes + this.upd[i].bytes;
    }
    return { entries, bytes, maxEntries };
  }
}
