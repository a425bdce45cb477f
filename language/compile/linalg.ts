/**
 * Small dense linear algebra on row-major Float64Arrays, enough for exact ODE propagators:
 * matrix products, an LU solve, and the matrix exponential by scaling and squaring with a
 * degree-13 Padé approximant (Higham 2005, "The scaling and squaring method for the matrix
 * exponential revisited", the variant used by MATLAB's expm and SciPy's expm).
 *
 * Matrices are n×n, stored row-major: a[i * n + j].
 */

export function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

export function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/** 1-norm (largest absolute column sum), the norm Higham's θ bounds are stated in. */
export function norm1(a: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Solves A·X = B for X (B has `m` columns) by LU with partial pivoting. Returns undefined when A is
 * singular to working precision.
 */
export function solve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array | undefined {
  const lu = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(lu[col * n + col]);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(lu[r * n + col]);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (best === 0 || !Number.isFinite(best)) return undefined;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t = lu[col * n + j];
        lu[col * n + j] = lu[piv * n + j];
        lu[piv * n + j] = t;
      }
      for (let j = 0; j < m; j++) {
        const t = x[col * m + j];
        x[col * m + j] = x[piv * m + j];
        x[piv * m + j] = t;
      }
    }
    const d = lu[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = lu[r * n + col] / d;
      if (f === 0) continue;
      for (let j = col; j < n; j++) lu[r * n + j] -= f * lu[col * n + j];
      for (let j = 0; j < m; j++) x[r * m + j] -= f * x[col * m + j];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let j = 0; j < m; j++) {
      let s = x[r * m + j];
      for (let c = r + 1; c < n; c++) s -= lu[r * n + c] * x[c * m + j];
      x[r * m + j] = s / lu[r * n + r];
    }
  }
  return x;
}

// Padé coefficients b_0..b_13 and the θ_m bounds from Higham (2005), Table 2.3 / Algorithm 2.3.
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA: ReadonlyArray<readonly [number, readonly number[]]> = [
  [1.495585217958292e-2, [120, 60, 12, 1]],
  [2.539398330063230e-1, [30240, 15120, 3360, 420, 30, 1]],
  [9.504178996162932e-1, [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1]],
  [2.097847961257068, [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1]],
];
const THETA13 = 5.371920351148152;

/** e^A for an n×n matrix A (row-major). */
export function expm(a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  if (n === 1) return Float64Array.of(Math.exp(a[0]));
  const eye = identity(n);
  const nrm = norm1(a, n);
  if (!Number.isFinite(nrm)) return new Float64Array(n * n).fill(NaN);
  const a2 = matmul(a, a, n);
  // Low-degree approximants suffice for small norms (the common case: A·h with h = 0.1 ms).
  for (const [theta, b] of THETA) {
    if (nrm <= theta) {
      const deg = b.length - 1;
      const u = new Float64Array(n * n);
      const v = new Float64Array(n * n);
      let pow = eye; // A^(2k)
      for (let k = 0; 2 * k <= deg; k++) {
        if (k > 0) pow = matmul(pow, a2, n);
        for (let i = 0; i < n * n; i++) {
          v[i] += b[2 * k] * pow[i];
          if (2 * k + 1 <= deg) u[i] += b[2 * k + 1] * pow[i];
        }
      }
      return padeSolve(matmul(a, u, n), v, n);
    }
  }
  // Degree 13 with scaling: A / 2^s has norm <= θ13, then square s times.
  const s = Math.max(0, Math.ceil(Math.log2(nrm / THETA13)));
  const scale = Math.pow(2, -s);
  const as = a.map((x) => x * scale);
  const as2 = a2.map((x) => x * scale * scale);
  const as4 = matmul(as2, as2, n);
  const as6 = matmul(as4, as2, n);
  const b = B13;
  const t1 = new Float64Array(n * n);
  const t2 = new Float64Array(n * n);
  const v1 = new Float64Array(n * n);
  const v2 = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    t1[i] = b[13] * as6[i] + b[11] * as4[i] + b[9] * as2[i];
    v1[i] = b[12] * as6[i] + b[10] * as4[i] + b[8] * as2[i];
  }
  const t1b = matmul(as6, t1, n);
  const v1b = matmul(as6, v1, n);
  for (let i = 0; i < n * n; i++) {
    t2[i] = t1b[i] + b[7] * as6[i] + b[5] * as4[i] + b[3] * as2[i] + b[1] * eye[i];
    v2[i] = v1b[i] + b[6] * as6[i] + b[4] * as4[i] + b[2] * as2[i] + b[0] * eye[i];
  }
  let r = padeSolve(matmul(as, t2, n), v2, n);
  for (let k = 0; k < s; k++) r = matmul(r, r, n);
  return r;
}

/** r = (V - U)^{-1} (V + U). */
function padeSolve(u: Float64Array, v: Float64Array, n: number): Float64Array {
  const p = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    p[i] = v[i] + u[i];
    q[i] = v[i] - u[i];
  }
  const r = solve(q, p, n, n);
  if (r === undefined) return new Float64Array(n * n).fill(NaN);
  return r;
}

/**
 * The exact propagators of x' = A·x + c over a step h with c constant: returns P = e^{Ah} and
 * Q = ∫₀ʰ e^{As} ds, so that x(h) = P·x(0) + Q·c. Both come from one exponential of the block matrix
 * [[A, I], [0, 0]]·h, which stays regular when A is singular or has repeated eigenvalues
 * (τ_m = τ_syn needs no special case).
 */
export function propagators(a: Float64Array, n: number, h: number): { P: Float64Array; Q: Float64Array } {
  const m = 2 * n;
  const big = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) big[i * m + j] = a[i * n + j] * h;
    big[i * m + n + i] = h;
  }
  const e = expm(big, m);
  const P = new Float64Array(n * n);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      P[i * n + j] = e[i * m + j];
      Q[i * n + j] = e[i * m + n + j];
    }
  }
  return { P, Q };
}
