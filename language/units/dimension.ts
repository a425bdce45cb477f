/**
 * Physical units as data: an exponent vector over the seven SI base dimensions plus a scale factor
 * relative to the coherent SI unit (1 mV = { V's exponents, scale 1e-3 }). Exponents may be
 * fractional (`nS**0.5`), so they are plain numbers rounded to a tolerance when compared.
 */

/** Order of the base dimensions in every exponent vector. */
export const BASE_DIMENSIONS = ["m", "kg", "s", "A", "K", "mol", "cd"] as const;
export type BaseDimension = (typeof BASE_DIMENSIONS)[number];

export interface Unit {
  /** Exponents over BASE_DIMENSIONS (length 7). */
  readonly dims: readonly number[];
  /** Value of one of this unit in coherent SI units. */
  readonly scale: number;
}

const EPS = 1e-9;

export const DIMENSIONLESS: Unit = Object.freeze({ dims: Object.freeze([0, 0, 0, 0, 0, 0, 0]), scale: 1 });

export function makeUnit(dims: readonly number[], scale = 1): Unit {
  return { dims: dims.map(clean), scale };
}

function clean(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - r) < EPS) return r === 0 ? 0 : r; // also turns -0 into 0
  return x;
}

export function multiplyUnits(a: Unit, b: Unit): Unit {
  return makeUnit(a.dims.map((d, i) => d + b.dims[i]!), a.scale * b.scale);
}

export function divideUnits(a: Unit, b: Unit): Unit {
  return makeUnit(a.dims.map((d, i) => d - b.dims[i]!), a.scale / b.scale);
}

export function powerUnit(a: Unit, exponent: number): Unit {
  return makeUnit(a.dims.map((d) => d * exponent), Math.pow(a.scale, exponent));
}

/** Same physical dimension (magnitudes may differ: mV and V are compatible). */
export function sameDimension(a: Unit, b: Unit): boolean {
  for (let i = 0; i < 7; i++) if (Math.abs(a.dims[i]! - b.dims[i]!) > EPS) return false;
  return true;
}

export function isDimensionless(u: Unit): boolean {
  return u.dims.every((d) => Math.abs(d) < EPS);
}

/** Factor that converts a value in `from` into a value in `to` (dimensions must agree). */
export function conversionFactor(from: Unit, to: Unit): number {
  return from.scale / to.scale;
}

export function sameUnit(a: Unit, b: Unit): boolean {
  return sameDimension(a, b) && Math.abs(a.scale / b.scale - 1) < 1e-12;
}
