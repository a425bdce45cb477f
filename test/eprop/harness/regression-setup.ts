/**
 * The exact setup of NEST's `test_eprop_regression` (nest-eprop.md §12.1): weights and inputs drawn
 * from NumPy's RandomState(1) in the test's order, cast to float32 like the test does.
 */
import { RandomState, toFloat32, transpose } from "../../../runtime/random/numpy-random-state.js";

export type RecurrentModel = "eprop_iaf" | "eprop_iaf_adapt" | "eprop_iaf_psc_delta" | "eprop_iaf_psc_delta_adapt";

export interface RegressionCase {
  model: RecurrentModel;
  optimizer: "gradient_descent" | "adam";
  reference: number[];
  /** Debugging checkpoints from the independent re-implementation (§12.1 table). */
  spikesPerIteration: number[];
  flushEvents: number;
}

export const REGRESSION_CASES: RegressionCase[] = [
  {
    model: "eprop_iaf",
    optimizer: "adam",
    reference: [0.14000491891386, 0.28735818029752, 0.2226371369986, 0.23015072431384, 0.17565248170694],
    spikesPerIteration: [319, 300, 289, 274, 271],
    flushEvents: 53,
  },
  {
    model: "eprop_iaf_adapt",
    optimizer: "gradient_descent",
    reference: [0.02242584487453, 0.01916753791522, 0.00571493935652, 0.00037875376195, 0.00037823157578],
    spikesPerIteration: [128, 48, 25, 14, 9],
    flushEvents: 213,
  },
  {
    model: "eprop_iaf_psc_delta",
    optimizer: "gradient_descent",
    reference: [0.27039631749159, 0.51390204375229, 0.53473859833866, 0.53608474802202, 0.49323580244201],
    spikesPerIteration: [393, 360, 366, 348, 362],
    flushEvents: 92,
  },
  {
    model: "eprop_iaf_psc_delta_adapt",
    optimizer: "gradient_descent",
    reference: [0.16416646182675, 0.2795215928283, 0.29937515524341, 0.26160957500433, 0.26384514215024],
    spikesPerIteration: [284, 241, 248, 251, 250],
    flushEvents: 76,
  },
];

export const N_IN = 100;
export const N_REC = 100;
export const N_OUT = 1;
export const SEQUENCE = 100;
export const N_ITER = 5;
export const TASK = SEQUENCE * N_ITER;
export const TOTAL_OFFSET = 2;
export const SIM_STEPS = TASK + TOTAL_OFFSET + 3;

export interface RegressionData {
  /** [post][pre] row-major, float32-valued. */
  wInRec: Float64Array;
  wRecRec: Float64Array;
  wRecOut: Float64Array;
  /** Feedback B, [rec][out]. */
  wOutRec: Float64Array;
  /** Spike times (ms) per input neuron. */
  inputSpikeTimes: number[][];
  recParams: Record<string, number | string>;
  outParams: Record<string, number>;
  optimizer: Record<string, number | string | boolean>;
}

const f32 = Math.fround;

export function regressionData(c: RegressionCase): RegressionData {
  const rs = new RandomState(1);
  const scale = 1.0 - 0.97;
  const scale32 = f32(scale);
  // np.array(randn(n_in, n_rec).T / sqrt(n_in), dtype=float32): transpose -> [rec][in]
  const wInRec = toFloat32(transpose(rs.randn(N_IN, N_REC), N_IN, N_REC).map((x) => x / Math.sqrt(N_IN)));
  const wRecRec = toFloat32(transpose(rs.randn(N_REC, N_REC), N_REC, N_REC).map((x) => x / Math.sqrt(N_REC)));
  for (let i = 0; i < N_REC; i++) wRecRec[i * N_REC + i] = 0;
  // float32 array * python float: float32 arithmetic
  const wRecOut = toFloat32(transpose(rs.randn(N_REC, N_OUT), N_REC, N_OUT).map((x) => x / Math.sqrt(N_REC))).map((x) => f32(x * scale32));
  const wOutRec = toFloat32(rs.randn(N_REC, N_OUT).map((x) => x / Math.sqrt(N_REC)));
  if (c.model === "eprop_iaf" || c.model === "eprop_iaf_adapt") {
    for (const w of [wInRec, wRecRec, wOutRec]) for (let i = 0; i < w.length; i++) w[i] = f32(w[i] * scale32);
  } else {
    for (let i = 0; i < wOutRec.length; i++) wOutRec[i] = f32(wOutRec[i] / scale32);
  }
  // input_spike_bools = (rand(sequence, n_in) < 0.05).swapaxes(0, 1)
  const r = rs.rand(SEQUENCE, N_IN);
  const inputSpikeTimes: number[][] = [];
  for (let j = 0; j < N_IN; j++) {
    const times: number[] = [];
    for (let start = 0; start < TASK; start += SEQUENCE) {
      for (let s = 0; s < SEQUENCE; s++) if (r[s * N_IN + j] < 0.05) times.push(s + start + 1);
    }
    inputSpikeTimes.push(times.sort((a, b) => a - b));
  }
  const recParams: Record<string, number | string> = {
    C_m: 1.0,
    c_reg: 300.0 / SEQUENCE,
    E_L: 0.0,
    eprop_isi_trace_cutoff: 100,
    f_target: 10.0,
    flush_event_send_interval: SEQUENCE,
    I_e: 0.0,
    kappa: 0.97,
    kappa_reg: 0.97,
    surrogate_gradient_function: "piecewise_linear",
    surrogate_gradient_height: 10.0,
    surrogate_gradient_width: 1 / 33.3,
    t_ref: 0.0,
    tau_m: 30.0,
    V_m: 0.0,
    V_th: 0.03,
  };
  if (c.model === "eprop_iaf_psc_delta" || c.model === "eprop_iaf_psc_delta_adapt") {
    recParams.V_reset = -0.5;
    recParams.c_reg = 2.0 / SEQUENCE / scale ** 2;
    recParams.V_th = 0.5;
  } else if (c.model === "eprop_iaf_adapt") {
    recParams.adapt_beta = 0.0174;
    recParams.adapt_tau = 2000.0;
    recParams.adaptation = 0.0;
  }
  const outParams = { C_m: 1.0, E_L: 0.0, eprop_isi_trace_cutoff: 100, I_e: 0.0, tau_m: 30.0, V_m: 0.0 };
  const optimizer: Record<string, number | string | boolean> = {
    type: c.optimizer,
    batch_size: 1,
    eta: 1e-4 * scale ** 2,
    optimize_each_step: true,
    Wmin: -100.0,
    Wmax: 100.0,
  };
  if (c.optimizer === "adam") Object.assign(optimizer, { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
  return { wInRec, wRecRec, wRecOut, wOutRec, inputSpikeTimes, recParams, outParams, optimizer };
}

/** loss = 0.5 · Σ_t (y − y*)² per iteration over readout samples of steps 2…501 (target 0). */
export function lossPerIteration(readout: ArrayLike<number>, target: ArrayLike<number>): number[] {
  const loss: number[] = [];
  for (let it = 0; it < N_ITER; it++) {
    let s = 0;
    for (let k = 0; k < SEQUENCE; k++) {
      const d = readout[it * SEQUENCE + k] - target[it * SEQUENCE + k];
      s += d * d;
    }
    loss.push(0.5 * s);
  }
  return loss;
}
