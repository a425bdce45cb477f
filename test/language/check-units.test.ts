import { describe, expect, it } from "vitest";
import {
  divideUnits, formatUnit, kernelUnitName, lookupUnit, multiplyUnits, powerUnit, sameDimension, toKernelScale,
} from "../../language/units/index.js";

const u = (name: string) => {
  const unit = lookupUnit(name);
  if (!unit) throw new Error(`no unit ${name}`);
  return unit;
};

describe("unit system", () => {
  it("knows SI units with prefixes and excludes min/h/d", () => {
    for (const n of ["mV", "V", "pA", "nA", "A", "S", "nS", "F", "pF", "Ohm", "GOhm", "MOhm", "Hz", "kHz", "s", "ms", "g", "kg", "mol", "mmol", "M", "mM", "L", "W", "J", "C", "um"]) {
      expect(lookupUnit(n), n).toBeDefined();
    }
    expect(lookupUnit("min")).toBeUndefined();
    expect(lookupUnit("h")).toBeUndefined();
    expect(lookupUnit("d")).toBeUndefined();
    expect(lookupUnit("volts")).toBeUndefined();
    expect(lookupUnit("Volt")).toEqual(lookupUnit("V"));
    expect(lookupUnit("millivolt")).toEqual(lookupUnit("mV"));
  });

  it("derives compatible dimensions", () => {
    expect(sameDimension(multiplyUnits(u("nS"), u("mV")), u("pA"))).toBe(true);
    expect(sameDimension(divideUnits(u("mV"), u("GOhm")), u("pA"))).toBe(true);
    expect(sameDimension(u("Hz"), powerUnit(u("s"), -1))).toBe(true);
    expect(sameDimension(u("mV"), u("pA"))).toBe(false);
    expect(sameDimension(multiplyUnits(u("pF"), u("mV")), multiplyUnits(u("pA"), u("ms")))).toBe(true);
  });

  it("converts to the kernel scale (ms, mV, pA, pF, nS, GOhm, Hz)", () => {
    const cases: Array<[string, number]> = [
      ["ms", 1], ["s", 1000], ["mV", 1], ["V", 1000], ["pA", 1], ["nA", 1000], ["pF", 1], ["nF", 1000],
      ["nS", 1], ["uS", 1000], ["GOhm", 1], ["MOhm", 1e-3], ["Hz", 1], ["kHz", 1000], ["um", 1], ["mM", 1],
    ];
    for (const [name, factor] of cases) expect(toKernelScale(u(name)), name).toBeCloseTo(factor, 9);
    expect(toKernelScale(divideUnits(u("mV"), u("s")))).toBeCloseTo(1e-3, 12);
    expect(toKernelScale(powerUnit(u("ms"), -1))).toBeCloseTo(1000, 9);
    expect(toKernelScale(powerUnit(u("ms"), -1), { ratesInHz: false })).toBeCloseTo(1, 12);
    expect(kernelUnitName(u("V"))).toBe("mV");
    expect(kernelUnitName(u("uS"))).toBe("nS");
    expect(kernelUnitName(u("kHz"))).toBe("Hz");
  });

  it("formats units for messages", () => {
    expect(formatUnit(u("mV"))).toBe("mV");
    expect(formatUnit(divideUnits(u("mV"), u("ms")))).toBe("mV/ms");
    expect(formatUnit(powerUnit(u("ms"), -1))).toBe("1/ms");
    expect(formatUnit(powerUnit(u("nS"), 2))).toBe("nS**2");
    expect(formatUnit(divideUnits(u("mV"), u("mV")))).toBe("1");
    expect(formatUnit(u("GOhm"))).toBe("GOhm");
    expect(formatUnit(divideUnits(powerUnit(u("pA"), 2), u("ms")))).toBe("pA**2/ms");
    expect(formatUnit(powerUnit(u("ms"), -2))).toBe("1/ms**2");
    expect(formatUnit(multiplyUnits(u("pA"), u("ms")))).toBe("fC");
    expect(formatUnit(multiplyUnits(u("mV"), u("ms")))).toBe("mV*ms");
  });
});

import { parse } from "../../language/parse.js";
import { unitOf } from "../../language/units/index.js";
import type { Declaration, VariableBlock } from "../../language/ast.js";

describe("unitOf(type expression)", () => {
  const src = `model u_neuron:
    parameters:
        a mV/ms = 1 mV/ms
        b 1/ms = 1 / ms
        c ms**-1 = 1 / ms
        d nS**2 = 1 nS**2
        e2 nS**(1/2) = 1 nS**(1/2)
        f real = 1
        g boolean = true
        h (pA*GOhm)/s = 1 mV / s
`;
  const block = parse(src).file.models[0]!.blocks[0] as VariableBlock;
  const type = (name: string) => (block.declarations.find((d: Declaration) => d.names[0]!.name.name === name)!).type;

  it("evaluates unit expressions with products, quotients and rational exponents", () => {
    expect(formatUnit(unitOf(type("a"))!)).toBe("mV/ms");
    expect(unitOf(type("b"))).toEqual(unitOf(type("c")));
    expect(toKernelScale(unitOf(type("b"))!)).toBeCloseTo(1000, 9); // 1/ms = 1000 Hz
    expect(formatUnit(unitOf(type("d"))!)).toBe("nS**2");
    expect(unitOf(type("e2"))!.dims).toEqual(powerUnit(u("nS"), 0.5).dims);
    expect(unitOf(type("f"))!.dims.every((x) => x === 0)).toBe(true);
    expect(unitOf(type("g"))).toBeUndefined();
    expect(sameDimension(unitOf(type("h"))!, divideUnits(u("mV"), u("s")))).toBe(true);
    expect(toKernelScale(unitOf(type("h"))!, { ratesInHz: false })).toBeCloseTo(1e-3, 12);
  });
});
