/**
 * Drives one postsynaptic archive with e-prop synapses from given presynaptic event stamps, in NEST's
 * slice order (deliver events stamped t, then archive step t), without neuron dynamics: enough to
 * check the history bookkeeping (nest-eprop.md §8, §12.3, §14).
 */
import { EpropArchive, type EpropRole } from "../../../runtime/eprop/archive.js";
import { OptimizerSettings } from "../../../runtime/eprop/optimizer.js";
import { EpropSynapses } from "../../../runtime/eprop/synapses.js";

export interface PresynapticTrain {
  /** Steps in which the presynaptic neuron spikes (stamp = step + 1). */
  spikeSteps: number[];
  /** Flush interval in steps (∞: none); the flush rule of §9. */
  flushInterval?: number;
}

export function historyLengths(role: EpropRole, cutoffMs: number, trains: PresynapticTrain[], steps: number): number[] {
  const archive = new EpropArchive(role, 1, false);
  const one = (v: number) => new Float64Array([v]);
  archive.prepare(1, { tau_m: one(10), eprop_isi_trace_cutoff: one(cutoffMs), kappa: one(0.97), kappa_reg: one(0.97), c_reg: one(0), f_target: one(10) });
  const syn = new EpropSynapses(new OptimizerSettings());
  const ids = trains.map(() => syn.add(archive, 0, 1.0));
  const lastEvent = trains.map(() => 0);
  let pending: { k: number; flush: boolean }[] = [];
  const lengths: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (const e of pending) syn.send(e.k, t, e.flush);
    pending = [];
    trains.forEach((tr, j) => {
      if (tr.spikeSteps.includes(t)) {
        pending.push({ k: ids[j], flush: false });
        lastEvent[j] = t;
      } else if (lastEvent[j] > 0 && t - lastEvent[j] >= (tr.flushInterval ?? Infinity)) {
        pending.push({ k: ids[j], flush: true });
        lastEvent[j] = t;
      }
    });
    if (role === "recurrent") archive.archiveRecurrent(0, t, 0.1, 0);
    else archive.archiveReadout(0, t, 0.1);
    lengths.push(archive.hist[0].size);
  }
  return lengths;
}
