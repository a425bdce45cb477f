/**
 * The e-prop machinery of runtime/eprop/ checked standalone against NEST's reference numbers, driven
 * by test oracles (hand-written NEST-order neuron updates, see harness/). The product path (compiled
 * models through the Simulator) is covered by nest-conformance.test.ts.
 */
import { describe, expect, it } from "vitest";
import { HistoryBuffer, UpdateHistory } from "../../runtime/eprop/history.js";
import { O_STEP, OptimizerSettings, OptimizerState, optimizedWeight } from "../../runtime/eprop/optimizer.js";
import { historyLengths } from "./harness/drive-archive.js";
import { runReferenceNetwork } from "./harness/reference-network.js";
import { REGRESSION_CASES, lossPerIteration, regressionData } from "./harness/regression-setup.js";
import { eprop_iafSurrogateTrace } from "./harness/single-neuron.js";
import { maxRelativeError, range } from "./harness/compare.js";


describe("history cleaning (NEST test_eprop_history_cleaning, §12.3)", () => {
  const reference = [[1, 11], [2, 21], [12, 31], [12, 21], [12, 41], [32, 49]].flatMap(([a, b]) => range(a, b));
  const trains = [[10, 20, 50, 60], [10, 30, 50, 90], [40, 60]].map((spikeSteps) => ({ spikeSteps }));
  for (const [role, cutoff] of [["recurrent", 5], ["recurrent", 100000], ["readout", 100000]] as const) {
    it(`${role === "recurrent" ? "eprop_iaf" : "eprop_readout"} with cutoff ${cutoff} ms keeps exactly NEST's history lengths`, () => {
      expect(historyLengths(role, cutoff, trains, 109)).toEqual(reference);
    });
  }
});

describe("flush events bound the history of a neuron whose input fell silent (§14 illustration)", () => {
  // A spikes every 10 steps, B spikes in steps 10 and 20 and then falls silent; 1000 steps.
  const a = { spikeSteps: range(1, 99).map((k) => 10 * k) };
  const b = (flushInterval?: number) => ({ spikeSteps: [10, 20], flushInterval });
  const at = (l: number[]) => [l[100], l[500], l[999], Math.max(...l)];
  it("grows without bound without flush events (cutoff ∞)", () => {
    expect(at(historyLengths("recurrent", Infinity, [a, b()], 1000))).toEqual([81, 481, 980, 980]);
  });
  it("stays below interval + 1 with flush events every 100 or 50 steps", () => {
    expect(at(historyLengths("recurrent", Infinity, [a, b(100)], 1000))).toEqual([81, 81, 80, 101]);
    expect(at(historyLengths("recurrent", Infinity, [a, b(50)], 1000))).toEqual([31, 31, 30, 51]);
  });
  it("is bounded by the cutoff plus the active ISI with a finite cutoff", () => {
    expect(Math.max(...historyLengths("recurrent", 100, [a, b()], 1000))).toBe(111);
    expect(Math.max(...historyLengths("recurrent", 100, [a, b(100)], 1000))).toBe(101);
  });
});

describe("surrogate gradients (NEST test_eprop_surrogate_gradients, §12.2) through the oracle neuron", () => {
  const references: Record<string, number[]> = {
    piecewise_linear: [0.21030100902759, 0.18933659619924, 0.170367211025, 0.15320300152221, 0.13767218251307],
    exponential: [0.28011776848615, 0.26861558105999, 0.25861553046549, 0.24988832085299, 0.24224569105944],
    fast_sigmoid_derivative: [0.20044113201621, 0.19020804299944, 0.1816093470395, 0.17432167613232, 0.16809903522604],
    arctan_derivative: [0.37433498786304, 0.36073812744784, 0.3485216507637, 0.33759316659435, 0.32784181049728],
  };
  for (const [fn, ref] of Object.entries(references)) {
    it(`${fn}: ψ at steps 14…18 within rtol 1e-8`, () => {
      const psi = eprop_iafSurrogateTrace(fn, { C_m: 1, tau_m: 10, t_ref: 3, V_th: 0.6, height: 0.5, width: 1 / 1.7 }, [2, 3, 4, 6, 10, 12], 0.3, 19);
      expect(maxRelativeError(psi.slice(14, 19), ref)).toBeLessThan(1e-8);
    });
  }
});

describe("NEST test_eprop_regression (§12.1) through the oracle network", () => {
  for (const c of REGRESSION_CASES) {
    it(`${c.model}/${c.optimizer}: losses at rtol 1e-8, flush (interval 100) on and off identical`, () => {
      const data = regressionData(c);
      const withFlush = runReferenceNetwork(c.model, data, 100);
      const without = runReferenceNetwork(c.model, data, Infinity);
      const loss = lossPerIteration(withFlush.readout, withFlush.target);
      expect(maxRelativeError(loss, c.reference)).toBeLessThan(1e-8);
      expect(lossPerIteration(without.readout, without.target)).toEqual(loss);
      expect(withFlush.flushEvents).toBe(c.flushEvents);
      expect(without.flushEvents).toBe(0);
      expect(withFlush.maxHistory).toBeLessThanOrEqual(101);
      expect(without.maxHistory).toBeGreaterThan(withFlush.maxHistory);
    });
  }
});

describe("history buffer", () => {
  it("erases at the front, back and middle and keeps steps sorted and findable", () => {
    const h = new HistoryBuffer(3);
    for (let t = 0; t < 100; t++) h.append(t, t * 0.5, 0, -t);
    h.erase(h.lowerBound(10), h.lowerBound(20)); // middle, shorter front side
    h.erase(h.lowerBound(70), h.lowerBound(95)); // middle, shorter back side
    h.erase(h.start, h.lowerBound(5)); // front
    const steps = Array.from(h.t.subarray(h.start, h.end));
    expect(steps).toEqual([...range(5, 9), ...range(20, 69), ...range(95, 99)]);
    const k = h.lowerBound(25);
    expect([h.t[k], h.value(k, 0), h.value(k, 2)]).toEqual([25, 12.5, -25]);
    expect(h.t[h.lowerBound(12)]).toBe(20);
    expect(h.lowerBound(1000)).toBe(h.end);
  });
  it("reuses dead space instead of growing when the live window is small", () => {
    const h = new HistoryBuffer(1);
    for (let t = 0; t < 10000; t++) {
      h.append(t, t, 0, 0);
      if (h.size > 10) h.erase(h.start, h.start + 1);
    }
    expect(h.size).toBe(10);
    expect(h.capacity).toBeLessThanOrEqual(32);
  });
  it("gives memory back after a burst", () => {
    const h = new HistoryBuffer(3);
    for (let t = 0; t < 5000; t++) h.append(t, 0, 0, 0);
    const peak = h.capacity;
    h.erase(h.start, h.lowerBound(4990));
    h.shrinkIfSparse();
    expect(peak).toBeGreaterThanOrEqual(5000);
    expect(h.capacity).toBeLessThanOrEqual(64);
    expect(Array.from(h.t.subarray(h.start, h.end))).toEqual(range(4990, 4999));
  });
  it("update history counts accesses and drops entries at zero", () => {
    const u = new UpdateHistory();
    for (const t of [5, 3, 5, 9, 1, 7]) u.increment(t);
    expect(Array.from(u.t.subarray(0, u.size))).toEqual([1, 3, 5, 7, 9]);
    u.decrement(5);
    expect(u.size).toBe(5);
    u.decrement(5);
    u.decrement(1);
    expect(Array.from(u.t.subarray(0, u.size))).toEqual([3, 7, 9]);
  });
});

describe("optimizers (§7)", () => {
  it("Adam applies the accumulated gradient at the earliest pending step, then zero-gradient steps", () => {
    const s = new OptimizerSettings();
    s.update({ type: "adam", eta: 0.01 }, false);
    const o = new OptimizerState(1);
    o.init(0);
    // First call with idx 3: steps 1, 2, 3 pending -> gradient at step 1, zeros at 2 and 3.
    const w = optimizedWeight(s, o, 0, 3, 0.5, 1.0);
    let m = 0;
    let v = 0;
    let p1 = 1;
    let p2 = 1;
    let want = 1.0;
    for (const g of [0.5, 0, 0]) {
      p1 *= 0.9;
      p2 *= 0.999;
      const alpha = (0.01 * Math.sqrt(1 - p2)) / (1 - p1);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + (1 - 0.999) * g * g;
      want -= (alpha * m) / (Math.sqrt(v) + 1e-7);
    }
    // eta_current lags: the first optimization uses the first changed eta (0.01).
    expect(w).toBe(want);
    expect(o.get(0, O_STEP)).toBe(4);
  });
  it("gradient descent latches eta: an optimization uses the eta in force at the previous one", () => {
    const s = new OptimizerSettings();
    s.update({ eta: 0.1 }, false);
    const o = new OptimizerState(1);
    o.init(0);
    let w = optimizedWeight(s, o, 0, 1, 1.0, 0); // uses eta_first_change 0.1
    expect(w).toBeCloseTo(-0.1, 15);
    s.update({ eta: 0 }, true);
    w = optimizedWeight(s, o, 0, 2, 1.0, w); // still 0.1 (latched)
    expect(w).toBeCloseTo(-0.2, 15);
    w = optimizedWeight(s, o, 0, 3, 1.0, w); // now 0
    expect(w).toBeCloseTo(-0.2, 15);
  });
  it("batch_size counts steps: gradients accumulate until the batch index advances, then average and clip", () => {
    const s = new OptimizerSettings();
    s.update({ eta: 1, batch_size: 4, Wmin: -0.3, Wmax: 0.3 }, false);
    const o = new OptimizerState(1);
    o.init(0);
    let w = 0;
    for (let idx = 1; idx <= 3; idx++) w = optimizedWeight(s, o, 0, idx, 0.2, w);
    expect(w).toBe(0); // 1 + idx/4 = 1 for idx < 4: nothing applied yet
    w = optimizedWeight(s, o, 0, 4, 0.2, w); // applies mean 0.2 -> -0.2
    expect(w).toBeCloseTo(-0.2, 15);
    for (let idx = 5; idx <= 8; idx++) w = optimizedWeight(s, o, 0, idx, 1, w);
    expect(w).toBe(-0.3); // clipped at Wmin
  });
  it("rejects invalid settings with the key named and leaves them unchanged", () => {
    const s = new OptimizerSettings();
    expect(() => s.update({ batch_size: 0 }, false)).toThrow(/batch_size/);
    expect(() => s.update({ Wmin: 5, Wmax: 1 }, false)).toThrow(/Wmin/);
    expect(() => s.update({ type: "sgd" }, false)).toThrow(/gradient_descent/);
    expect(() => s.update({ type: "adam" }, true)).toThrow(/cannot be changed/);
    expect(() => s.update({ lr: 1 }, false)).toThrow(/unknown optimizer key 'lr'/);
    expect(s.toDict()).toEqual(new OptimizerSettings().toDict());
  });
});
