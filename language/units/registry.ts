/**
 * Unit names the language knows: SI base and derived units, litre and molar, each with every SI
 * prefix. `min` is deliberately absent (it is the `min()` function), as in NESTML; so are `h`
 * (hour: clashes with hecto- and with gating variables) and `d` (day: NESTML issue #1010).
 */
import { makeUnit, type Unit } from "./dimension.js";

//                   m  kg  s  A  K mol cd
const NAMED: ReadonlyArray<readonly [string, readonly number[], number]> = [
  ["m", [1, 0, 0, 0, 0, 0, 0], 1],
  ["g", [0, 1, 0, 0, 0, 0, 0], 1e-3],
  ["s", [0, 0, 1, 0, 0, 0, 0], 1],
  ["A", [0, 0, 0, 1, 0, 0, 0], 1],
  ["K", [0, 0, 0, 0, 1, 0, 0], 1],
  ["mol", [0, 0, 0, 0, 0, 1, 0], 1],
  ["cd", [0, 0, 0, 0, 0, 0, 1], 1],
  ["Hz", [0, 0, -1, 0, 0, 0, 0], 1],
  ["N", [1, 1, -2, 0, 0, 0, 0], 1],
  ["Pa", [-1, 1, -2, 0, 0, 0, 0], 1],
  ["J", [2, 1, -2, 0, 0, 0, 0], 1],
  ["W", [2, 1, -3, 0, 0, 0, 0], 1],
  ["C", [0, 0, 1, 1, 0, 0, 0], 1],
  ["V", [2, 1, -3, -1, 0, 0, 0], 1],
  ["F", [-2, -1, 4, 2, 0, 0, 0], 1],
  ["Ohm", [2, 1, -3, -2, 0, 0, 0], 1],
  ["ohm", [2, 1, -3, -2, 0, 0, 0], 1],
  ["S", [-2, -1, 3, 2, 0, 0, 0], 1],
  ["Wb", [2, 1, -2, -1, 0, 0, 0], 1],
  ["T", [0, 1, -2, -1, 0, 0, 0], 1],
  ["H", [2, 1, -2, -2, 0, 0, 0], 1],
  ["Bq", [0, 0, -1, 0, 0, 0, 0], 1],
  ["Gy", [2, 0, -2, 0, 0, 0, 0], 1],
  ["Sv", [2, 0, -2, 0, 0, 0, 0], 1],
  ["kat", [0, 0, -1, 0, 0, 1, 0], 1],
  ["lm", [0, 0, 0, 0, 0, 0, 1], 1],
  ["lx", [-2, 0, 0, 0, 0, 0, 1], 1],
  ["L", [3, 0, 0, 0, 0, 0, 0], 1e-3],
  ["l", [3, 0, 0, 0, 0, 0, 0], 1e-3],
  ["M", [-3, 0, 0, 0, 0, 1, 0], 1e3], // molar = mol/L
];

export const PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ["da", 1e1], ["Y", 1e24], ["Z", 1e21], ["E", 1e18], ["P", 1e15], ["T", 1e12], ["G", 1e9], ["M", 1e6],
  ["k", 1e3], ["h", 1e2], ["d", 1e-1], ["c", 1e-2], ["m", 1e-3], ["u", 1e-6], ["n", 1e-9], ["p", 1e-12],
  ["f", 1e-15], ["a", 1e-18], ["z", 1e-21], ["y", 1e-24],
];

/** Names excluded even though prefix + base would form them. */
const EXCLUDED = new Set(["min", "h", "d"]);

const table = new Map<string, Unit>();
for (const [name, dims, scale] of NAMED) table.set(name, makeUnit(dims, scale));
for (const [name, dims, scale] of NAMED) {
  for (const [prefix, factor] of PREFIXES) {
    const full = prefix + name;
    if (!table.has(full) && !EXCLUDED.has(full)) table.set(full, makeUnit(dims, scale * factor));
  }
}

/**
 * Long names (astropy's aliases, which NESTML registers too): `Volt`, `siemens`, `millivolt`. Only
 * names unlikely to be variable names are included (no `amp`, `second`, `meter`, `gram`, `mole`).
 */
const LONG_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["Volt", "V"], ["volt", "V"], ["Ampere", "A"], ["ampere", "A"], ["Siemens", "S"], ["siemens", "S"],
  ["Farad", "F"], ["farad", "F"], ["Hertz", "Hz"], ["hertz", "Hz"], ["Watt", "W"], ["watt", "W"],
  ["Joule", "J"], ["joule", "J"], ["Coulomb", "C"], ["coulomb", "C"], ["Newton", "N"], ["newton", "N"],
  ["Kelvin", "K"], ["kelvin", "K"], ["Henry", "H"], ["henry", "H"], ["Tesla", "T"], ["tesla", "T"],
  ["Weber", "Wb"], ["weber", "Wb"], ["Pascal", "Pa"], ["pascal", "Pa"], ["candela", "cd"],
];
const LONG_PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ["kilo", 1e3], ["mega", 1e6], ["giga", 1e9], ["milli", 1e-3], ["micro", 1e-6], ["nano", 1e-9], ["pico", 1e-12], ["femto", 1e-15],
];
for (const [long, short] of LONG_NAMES) {
  const base = table.get(short)!;
  table.set(long, base);
  if (long[0] === long[0]!.toLowerCase()) {
    for (const [prefix, factor] of LONG_PREFIXES) table.set(prefix + long, { dims: base.dims, scale: base.scale * factor });
  }
}

/** The unit called `name` (`mV`, `GOhm`, `mmol`), or undefined. */
export function lookupUnit(name: string): Unit | undefined {
  return table.get(name);
}

export function isUnitName(name: string): boolean {
  return table.has(name);
}

/** Every known unit name (for did-you-mean suggestions). */
export function allUnitNames(): IterableIterator<string> {
  return table.keys();
}

/**
 * Units neuron models use, offered first when a typo matches several names equally well: `mv` is
 * far more likely mV than MV (megavolt), `pa` pA rather than Pa (pascal), `pf` pF rather than PF.
 */
const COMMON_UNITS = ["mV", "ms", "pA", "nA", "pF", "nS", "uS", "mS", "Hz", "GOhm", "MOhm", "s", "V", "A", "F", "S", "Ohm", "mmol"];

/** Unit names in suggestion order: the common neuroscience units, then every other known unit. */
export function unitNamesForSuggestions(): string[] {
  const common = COMMON_UNITS.filter((u) => table.has(u));
  const seen = new Set(common);
  return [...common, ...[...table.keys()].filter((u) => !seen.has(u))];
}
