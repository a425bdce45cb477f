/** The PyNEST-shaped surface: NodeCollection slicing/concat/get/set, status, progress. */
import { describe, expect, it } from "vitest";
import { Simulator, SimulationProgress } from "../../runtime/index.js";
import { setKernelHost, type MimeBundle } from "../../kernel/host.js";

describe("NodeCollection", () => {
  it("slices, concatenates and reports ids like PyNEST", () => {
    const sim = new Simulator({ progress: false });
    const a = sim.create("iaf_psc_delta", 5);
    const b = sim.create("iaf_psc_exp", 3);
    expect(Array.from(a.ids)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(b.ids)).toEqual([6, 7, 8]);
    expect(Array.from(a.slice(1, 4).ids)).toEqual([2, 3, 4]);
    expect(Array.from(a.slice(-2).ids)).toEqual([4, 5]);
    expect(Array.from(a.slice(0, 5, 2).ids)).toEqual([1, 3, 5]);
    const ab = a.slice(3).concat(b);
    expect(Array.from(ab.ids)).toEqual([4, 5, 6, 7, 8]);
    expect(ab.size).toBe(5);
    expect(() => a.concat(a)).toThrow(/overlap/);
    expect(String(a)).toMatch(/iaf_psc_delta/);
  });
  it("gets and sets across models, scalars and per-node arrays", () => {
    const sim = new Simulator({ progress: false });
    const a = sim.create("iaf_psc_delta", 2);
    const b = sim.create("iaf_psc_exp", 2);
    const ab = a.concat(b);
    ab.set({ V_m: [-60, -61, -62, -63] });
    expect(Array.from(ab.get("V_m") as Float64Array)).toEqual([-60, -61, -62, -63]);
    ab.set({ V_th: -40 });
    const r = ab.get(["V_th", "V_m"]) as Record<string, Float64Array>;
    expect(Array.from(r.V_th)).toEqual([-40, -40, -40, -40]);
    expect((a.get() as Record<string, unknown>).t_ref).toBeInstanceOf(Float64Array);
  });
  it("device parameters come back as values", () => {
    const sim = new Simulator({ progress: false });
    const sg = sim.create("spike_generator", 1, { spike_times: [1, 2] });
    expect(sg.get("spike_times")).toEqual([1, 2]);
    sg.set({ spike_times: [3] });
    expect(sg.get("spike_times")).toEqual([3]);
    const two = sim.create("spike_generator", 2);
    two.set([{ spike_times: [1] }, { spike_times: [2] }]);
    expect(two.get("spike_times")).toEqual([[1], [2]]);
  });
});

describe("simulator", () => {
  it("keeps time across simulate calls and reports its status", () => {
    const sim = new Simulator({ resolution: 0.1, progress: false });
    const n = sim.create("iaf_psc_delta", 10);
    sim.connect(n, n, { rule: "fixed_indegree", indegree: 2 }, { delay: 1.5 });
    sim.simulate(10);
    sim.simulate(2.5);
    expect(sim.time).toBeCloseTo(12.5, 12);
    const st = sim.getStatus();
    expect(st).toMatchObject({ resolution: 0.1, network_size: 10, num_connections: 20, min_delay: 1.5, max_delay: 1.5 });
  });
  it("keeps events in flight when a later connect grows the ring buffers", () => {
    const sim = new Simulator({ progress: false });
    const n = sim.create("iaf_psc_delta", 1, { tau_m: 1e9, C_m: 1e9 });
    const sg = sim.create("spike_generator", 1, { spike_times: [1.0] });
    sim.connect(sg, n, "all_to_all", { weight: 2, delay: 1.0 });
    sim.simulate(1.5); // the spike is in flight, due at 2.0 ms
    const sg2 = sim.create("spike_generator", 1, { spike_times: [3.0] });
    sim.connect(sg2, n, "all_to_all", { weight: 3, delay: 7.5 });
    sim.simulate(1.0);
    expect((n.get("V_m") as Float64Array)[0]).toBeCloseTo(-68, 6);
    sim.simulate(8.0);
    expect((n.get("V_m") as Float64Array)[0]).toBeCloseTo(-65, 6);
  });
  it("shows progress through the kernel host in place (display, then updateDisplay)", () => {
    const calls: { kind: string; bundle: MimeBundle; id?: string }[] = [];
    setKernelHost({
      display: (bundle, id) => calls.push({ kind: "display", bundle, id }),
      updateDisplay: (bundle, id) => calls.push({ kind: "update", bundle, id }),
    });
    const saved = SimulationProgress.showAfterMs;
    SimulationProgress.showAfterMs = 0;
    try {
      const sim = new Simulator({ progress: true });
      const n = sim.create("iaf_psc_delta", 2000);
      const pg = sim.create("poisson_generator", 1, { rate: 10000 });
      sim.connect(pg, n, "all_to_all", { weight: 1, delay: 0.1 });
      sim.simulate(300);
      // a second call makes a new bar
      sim.simulate(300);
    } finally {
      setKernelHost(undefined);
      SimulationProgress.showAfterMs = saved;
    }
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0].kind).toBe("display");
    const ids = new Set(calls.map((c) => c.id));
    for (const c of calls) expect(Object.keys(c.bundle.data)).toEqual(expect.arrayContaining(["text/plain", "text/html"]));
    expect(calls.filter((c) => c.kind === "display").length).toBe(ids.size);
  });
});
