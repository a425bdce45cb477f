/** Same seed ⇒ bit-identical spikes; different seed ⇒ different spikes; split runs equal one run. */
import { describe, expect, it } from "vitest";
import { Simulator } from "../../runtime/index.js";

function brunelSmall(seed: number, chunks: number[] = [300]) {
  const sim = new Simulator({ seed, progress: false });
  const p = { C_m: 1, tau_m: 20, t_ref: 2, E_L: 0, V_reset: 0, V_m: 0, V_th: 20 };
  const E = sim.create("iaf_psc_delta", 400, p);
  const I = sim.create("iaf_psc_delta", 100, p);
  const all = E.concat(I);
  const noise = sim.create("poisson_generator", 1, { rate: 20000 });
  sim.connect(noise, all, "all_to_all", { weight: 0.1, delay: 1.5 });
  sim.connect(E, all, { rule: "fixed_indegree", indegree: 40 }, { weight: 0.1, delay: 1.5 });
  sim.connect(I, all, { rule: "fixed_indegree", indegree: 10 }, { weight: { distribution: "normal", mu: -0.5, sigma: 0.05 }, delay: 1.5 });
  const sr = sim.create("spike_recorder");
  sim.connect(all, sr);
  for (const c of chunks) sim.simulate(c);
  return sr.get("events") as { senders: Int32Array; times: Float64Array };
}

describe("determinism", () => {
  it("same seed gives bit-identical spikes", () => {
    const a = brunelSmall(42);
    const b = brunelSmall(42);
    expect(a.senders.length).toBeGreaterThan(1000);
    expect(Buffer.from(a.senders.buffer).equals(Buffer.from(b.senders.buffer))).toBe(true);
    expect(Buffer.from(a.times.buffer).equals(Buffer.from(b.times.buffer))).toBe(true);
  });
  it("a different seed gives different spikes", () => {
    const a = brunelSmall(42);
    const b = brunelSmall(43);
    const same = a.senders.length === b.senders.length && a.senders.every((s, i) => s === b.senders[i]);
    expect(same).toBe(false);
  });
  it("simulate in pieces equals one call", () => {
    const a = brunelSmall(5, [300]);
    const b = brunelSmall(5, [100, 0.1, 99.9, 100]);
    expect(Array.from(b.senders)).toEqual(Array.from(a.senders));
    expect(Array.from(b.times)).toEqual(Array.from(a.times));
  });
});
