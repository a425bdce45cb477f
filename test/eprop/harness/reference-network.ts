/**
 * Test oracle: a small, hand-written, time-driven re-implementation of NEST's bio e-prop neuron
 * updates (nest-eprop.md §3–§5) in NEST's kernel order, driving the product's e-prop machinery
 * (runtime/eprop: archive, erase logic, synapse replay, optimizers). It checks that machinery in
 * isolation; the product path runs the compiled models through the Simulator.
 */
import { EpropArchive } from "../../../runtime/eprop/archive.js";
import { OptimizerSettings } from "../../../runtime/eprop/optimizer.js";
import { surrogateGradient, surrogateIndex } from "../../../runtime/eprop/surrogate.js";
import { EpropSynapses } from "../../../runtime/eprop/synapses.js";
import { N_IN, N_OUT, N_REC, SIM_STEPS, TOTAL_OFFSET, type RecurrentModel, type RegressionData } from "./regression-setup.js";

export interface ReferenceResult {
  /** readout_signal for steps 2…501 (multimeter start 2, stop 502). */
  readout: Float64Array;
  target: Float64Array;
  recSpikes: { step: number; neuron: number }[];
  flushEvents: number;
  maxHistory: number;
}

const DT = 1;

export function runReferenceNetwork(model: RecurrentModel, data: RegressionData, flushInterval: number): ReferenceResult {
  const p = data.recParams as Record<string, number>;
  const adaptive = model === "eprop_iaf_adapt" || model === "eprop_iaf_psc_delta_adapt";
  const pscDelta = model === "eprop_iaf_psc_delta" || model === "eprop_iaf_psc_delta_adapt";
  const adaptBeta = adaptive ? (p.adapt_beta ?? 1.0) : 0;
  const adaptTau = adaptive ? (p.adapt_tau ?? 10.0) : 10.0;

  // Archives with parameter arrays.
  const fill = (v: number) => new Float64Array(N_REC).fill(v);
  const rec = new EpropArchive("recurrent", N_REC, adaptive);
  const out = new EpropArchive("readout", N_OUT, false);
  const settings = new OptimizerSettings();
  settings.update(data.optimizer, false);
  const syn = new EpropSynapses(settings);

  // Connections: outgoing lists per source (input parrots, recurrent neurons).
  const outIn: number[][] = Array.from({ length: N_IN }, () => []);
  const outRec: number[][] = Array.from({ length: N_REC }, () => []);
  const connTarget: { pop: "rec" | "out"; i: number }[] = [];
  for (let pre = 0; pre < N_IN; pre++)
    for (let post = 0; post < N_REC; post++) {
      outIn[pre].push(syn.add(rec, post, data.wInRec[post * N_IN + pre]));
      connTarget.push({ pop: "rec", i: post });
    }
  for (let pre = 0; pre < N_REC; pre++)
    for (let post = 0; post < N_REC; post++) {
      if (post === pre) continue;
      outRec[pre].push(syn.add(rec, post, data.wRecRec[post * N_REC + pre]));
      connTarget.push({ pop: "rec", i: post });
    }
  for (let pre = 0; pre < N_REC; pre++)
    for (let post = 0; post < N_OUT; post++) {
      outRec[pre].push(syn.add(out, post, data.wRecOut[post * N_REC + pre]));
      connTarget.push({ pop: "out", i: post });
    }

  rec.prepare(DT, {
    tau_m: fill(p.tau_m),
    eprop_isi_trace_cutoff: fill(p.eprop_isi_trace_cutoff),
    kappa: fill(p.kappa),
    kappa_reg: fill(p.kappa_reg),
    c_reg: fill(p.c_reg),
    f_target: fill(p.f_target),
    adapt_beta: fill(adaptBeta),
    adapt_tau: fill(adaptTau),
  });
  out.prepare(DT, { tau_m: new Float64Array(N_OUT).fill(data.outParams.tau_m), eprop_isi_trace_cutoff: new Float64Array(N_OUT).fill(data.outParams.eprop_isi_trace_cutoff) });

  // Neuron constants (NEST pre_run_hook).
  const alpha = Math.exp(-DT / p.tau_m);
  const pIin = (p.tau_m / p.C_m) * (1.0 - alpha);
  const pAdapt = Math.exp(-DT / adaptTau);
  const nRef = Math.round(p.t_ref / DT);
  const sgFn = surrogateIndex(String(data.recParams.surrogate_gradient_function));
  const h = p.surrogate_gradient_height;
  const w = p.surrogate_gradient_width;
  const vTh = p.V_th;
  const vReset = p.V_reset ?? 0;
  const vMin = -Number.MAX_VALUE;
  const outAlpha = Math.exp(-DT / data.outParams.tau_m);

  // State.
  const v = new Float64Array(N_REC);
  const r = new Int32Array(N_REC);
  const zState = new Float64Array(N_REC);
  const adapt = new Float64Array(N_REC);
  const vThAdapt = new Float64Array(N_REC).fill(vTh);
  const lastEvent = new Float64Array(N_REC);
  const ringRec = new Float64Array(N_REC); // weight sum for the current step (delay 1 = deliver then update)
  const ringOut = new Float64Array(N_OUT);
  let vOut = 0;
  let window = 0;
  let target = 0;
  let errPrev = NaN; // err of the previous step, sent as learning signal
  const readoutTrace: number[] = [];
  const targetTrace: number[] = [];
  const recSpikes: { step: number; neuron: number }[] = [];
  let flushEvents = 0;
  let maxHistory = 0;

  // Input parrots: spike in step s for generator time s.
  const parrotSpikesAt = new Map<number, number[]>();
  data.inputSpikeTimes.forEach((times, j) => {
    for (const s of times) {
      const list = parrotSpikesAt.get(s) ?? [];
      list.push(j);
      parrotSpikesAt.set(s, list);
    }
  });

  // Events emitted in the previous step (stamp = that step + 1).
  let emittedParrots: number[] = [];
  let emittedRec: { i: number; flush: boolean }[] = [];

  for (let t = 0; t < SIM_STEPS; t++) {
    // 1. secondary events: learning signal (readout err of step t−1, stamp t) and rates.
    if (t > 0) {
      for (let j = 0; j < N_REC; j++) rec.writeLearningSignal(j, t, data.wOutRec[j * N_OUT] * errPrev);
    }
    // 2. spikes/flush stamped t through e-prop synapses.
    ringRec.fill(0);
    ringOut.fill(0);
    for (const j of emittedParrots) {
      for (const k of outIn[j]) {
        const wk = syn.send(k, t, false);
        ringRec[connTarget[k].i] += wk;
      }
    }
    for (const { i, flush } of emittedRec) {
      for (const k of outRec[i]) {
        const wk = syn.send(k, t, flush);
        if (flush) continue;
        const tg = connTarget[k];
        if (tg.pop === "rec") ringRec[tg.i] += wk;
        else ringOut[tg.i] += wk;
      }
    }
    emittedParrots = parrotSpikesAt.get(t) ?? [];
    emittedRec = [];
    // rate generators: value switched at step T−1, arrives at T.
    window = t >= TOTAL_OFFSET ? 1 : 0;
    target = 0;

    // 3. update recurrent neurons (step t)
    for (let i = 0; i < N_REC; i++) {
      let z = 0;
      let psi: number;
      if (!pscDelta) {
        if (r[i] > 0) r[i]--;
        v[i] = pIin * 0 + ringRec[i] + alpha * v[i];
        v[i] = Math.max(v[i], vMin);
        let th = vTh;
        if (adaptive) {
          adapt[i] = pAdapt * adapt[i] + zState[i];
          vThAdapt[i] = vTh + adaptBeta * adapt[i];
          th = vThAdapt[i];
        }
        zState[i] = 0;
        psi = surrogateGradient(sgFn, r[i], v[i], th, h, w);
        if (v[i] >= th && r[i] === 0) {
          z = 1;
          zState[i] = 1;
          v[i] -= vTh * 1;
          r[i] = nRef;
        }
      } else {
        if (r[i] === 0) {
          v[i] = pIin * (0 + 0) + alpha * v[i] + ringRec[i];
          v[i] = Math.max(v[i], vMin);
          if (adaptive) {
            adapt[i] = pAdapt * adapt[i] + zState[i];
            vThAdapt[i] = vTh + adaptBeta * adapt[i];
          }
        } else {
          r[i]--;
        }
        const th = adaptive ? vThAdapt[i] : vTh;
        zState[i] = 0;
        psi = surrogateGradient(sgFn, r[i], v[i], th, h, w);
        if (v[i] >= th) {
          r[i] = nRef;
          v[i] = vReset;
          z = 1;
          zState[i] = 1;
        }
      }
      if (z === 1) {
        emittedRec.push({ i, flush: false });
        recSpikes.push({ step: t, neuron: i });
        lastEvent[i] = t;
      } else if (lastEvent[i] > 0 && t - lastEvent[i] >= flushInterval) {
        emittedRec.push({ i, flush: true });
        flushEvents++;
        lastEvent[i] = t;
      }
      rec.archiveRecurrent(i, t, psi, z);
      maxHistory = Math.max(maxHistory, rec.hist[i].size);
    }
    // readout (step t)
    vOut = 0 + ringOut[0] + outAlpha * vOut;
    vOut = Math.max(vOut, vMin);
    let y = vOut + 0;
    let err = y - target;
    target *= window;
    y *= window;
    err *= window;
    out.archiveReadout(0, t, err);
    errPrev = err;
    if (t >= 2 && t <= 501) {
      readoutTrace.push(y);
      targetTrace.push(target);
    }
  }
  return { readout: Float64Array.from(readoutTrace), target: Float64Array.from(targetTrace), recSpikes, flushEvents, maxHistory };
}
