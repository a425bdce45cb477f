/**
 * Per-connection values of a synapse spec (weight, delay, synapse variables): a scalar, a flat
 * array in generation order, a nested [rows][cols] array matching the rule's shape (e.g.
 * [post][pre] for all_to_all), or a random distribution `{ distribution: "normal", mu, sigma }`.
 */
import { InvalidParameterError, ShapeMismatchError } from "../errors.js";
import { checkNumber, describe, isArrayLike, isPlainObject } from "../params.js";
import type { Xoshiro128 } from "../random/xoshiro.js";
import type { ConnSpec, PairShape, Pairs } from "./rules.js";

export const DISTRIBUTIONS = ["normal", "normal_clipped", "uniform", "lognormal", "exponential", "constant"] as const;

/** True for values that need one number per connection (arrays, distributions). */
export function isPerConnection(value: unknown): boolean {
  return isArrayLike(value) || isPlainObject(value);
}

/** Checks a value's form before any pairs are drawn (cheap, so misuse fails before work). */
export function checkValueForm(value: unknown, argument: string, shape: PairShape): void {
  if (typeof value === "number") {
    checkNumber(value, argument);
    return;
  }
  if (isPlainObject(value)) {
    readDistribution(value, argument);
    return;
  }
  if (isArrayLike(value)) {
    if (!shape.fixed) {
      throw new ShapeMismatchError(`${argument}: arrays are not allowed with a rule whose connection count is random; use a scalar or a distribution`, argument);
    }
    const total = shape.rows * shape.cols;
    const nested = value.length > 0 && isArrayLike(value[0]);
    if (nested) {
      if (value.length !== shape.rows) {
        throw new ShapeMismatchError(`${argument}: expected ${shape.label} = [${shape.rows}][${shape.cols}], got ${value.length} rows`, argument);
      }
      for (let r = 0; r < value.length; r++) {
        const row = value[r];
        if (!isArrayLike(row) || row.length !== shape.cols) {
          throw new ShapeMismatchError(`${argument}[${r}]: expected ${shape.cols} values (${shape.label}), got ${describe(row)}`, argument);
        }
        for (let c = 0; c < row.length; c++) checkNumber(row[c], `${argument}[${r}][${c}]`);
      }
    } else {
      if (value.length !== total) {
        throw new ShapeMismatchError(`${argument}: expected ${total} values (${shape.label} = [${shape.rows}][${shape.cols}]), got ${value.length}`, argument);
      }
      for (let i = 0; i < value.length; i++) checkNumber(value[i], `${argument}[${i}]`);
    }
    return;
  }
  throw new InvalidParameterError(`${argument} must be a number, an array or a distribution, got ${describe(value)}`, argument);
}

interface Distribution {
  kind: (typeof DISTRIBUTIONS)[number];
  a: number;
  b: number;
  low: number;
  high: number;
}

function readDistribution(spec: Record<string, unknown>, argument: string): Distribution {
  const kind = spec.distribution;
  if (typeof kind !== "string" || !(DISTRIBUTIONS as readonly string[]).includes(kind)) {
    throw new InvalidParameterError(`${argument}.distribution must be one of ${DISTRIBUTIONS.join(", ")}, got ${describe(kind)}`, `${argument}.distribution`);
  }
  const num = (names: string[], fallback?: number): number => {
    for (const n of names) if (spec[n] !== undefined) return checkNumber(spec[n], `${argument}.${n}`);
    if (fallback !== undefined) return fallback;
    throw new InvalidParameterError(`${argument}: distribution ${kind} needs ${names.join(" or ")}`, `${argument}.${names[0]}`);
  };
  const d: Distribution = { kind: kind as Distribution["kind"], a: 0, b: 1, low: -Infinity, high: Infinity };
  switch (d.kind) {
    case "normal":
    case "lognormal":
      d.a = num(["mu", "mean"], 0);
      d.b = num(["sigma", "std"], 1);
      if (d.b < 0) throw new InvalidParameterError(`${argument}.sigma must be ≥ 0`, `${argument}.sigma`);
      break;
    case "normal_clipped":
      d.a = num(["mu", "mean"], 0);
      d.b = num(["sigma", "std"], 1);
      d.low = num(["low", "min"], -Infinity);
      d.high = num(["high", "max"], Infinity);
      if (d.b < 0) throw new InvalidParameterError(`${argument}.sigma must be ≥ 0`, `${argument}.sigma`);
      if (!(d.low < d.high)) throw new InvalidParameterError(`${argument}: low must be < high`, `${argument}.low`);
      break;
    case "uniform":
      d.low = num(["low", "min"], 0);
      d.high = num(["high", "max"], 1);
      if (!(d.low <= d.high)) throw new InvalidParameterError(`${argument}: low must be ≤ high`, `${argument}.low`);
      break;
    case "exponential":
      d.b = num(["beta", "scale"], 1);
      if (!(d.b > 0)) throw new InvalidParameterError(`${argument}.beta must be > 0`, `${argument}.beta`);
      break;
    case "constant":
      d.a = num(["value"]);
      break;
  }
  return d;
}

function draw(d: Distribution, rng: Xoshiro128): number {
  switch (d.kind) {
    case "normal":
      return d.a + d.b * rng.normal();
    case "lognormal":
      return Math.exp(d.a + d.b * rng.normal());
    case "normal_clipped": {
      // NEST redraws until the value lies inside the bounds.
      for (let tries = 0; tries < 1_000_000; tries++) {
        const x = d.a + d.b * rng.normal();
        if (x > d.low && x < d.high) return x;
      }
      return Math.min(Math.max(d.a, d.low), d.high);
    }
    case "uniform":
      return d.low + (d.high - d.low) * rng.uniform();
    case "exponential":
      return d.b * rng.exponential();
    case "constant":
      return d.a;
  }
}

/** Flat index of connection m into a full-shape array (all_to_all skips autapses, so it needs [post][pre]). */
function flatIndex(spec: ConnSpec, pairs: Pairs, m: number, nPre: number): number {
  if (spec.rule === "all_to_all") return pairs.post[m] * nPre + pairs.pre[m];
  if (spec.rule === "one_to_one") return pairs.pre[m];
  return m;
}

/** One number per connection, or the scalar itself. */
export function resolveValues(
  value: unknown,
  argument: string,
  spec: ConnSpec,
  pairs: Pairs,
  nPre: number,
  rng: Xoshiro128,
): number | Float64Array {
  if (typeof value === "number") return value;
  const m = pairs.pre.length;
  const out = new Float64Array(m);
  if (isPlainObject(value)) {
    const d = readDistribution(value, argument);
    for (let k = 0; k < m; k++) out[k] = draw(d, rng);
    return out;
  }
  const arr = value as ArrayLike<unknown>;
  const nested = arr.length > 0 && isArrayLike(arr[0]);
  const cols = nested ? (arr[0] as ArrayLike<number>).length : 0;
  for (let k = 0; k < m; k++) {
    const f = flatIndex(spec, pairs, k, nPre);
    out[k] = nested ? (arr[Math.floor(f / cols)] as ArrayLike<number>)[f % cols] : (arr[f] as number);
  }
  return out;
}
