/**
 * A faithful port of NumPy's legacy `numpy.random.RandomState` (MT19937), so PyNEST scripts that draw
 * their weights and inputs with `np.random.seed(1); np.random.randn(...)` port to TypeScript with
 * bit-identical numbers.
 *
 * What is reproduced exactly (checked against NumPy fixtures in test/eprop/):
 * - seeding: an integer seed uses MT19937's `init_genrand`; an array seed uses `init_by_array`;
 * - `random_sample`/`rand`: 53-bit doubles from two 32-bit words, `(a >> 5) * 2^26 + (b >> 6)) / 2^53`;
 * - `randn`/`standard_normal`: the legacy polar (Marsaglia) method that caches its second value
 *   (`has_gauss`), so odd counts carry a pending value into the next call, exactly like NumPy;
 * - `uniform(low, high)`: `low + (high - low) * random_sample()`;
 * - `randint`/`random_integers`: the legacy masked rejection sampler on 32-bit draws.
 *
 * Shapes are flat row-major arrays (`randn(r, c)` gives r*c values, element [i][j] at i*c + j);
 * `matrix()` helps turning them into rows.
 */

import { correctlyRoundedLog } from "./numpy-log.js";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class RandomStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RandomStateError";
  }
}

/** Shape arguments as NumPy takes them: `randn()`, `randn(5)`, `randn(3, 4)`. */
function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new RandomStateError(`invalid dimension ${d}: must be a non-negative integer`);
    n *= d;
  }
  return n;
}

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number | readonly number[] = 0) {
    this.seed(seed);
  }

  /** `RandomState.seed(seed)`: integer in [0, 2^32) or an array of such integers. */
  seed(seed: number | readonly number[]): void {
    if (typeof seed === "number") {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new RandomStateError(`seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
      }
      this.initGenrand(seed >>> 0);
    } else {
      if (seed.length === 0) throw new RandomStateError("seed array must not be empty");
      for (const s of seed) {
        if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
          throw new RandomStateError(`seed array values must be integers between 0 and 2**32 - 1, got ${s}`);
        }
      }
      this.initByArray(seed);
    }
    this.hasGauss = false;
    this.gauss = 0;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to double rounding.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.mti = N;
  }

  private generate(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }

  /** One tempered 32-bit word (`genrand_int32`). */
  nextUint32(): number {
    if (this.mti >= N) this.generate();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** One double in [0, 1) with 53 random bits (`legacy_double`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** One standard normal value, legacy polar method with the cached second value. */
  nextGauss(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.nextDouble() - 1.0;
      x2 = 2.0 * this.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * correctlyRoundedLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `random_sample(size)` / `rand(d0, d1, ...)`: uniform [0, 1), flat row-major. */
  rand(...dims: number[]): Float64Array {
    const out = new Float64Array(sizeOf(dims));
    for (let i = 0; i < out.length; i++) out[i] = this.nextDouble();
    return out;
  }

  /** `random_sample(n)`; `random_sample()` returns one number. */
  randomSample(): number;
  randomSample(size: number): Float64Array;
  randomSample(size?: number): number | Float64Array {
    return size === undefined ? this.nextDouble() : this.rand(size);
  }

  /** `randn(d0, d1, ...)`: standard normal, flat row-major. */
  randn(...dims: number[]): Float64Array {
    const out = new Float64Array(sizeOf(dims));
    for (let i = 0; i < out.length; i++) out[i] = this.nextGauss();
    return out;
  }

  /** `standard_normal(size)`; without size one number. */
  standardNormal(): number;
  standardNormal(size: number): Float64Array;
  standardNormal(size?: number): number | Float64Array {
    return size === undefined ? this.nextGauss() : this.randn(size);
  }

  /** `normal(loc, scale, size)`: loc + scale * gauss, as NumPy's legacy normal. */
  normal(loc = 0, scale = 1, size = 1): Float64Array {
    if (!(scale >= 0)) throw new RandomStateError(`scale must be non-negative, got ${scale}`);
    const out = new Float64Array(sizeOf([size]));
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.nextGauss();
    return out;
  }

  /** `uniform(low, high, size)`: low + (high - low) * random_sample(). */
  uniform(low = 0, high = 1, size = 1): Float64Array {
    const range = high - low;
    if (!Number.isFinite(range)) throw new RandomStateError("uniform: range (high - low) must be finite");
    const out = new Float64Array(sizeOf([size]));
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
    return out;
  }

  /**
   * `randint(low, high, size)`: integers in [low, high) (NumPy's default int64 dtype), by the legacy
   * masked rejection sampler. Ranges up to 2^32 are supported (enough for ported scripts).
   */
  randint(low: number, high?: number, size = 1): Float64Array {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new RandomStateError("randint: bounds must be integers");
    if (high <= low) throw new RandomStateError(`randint: low >= high (${low} >= ${high})`);
    const rng = high - low - 1;
    if (rng > 0xffffffff) throw new RandomStateError("randint: ranges wider than 2**32 are not supported");
    const out = new Float64Array(sizeOf([size]));
    if (rng === 0) {
      out.fill(low);
      return out;
    }
    if (rng === 0xffffffff) {
      for (let i = 0; i < out.length; i++) out[i] = low + this.nextUint32();
      return out;
    }
    let mask = rng;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > rng);
      out[i] = low + v;
    }
    return out;
  }

  /** `random_integers(low, high, size)`: integers in [low, high] (deprecated in NumPy, same stream). */
  randomIntegers(low: number, high: number, size = 1): Float64Array {
    return this.randint(low, high + 1, size);
  }

  /** The generator state, for checkpoints (`get_state`-like: key, pos, has_gauss, cached_gaussian). */
  getState(): { key: Uint32Array; pos: number; hasGauss: boolean; cachedGaussian: number } {
    return { key: this.mt.slice(), pos: this.mti, hasGauss: this.hasGauss, cachedGaussian: this.gauss };
  }

  setState(state: { key: ArrayLike<number>; pos: number; hasGauss: boolean; cachedGaussian: number }): void {
    if (state.key.length !== N) throw new RandomStateError(`state key must have ${N} words`);
    this.mt.set(state.key);
    this.mti = state.pos;
    this.hasGauss = state.hasGauss;
    this.gauss = state.cachedGaussian;
  }
}

/** Rows of a flat row-major array (`matrix(randn(3, 4), 3, 4)[i][j]`). */
export function matrix(flat: ArrayLike<number>, rows: number, cols: number): Float64Array[] {
  if (flat.length !== rows * cols) throw new RandomStateError(`matrix: ${flat.length} values do not fill ${rows}x${cols}`);
  const out: Float64Array[] = [];
  for (let i = 0; i < rows; i++) out.push(Float64Array.from({ length: cols }, (_, j) => flat[i * cols + j]));
  return out;
}

/** Transpose of a flat row-major rows x cols array (NumPy's `.T`), flat row-major cols x rows. */
export function transpose(flat: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = flat[i * cols + j];
  return out;
}

/** Rounds every value to float32 (NumPy `.astype(np.float32)`), returned as doubles. */
export function toFloat32(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(values as ArrayLike<number>));
}
