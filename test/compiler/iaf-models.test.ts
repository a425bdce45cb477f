/**
 * Exact single-neuron traces of the bundled iaf models against analytic solutions, at dt = 0.1 and
 * 0.5 ms, driven directly through PopulationIO (no runtime). Tolerance 1e-9 mV.
 */
import { describe, expect, test } from "vitest";
import { Driver, loadModel, neuron } from "./harness.js";

const TOL = 1e-9;
const delta = neuron(loadModel("iaf_psc_delta"));
const exp = neuron(loadModel("iaf_psc_exp"));
const alpha = neuron(loadModel("iaf_psc_alpha"));

// NEST defaults
const C = 250, TAU = 10, EL = -70, VTH = -55, VRESET = -70, TREF = 2;

describe.each([0.1, 0.5])("iaf_psc_delta at dt = %s ms", (dt) => {
  test("defaults are NEST's", () => {
    const byName = Object.fromEntries(delta.variables.map((v) => [v.name, v.defaultValue]));
    expect(byName).toMatchObject({ C_m: 250, tau_m: 10, t_ref: 2, E_L: -70, V_reset: -70, V_th: -55, I_e: 0, V_m: -70 });
    expect(byName.V_min).toBe(-Number.MAX_VALUE);
    expect(delta.variables.find((v) => v.name === "V_m")!.unit).toBe("mV");
    expect(delta.variables.find((v) => v.name === "C_m")!.unit).toBe("pF");
    expect(delta.ports.map((p) => [p.name, p.kind, p.receptor, p.unit])).toEqual([["spikes", "spike", 0, "mV"], ["I_stim", "continuous", 0, "pA"]]);
  });

  test("constant I_e: V(t) = E_L + I_e R (1 - e^{-t/τ}), spike times from the closed form, refractory clamp", () => {
    const Ie = 500; // pA: drives V above threshold (I_e R = 20 mV)
    const R = TAU / C;
    const d = new Driver(delta, 1, dt, { I_e: Ie });
    const nref = Math.round(TREF / dt);
    // Analytic, piecewise: start point (V0, t0) after each reset, clamped for nref steps.
    let v0 = EL;
    let s0 = 0; // first step integrating from v0
    let refractoryUntil = -1;
    const expectedSpikes: number[] = [];
    let maxErr = 0;
    d.run(Math.round(100 / dt), (s) => {
      let expected: number;
      if (s <= refractoryUntil) expected = VRESET;
      else {
        const t = (s - s0 + 1) * dt;
        expected = EL + (v0 - EL) * Math.exp(-t / TAU) + Ie * R * (1 - Math.exp(-t / TAU));
        if (expected >= VTH) {
          expectedSpikes.push(s);
          refractoryUntil = s + nref;
          v0 = VRESET;
          s0 = s + nref + 1;
          expected = VRESET;
        }
      }
      maxErr = Math.max(maxErr, Math.abs(d.get("V_m") - expected));
    });
    expect(maxErr).toBeLessThan(TOL);
    expect(d.events.map((e) => e.step)).toEqual(expectedSpikes);
    // First spike: the first grid time at or after t* = -τ ln(1 - (V_th - E_L)/(I_e R)).
    const tStar = -TAU * Math.log(1 - (VTH - EL) / (Ie * R));
    expect(expectedSpikes[0]).toBe(Math.ceil(tStar / dt - 1e-9) - 1);
    expect(expectedSpikes.length).toBeGreaterThan(2);
  });

  test("an input spike of w mV jumps V_m by w in its arrival step and decays with τ_m", () => {
    const d = new Driver(delta, 1, dt);
    const arrival = 5;
    d.spike("spikes", arrival, 3.5);
    let maxErr = 0;
    d.run(60, (s) => {
      const expected = s < arrival ? EL : EL + 3.5 * Math.exp(-((s - arrival) * dt) / TAU);
      maxErr = Math.max(maxErr, Math.abs(d.get("V_m") - expected));
    });
    expect(maxErr).toBeLessThan(TOL);
  });

  test("input during refractoriness is discarded; after it, integration resumes from V_reset", () => {
    const d = new Driver(delta, 1, dt);
    const nref = Math.round(TREF / dt);
    d.spike("spikes", 2, 20); // -50 mV >= V_th: spike in step 2
    for (let s = 3; s <= 2 + nref; s++) d.spike("spikes", s, 1); // all discarded
    d.spike("spikes", 3 + nref, 2); // first step after the refractory period: counts
    const trace: number[] = [];
    d.run(nref + 10, () => trace.push(d.get("V_m")));
    expect(d.events.map((e) => e.step)).toEqual([2]);
    for (let s = 2; s <= 2 + nref; s++) expect(trace[s]).toBe(VRESET);
    for (let s = 3 + nref; s < trace.length; s++) {
      const expected = VRESET + 2 * Math.exp(-((s - 3 - nref) * dt) / TAU);
      expect(Math.abs(trace[s]! - expected)).toBeLessThan(TOL);
    }
  });

  test("refractory_input = true collects refractory input with its decay and adds it when the period ends", () => {
    const d = new Driver(delta, 1, dt, { refractory_input: 1 });
    const nref = Math.round(TREF / dt);
    d.spike("spikes", 2, 20);
    d.spike("spikes", 4, 1.5); // r = nref - 1 at that step (decremented once in step 3)
    const trace: number[] = [];
    d.run(nref + 8, () => trace.push(d.get("V_m")));
    const r = nref - 1;
    const buffered = 1.5 * Math.exp((-r * dt) / TAU);
    const resume = 3 + nref; // first non-refractory step
    expect(trace[resume - 1]).toBe(VRESET);
    expect(Math.abs(trace[resume]! - (VRESET + buffered))).toBeLessThan(TOL);
  });

  test("a current arriving in step s acts from step s+1 on (NEST's CurrentEvent timing), V_min bounds V", () => {
    const d = new Driver(delta, 1, dt, { V_min: -72 });
    const on = 3;
    const R = TAU / C;
    let maxErr = 0;
    d.current("I_stim", on, -500);
    d.run(150, (s) => {
      if (s >= on) d.current("I_stim", s + 1, -500); // a dc source delivers every step
      const t = Math.max(0, (s - on) * dt);
      const expected = Math.max(-72, EL - 500 * R * (1 - Math.exp(-t / TAU)));
      maxErr = Math.max(maxErr, Math.abs(d.get("V_m") - expected));
    });
    expect(maxErr).toBeLessThan(TOL);
  });
});

/** V - E_L of the exponential-current PSP for a weight w (pA) arriving at time 0. */
function pspExp(w: number, t: number, tauS: number): number {
  if (Math.abs(tauS - TAU) < 1e-12) return (w / C) * t * Math.exp(-t / TAU);
  return ((w / C) * tauS * TAU / (TAU - tauS)) * (Math.exp(-t / TAU) - Math.exp(-t / tauS));
}

/** V - E_L of the alpha-current PSP, I(t) = w e/τs t e^{-t/τs}. */
function pspAlpha(w: number, t: number, tauS: number): number {
  const a = 1 / tauS - 1 / TAU;
  const integral = Math.abs(a) < 1e-12 ? (t * t) / 2 : 1 / (a * a) - Math.exp(-a * t) * (t / a + 1 / (a * a));
  return ((w * Math.E) / (tauS * C)) * Math.exp(-t / TAU) * integral;
}

describe.each([0.1, 0.5])("PSP shapes at dt = %s ms", (dt) => {
  test.each([2, 10])("iaf_psc_exp, tau_syn = %s ms (10 = tau_m: no singularity)", (tauS) => {
    const d = new Driver(exp, 1, dt, { tau_syn_ex: tauS, tau_syn_in: tauS });
    const arrival = 4;
    d.spike("exc_spikes", arrival, 100);
    d.spike("inh_spikes", arrival + 10, 40); // the runtime routes negative weights here, sign flipped
    let maxErr = 0;
    let maxErrI = 0;
    d.run(Math.round(60 / dt), (s) => {
      const te = (s - arrival) * dt;
      const ti = (s - arrival - 10) * dt;
      const expected = EL + (te > 0 ? pspExp(100, te, tauS) : 0) - (ti > 0 ? pspExp(40, ti, tauS) : 0);
      maxErr = Math.max(maxErr, Math.abs(d.get("V_m") - expected));
      const iex = te >= 0 ? 100 * Math.exp(-te / tauS) : 0;
      const iin = ti >= 0 ? -40 * Math.exp(-ti / tauS) : 0;
      maxErrI = Math.max(maxErrI, Math.abs(d.get("I_syn_ex") - iex), Math.abs(d.get("I_syn_in") - iin));
    });
    expect(maxErr).toBeLessThan(TOL);
    expect(maxErrI).toBeLessThan(TOL);
  });

  test.each([2, 10])("iaf_psc_alpha, tau_syn = %s ms", (tauS) => {
    const d = new Driver(alpha, 1, dt, { tau_syn_ex: tauS, tau_syn_in: tauS });
    const arrival = 3;
    d.spike("exc_spikes", arrival, 80);
    d.spike("inh_spikes", arrival + 7, 30);
    let maxErr = 0;
    let maxErrI = 0;
    d.run(Math.round(60 / dt), (s) => {
      const te = (s - arrival) * dt;
      const ti = (s - arrival - 7) * dt;
      const expected = EL + (te > 0 ? pspAlpha(80, te, tauS) : 0) - (ti > 0 ? pspAlpha(30, ti, tauS) : 0);
      maxErr = Math.max(maxErr, Math.abs(d.get("V_m") - expected));
      const iex = te >= 0 ? 80 * (Math.E / tauS) * te * Math.exp(-te / tauS) : 0;
      const iin = ti >= 0 ? -30 * (Math.E / tauS) * ti * Math.exp(-ti / tauS) : 0;
      maxErrI = Math.max(maxErrI, Math.abs(d.get("I_syn_ex") - iex), Math.abs(d.get("I_syn_in") - iin));
    });
    expect(maxErr).toBeLessThan(TOL);
    expect(maxErrI).toBeLessThan(1e-9);
  });

  test("iaf_psc_exp: V clamped while refractory, currents keep decaying", () => {
    const d = new Driver(exp, 1, dt);
    const nref = Math.round(TREF / dt);
    d.spike("exc_spikes", 1, 1e5); // huge current: spike in step 2
    const v: number[] = [];
    const i: number[] = [];
    d.run(nref + 6, () => {
      v.push(d.get("V_m"));
      i.push(d.get("I_syn_ex"));
    });
    const first = d.events[0]!.step;
    expect(first).toBe(2);
    for (let s = first; s <= first + nref; s++) expect(v[s]).toBe(VRESET);
    for (let s = 1; s < i.length; s++) expect(Math.abs(i[s]! - 1e5 * Math.exp(-((s - 1) * dt) / 2))).toBeLessThan(1e-9 * 1e5);
    // integration resumes right after the refractory period (it may spike again at once)
    expect(v[first + nref + 1]! > VRESET || d.events[1]?.step === first + nref + 1).toBe(true);
  });
});

test("populations: each neuron keeps its own parameters (heterogeneous propagators)", () => {
  const d = new Driver(exp, 3, 0.1);
  d.pop.arrays.tau_m![1] = 20;
  d.pop.arrays.tau_syn_ex![2] = 5;
  d.pop.prepare(0.1);
  for (let i = 0; i < 3; i++) d.spike("exc_spikes", 0, 50, i);
  d.run(100);
  const t = 99 * 0.1; // spike applied at the end of step 0, last step 99
  const psp = (tauM: number, tauS: number) => ((50 / C) * tauS * tauM / (tauM - tauS)) * (Math.exp(-t / tauM) - Math.exp(-t / tauS));
  expect(Math.abs(d.get("V_m", 0) - (EL + psp(10, 2)))).toBeLessThan(TOL);
  expect(Math.abs(d.get("V_m", 1) - (EL + psp(20, 2)))).toBeLessThan(TOL);
  expect(Math.abs(d.get("V_m", 2) - (EL + psp(10, 5)))).toBeLessThan(TOL);
});
