/** Event-driven synapse kernels: static_synapse and stdp_synapse against NEST's stdp_synapse::send. */
import { describe, expect, test } from "vitest";
import { compileSource, loadModel, synapse } from "./harness.js";

describe("static_synapse", () => {
  const m = synapse(loadModel("static_synapse"));
  test("transmits its weight, needs no postsynaptic spikes", () => {
    expect(m.kind).toBe("synapse");
    expect(m.weightVariable).toBe("w");
    expect(m.needsPostSpikes).toBe(false);
    expect(m.isEprop).toBe(false);
    const pop = m.instantiate(3);
    pop.prepare(0.1);
    pop.arrays.w![1] = -2.5;
    expect(pop.onPreSpike(1, 5, new Float64Array(0), 0, 1)).toBe(-2.5);
    expect(pop.onPreSpike(0, 6, new Float64Array(0), 0, 1)).toBe(1);
    expect(pop.arrays.__t_last![1]).toBe(5);
  });
  test("a synapse whose handler does not emit transmits nothing (NaN)", () => {
    const m2 = synapse(compileSource(`
model silent_synapse:
    state:
        w real = 1
        n integer = 0
    input:
        pre_spikes <- spike
    onReceive(pre_spikes):
        n += 1
`));
    const pop = m2.instantiate(1);
    pop.prepare(0.1);
    expect(pop.onPreSpike(0, 1, new Float64Array(0), 0, 1)).toBeNaN();
    expect(pop.arrays.n![0]).toBe(1);
  });
});

/** NEST's stdp_synapse (all-to-all) written directly from its send(): the reference. */
class NestStdp {
  w: number;
  kplus = 0;
  tLast = 0;
  constructor(w: number, readonly p: { tau_plus: number; tau_minus: number; lambda: number; alpha: number; mu_plus: number; mu_minus: number; Wmax: number }) {
    this.w = w;
  }
  private facilitate(w: number, k: number) {
    const n = w / this.p.Wmax + this.p.lambda * Math.pow(1 - w / this.p.Wmax, this.p.mu_plus) * k;
    return Math.min(n, 1) * this.p.Wmax;
  }
  private depress(w: number, k: number) {
    const n = w / this.p.Wmax - this.p.alpha * this.p.lambda * Math.pow(w / this.p.Wmax, this.p.mu_minus) * k;
    return Math.max(n, 0) * this.p.Wmax;
  }
  /** Kminus of the postsynaptic neuron just before t (strictly earlier spikes only). */
  private kMinus(post: number[], t: number) {
    let k = 0;
    let last = -Infinity;
    for (const tp of post) {
      if (tp >= t - 1e-9) break;
      k = (last === -Infinity ? 0 : k * Math.exp(-(tp - last) / this.p.tau_minus)) + 1;
      last = tp;
    }
    return last === -Infinity ? 0 : k * Math.exp(-(t - last) / this.p.tau_minus);
  }
  send(tSpike: number, d: number, post: number[]): number {
    for (const tp of post) {
      if (tp > this.tLast - d + 1e-9 && tp <= tSpike - d + 1e-9) {
        const minusDt = this.tLast - (tp + d);
        this.w = this.facilitate(this.w, this.kplus * Math.exp(minusDt / this.p.tau_plus));
      }
    }
    this.w = this.depress(this.w, this.kMinus(post, tSpike - d));
    this.kplus = this.kplus * Math.exp((this.tLast - tSpike) / this.p.tau_plus) + 1;
    this.tLast = tSpike;
    return this.w;
  }
}

describe("stdp_synapse", () => {
  const m = synapse(loadModel("stdp_synapse"));
  test("NEST's parameter names and defaults", () => {
    const byName = Object.fromEntries(m.variables.map((v) => [v.name, v.defaultValue]));
    expect(byName).toMatchObject({ w: 1, tau_plus: 20, lambda: 0.01, alpha: 1, mu_plus: 1, mu_minus: 1, Wmax: 100 });
    expect(m.needsPostSpikes).toBe(true);
    expect(m.weightVariable).toBe("w");
  });

  test.each([
    [1.0, { mu_plus: 1, mu_minus: 1, alpha: 1 }],
    [1.5, { mu_plus: 0.4, mu_minus: 0.6, alpha: 1.05 }],
    [0.1, { mu_plus: 0, mu_minus: 0, alpha: 0.9 }],
  ])("weights at every presynaptic spike equal NEST's send() (dendritic delay %s ms)", (d, extra) => {
    const p = { tau_plus: 20, tau_minus: 25, lambda: 0.01, Wmax: 100, ...extra };
    const pop = m.instantiate(1);
    pop.prepare(0.1);
    for (const [k, v] of Object.entries(p)) pop.arrays[k]!.fill(v);
    pop.arrays.w!.fill(50);
    const ref = new NestStdp(50, p);
    // Deterministic pseudo-random spike trains on the 0.1 ms grid, with coincidences.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const post: number[] = [];
    let checked = 0;
    for (let step = 1; step < 4000; step++) {
      const t = step * 0.1;
      if (rnd() < 0.03) post.push(t); // the postsynaptic neuron archives its spike times
      if (rnd() < 0.03) {
        const w = pop.onPreSpike(0, t, Float64Array.from(post), post.length, d);
        const expected = ref.send(t, d, post);
        expect(Math.abs(w - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(pop.arrays.w![0]).not.toBe(50);
    expect(pop.arrays.w![0]).toBeGreaterThan(0); // not saturated: every comparison was informative
    expect(pop.arrays.w![0]).toBeLessThan(100);
  });
});
