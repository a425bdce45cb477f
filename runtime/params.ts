/** Small validators shared by the API: each throws a typed error naming the argument. */
import { InvalidParameterError } from "./errors.js";

export function checkNumber(value: unknown, argument: string): number {
  if (typeof value !== "number") {
    throw new InvalidParameterError(`${argument} must be a number, got ${describe(value)}`, argument);
  }
  if (Number.isNaN(value)) throw new InvalidParameterError(`${argument} is NaN`, argument);
  return value;
}

export function checkFinite(value: unknown, argument: string): number {
  const x = checkNumber(value, argument);
  if (!Number.isFinite(x)) throw new InvalidParameterError(`${argument} must be finite, got ${x}`, argument);
  return x;
}

export function checkCount(value: unknown, argument: string): number {
  const x = checkNumber(value, argument);
  if (!Number.isInteger(x) || x < 0) {
    throw new InvalidParameterError(`${argument} must be a non-negative integer, got ${x}`, argument);
  }
  return x;
}

export function checkBoolean(value: unknown, argument: string): boolean {
  if (typeof value !== "boolean") {
    throw new InvalidParameterError(`${argument} must be true or false, got ${describe(value)}`, argument);
  }
  return value;
}

export function checkProbability(value: unknown, argument: string): number {
  const x = checkNumber(value, argument);
  if (x < 0 || x > 1) throw new InvalidParameterError(`${argument} must be in [0, 1], got ${x}`, argument);
  return x;
}

/** An array-like of numbers (Array or typed array) as a Float64Array, each entry checked. */
export function checkNumberArray(value: unknown, argument: string): Float64Array {
  if (!isArrayLike(value)) {
    throw new InvalidParameterError(`${argument} must be an array of numbers, got ${describe(value)}`, argument);
  }
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = checkNumber(value[i], `${argument}[${i}]`);
  return out;
}

export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !isArrayLike(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
