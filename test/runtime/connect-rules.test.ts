/** Connection rules: counts and constraints (autapses, multapses, exact degrees, Bernoulli statistics). */
import { describe, expect, it } from "vitest";
import { Simulator, type NodeCollection } from "../../runtime/index.js";

function setup(n = 40, seed = 7) {
  const sim = new Simulator({ seed, progress: false });
  const nodes = sim.create("iaf_psc_delta", n);
  return { sim, nodes };
}

function pairs(sim: Simulator, source?: NodeCollection, target?: NodeCollection) {
  const c = sim.getConnections({ ...(source ? { source } : {}), ...(target ? { target } : {}) });
  return { s: c.get("source") as Int32Array, t: c.get("target") as Int32Array, c };
}

function countBy(a: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of a) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

describe("all_to_all", () => {
  it("connects every pair once, autapses included by default", () => {
    const { sim, nodes } = setup(10);
    sim.connect(nodes, nodes);
    const { s, t } = pairs(sim);
    expect(s.length).toBe(100);
    expect(new Set(Array.from(s, (x, i) => `${x}-${t[i]}`)).size).toBe(100);
  });
  it("leaves out autapses when allow_autapses is false", () => {
    const { sim, nodes } = setup(10);
    sim.connect(nodes, nodes, { rule: "all_to_all", allow_autapses: false });
    const { s, t } = pairs(sim);
    expect(s.length).toBe(90);
    for (let i = 0; i < s.length; i++) expect(s[i]).not.toBe(t[i]);
  });
  it("takes a [post][pre] weight matrix", () => {
    const { sim, nodes } = setup(6);
    const pre = nodes.slice(0, 2);
    const post = nodes.slice(2, 5);
    const W = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    sim.connect(pre, post, "all_to_all", { weight: W });
    const { s, t, c } = pairs(sim);
    const w = c.get("weight") as Float64Array;
    for (let k = 0; k < s.length; k++) expect(w[k]).toBe(W[t[k] - post.ids[0]][s[k] - pre.ids[0]]);
  });
});

describe("one_to_one", () => {
  it("pairs the i-th pre with the i-th post, with per-connection arrays", () => {
    const { sim, nodes } = setup(10);
    const pre = nodes.slice(0, 5);
    const post = nodes.slice(5, 10);
    sim.connect(pre, post, "one_to_one", { weight: [1, 2, 3, 4, 5], delay: [0.1, 0.2, 0.3, 0.4, 0.5] });
    const { s, t, c } = pairs(sim);
    expect(s.length).toBe(5);
    const w = c.get("weight") as Float64Array;
    const d = c.get("delay") as Float64Array;
    for (let k = 0; k < 5; k++) {
      expect(t[k] - post.ids[0]).toBe(s[k] - pre.ids[0]);
      expect(w[k]).toBe(s[k] - pre.ids[0] + 1);
      expect(d[k]).toBeCloseTo((s[k] - pre.ids[0] + 1) / 10, 12);
    }
  });
});

describe("fixed_indegree", () => {
  it("gives every target exactly the in-degree (multapses allowed)", () => {
    const { sim, nodes } = setup(50);
    sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 30 });
    const { t } = pairs(sim);
    const c = countBy(t);
    expect(c.size).toBe(50);
    for (const v of c.values()) expect(v).toBe(30);
  });
  it("draws without replacement and without self-connections when asked", () => {
    const { sim, nodes } = setup(20);
    sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 19, allow_autapses: false, allow_multapses: false });
    const { s, t } = pairs(sim);
    expect(s.length).toBe(20 * 19);
    const keys = new Set(Array.from(s, (x, i) => `${x}-${t[i]}`));
    expect(keys.size).toBe(s.length);
    for (let i = 0; i < s.length; i++) expect(s[i]).not.toBe(t[i]);
  });
  it("rejects an in-degree larger than the sources without multapses", () => {
    const { sim, nodes } = setup(5);
    expect(() => sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 6, allow_multapses: false })).toThrow(/indegree/);
  });
  it("draws sources uniformly", () => {
    const { sim, nodes } = setup(20);
    sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 500 });
    const c = countBy(pairs(sim).s);
    // each source expected 500 times (20 targets × 500 / 20 sources), sd ≈ 21.8
    for (const v of c.values()) expect(Math.abs(v - 500)).toBeLessThan(5 * 21.8);
  });
});

describe("fixed_outdegree", () => {
  it("gives every source exactly the out-degree", () => {
    const { sim, nodes } = setup(30);
    sim.connect(nodes, nodes, { rule: "fixed_outdegree", outdegree: 7, allow_multapses: false, allow_autapses: false });
    const { s, t } = pairs(sim);
    const c = countBy(s);
    for (const v of c.values()) expect(v).toBe(7);
    expect(new Set(Array.from(s, (x, i) => `${x}-${t[i]}`)).size).toBe(s.length);
    for (let i = 0; i < s.length; i++) expect(s[i]).not.toBe(t[i]);
  });
});

describe("fixed_total_number", () => {
  it("creates exactly N connections, unique pairs without multapses", () => {
    const { sim, nodes } = setup(15);
    sim.connect(nodes, nodes, { rule: "fixed_total_number", N: 150, allow_multapses: false });
    const { s, t } = pairs(sim);
    expect(s.length).toBe(150);
    expect(new Set(Array.from(s, (x, i) => `${x}-${t[i]}`)).size).toBe(150);
  });
  it("rejects N above the possible pairs without multapses", () => {
    const { sim, nodes } = setup(3);
    expect(() => sim.connect(nodes, nodes, { rule: "fixed_total_number", N: 10, allow_multapses: false })).toThrow();
  });
});

describe("pairwise_bernoulli", () => {
  it("connects each pair with probability p (binomial count, no multapses)", () => {
    const { sim, nodes } = setup(200);
    const p = 0.1;
    sim.connect(nodes, nodes, { rule: "pairwise_bernoulli", p, allow_autapses: false });
    const { s, t } = pairs(sim);
    const n = 200 * 199;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(s.length - n * p)).toBeLessThan(4 * sd);
    expect(new Set(Array.from(s, (x, i) => `${x}-${t[i]}`)).size).toBe(s.length);
    for (let i = 0; i < s.length; i++) expect(s[i]).not.toBe(t[i]);
    // in-degrees are Binomial(199, p): mean ≈ 19.9
    const indeg = countBy(t);
    let mean = 0;
    for (const v of indeg.values()) mean += v / 200;
    expect(Math.abs(mean - 19.9)).toBeLessThan(1);
  });
  it("p = 0 and p = 1 are exact", () => {
    const { sim, nodes } = setup(10);
    sim.connect(nodes, nodes, { rule: "pairwise_bernoulli", p: 0 });
    expect(sim.getStatus().num_connections).toBe(0);
    sim.connect(nodes, nodes, { rule: "pairwise_bernoulli", p: 1 });
    expect(sim.getStatus().num_connections).toBe(100);
  });
});

describe("values", () => {
  it("draws weights from distributions and rounds drawn delays to the grid", () => {
    const { sim, nodes } = setup(100);
    sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 50 }, {
      weight: { distribution: "normal", mu: 2, sigma: 0.5 },
      delay: { distribution: "uniform", low: 1, high: 3 },
    });
    const c = sim.getConnections();
    const w = c.get("weight") as Float64Array;
    let mean = 0;
    for (const x of w) mean += x / w.length;
    let v = 0;
    for (const x of w) v += (x - mean) ** 2 / w.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(v)).toBeCloseTo(0.5, 1);
    for (const d of c.get("delay") as Float64Array) {
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(3);
      expect(Math.abs(d * 10 - Math.round(d * 10))).toBeLessThan(1e-9);
    }
  });
  it("getConnections(...).set changes weights; homogeneous storage is 4 bytes per synapse", () => {
    const { sim, nodes } = setup(100);
    sim.connect(nodes, nodes, { rule: "fixed_indegree", indegree: 100 }, { weight: 0.1, delay: 1.5 });
    const st = sim.getStatus();
    expect(st.connection_bytes / st.num_connections).toBeLessThan(4.1);
    const c = sim.getConnections({ source: nodes.slice(0, 10) });
    c.set({ weight: 0.7 });
    const all = sim.getConnections();
    const s = all.get("source") as Int32Array;
    const w = all.get("weight") as Float64Array;
    for (let k = 0; k < s.length; k++) expect(w[k]).toBe(s[k] < nodes.ids[10] ? 0.7 : 0.1);
  });
});

describe("weight storage", () => {
  function bytesPerSynapse(weights: number[], precision?: "auto" | "float32" | "float64") {
    const sim = new Simulator({ progress: false, ...(precision ? { weightPrecision: precision } : {}) });
    const n = sim.create("iaf_psc_delta", 100);
    const W = Array.from({ length: 100 }, (_, j) => Array.from({ length: 100 }, (_, i) => weights[(i + j) % weights.length]));
    sim.connect(n, n, "all_to_all", { weight: W });
    const st = sim.getStatus();
    const back = sim.getConnections().get("weight") as Float64Array;
    return { bytes: (st.connection_bytes - 101 * 4) / st.num_connections, back };
  }
  it("uses float32 only when lossless, float64 otherwise, float32 on request", () => {
    expect(bytesPerSynapse([0.5, 0.25]).bytes).toBe(8);
    const f64 = bytesPerSynapse([0.1, 0.2]);
    expect(f64.bytes).toBe(12);
    expect(f64.back[0]).toBe(0.1);
    const f32 = bytesPerSynapse([0.1, 0.2], "float32");
    expect(f32.bytes).toBe(8);
    expect(f32.back[0]).toBe(Math.fround(0.1));
  });
});
