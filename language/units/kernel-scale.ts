/**
 * The kernel scale: the units the runtime stores and the API shows (ms, mV, pA, pF, nS, GOhm, Hz,
 * um, mM). ms, mV and pA (plus um, K, mmol-per-litre, cd) form a coherent system, so every derived
 * unit falls out of them (pA/mV = nS, pA*ms/mV = pF, mV/pA = GOhm). A pure rate (1/time) is the one
 * exception: the API shows it in Hz, so `toKernelScale` maps it to Hz unless `ratesInHz` is false
 * (the compiler wants 1/ms inside ODE right-hand sides).
 */
import { BASE_DIMENSIONS, isDimensionless, makeUnit, type Unit } from "./dimension.js";
import { lookupUnit } from "./registry.js";

/** Scale (in SI) of each base dimension in the coherent kernel system: um, (kg chosen so mV falls out), ms, pA, K, mol, cd. */
const KERNEL_BASE_SCALE = [1e-6, 1e-12, 1e-3, 1e-12, 1, 1e-18, 1] as const;

function isPureRate(u: Unit): boolean {
  return u.dims.every((d, i) => (i === 2 ? d === -1 : d === 0));
}

/** The coherent kernel unit of this unit's dimension (e.g. mV for V, pA/ms... as a Unit value). */
export function kernelUnitOf(u: Unit, ratesInHz = true): Unit {
  if (ratesInHz && isPureRate(u)) return makeUnit(u.dims, 1);
  let scale = 1;
  for (let i = 0; i < 7; i++) scale *= Math.pow(KERNEL_BASE_SCALE[i]!, u.dims[i]!);
  return makeUnit(u.dims, scale);
}

/**
 * Factor to multiply a value in `u` by to get the value in kernel units: `toKernelScale(s) = 1000`,
 * `toKernelScale(V) = 1000`, `toKernelScale(nA) = 1000`, `toKernelScale(Hz) = 1`, `toKernelScale(kHz) = 1000`.
 */
export function toKernelScale(u: Unit, options: { ratesInHz?: boolean } = {}): number {
  const k = kernelUnitOf(u, options.ratesInHz ?? true);
  return u.scale / k.scale;
}

/** Readable kernel-unit name of a dimension: `mV`, `pA`, `nS`, `mV/ms`, `Hz`, `1`. */
export function kernelUnitName(u: Unit, ratesInHz = true): string {
  if (isDimensionless(u)) return "1";
  if (ratesInHz && isPureRate(u)) return "Hz";
  for (const name of KERNEL_NAMES) {
    const named = lookupUnit(name)!;
    if (named.dims.every((d, i) => d === u.dims[i])) return name;
  }
  // Express in the basis {um, ms, pA, mV, K, mmol, cd}: kg = V*A*s^3/m^2.
  const k = u.dims[1]!;
  const basis: Array<[string, number]> = [
    ["mV", k], ["pA", u.dims[3]! + k], ["ms", u.dims[2]! + 3 * k], ["um", u.dims[0]! - 2 * k],
    ["K", u.dims[4]!], ["amol", u.dims[5]!], ["cd", u.dims[6]!],
  ];
  return joinPowers(basis);
}

const KERNEL_NAMES = ["ms", "mV", "pA", "pF", "nS", "GOhm", "um", "mM", "fC", "fW"];

/** `a*b/c**2` from (name, exponent) pairs. */
export function joinPowers(parts: ReadonlyArray<readonly [string, number]>): string {
  const fmt = (n: string, e: number) => (e === 1 ? n : `${n}**${Number.isInteger(e) ? e : `(${fractionText(e)})`}`);
  const num = parts.filter(([, e]) => e > 0).map(([n, e]) => fmt(n, e));
  const den = parts.filter(([, e]) => e < 0).map(([n, e]) => fmt(n, -e));
  const top = num.length ? num.join("*") : "1";
  if (!den.length) return top;
  return `${top}/${den.length > 1 ? `(${den.join("*")})` : den[0]}`;
}

function fractionText(x: number): string {
  for (let d = 2; d <= 12; d++) {
    const n = Math.round(x * d);
    if (Math.abs(n / d - x) < 1e-9) return `${n}/${d}`;
  }
  return String(x);
}

export { BASE_DIMENSIONS };
