/**
 * A correctly rounded natural logarithm for NumPy-compatible random streams.
 *
 * NumPy's legacy gaussian calls the C library's `log`, which on glibc is (in practice) correctly
 * rounded; V8's `Math.log` is a fdlibm port that is off by one ulp for some inputs, which would make
 * `randn` differ in the last bit. Here log(x) is evaluated in double-double arithmetic (~104 bits)
 * and rounded once, which reproduces glibc for every value we have checked.
 *
 * Method: x = m·2^e with m in [√½, √2); log x = e·ln2 + 2·atanh(s), s = (m−1)/(m+1), |s| < 0.172,
 * with the atanh series summed by Horner in double-double.
 */

// ln 2 as a double-double (hi + lo).
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const SPLITTER = 134217729; // 2^27 + 1, Dekker's split constant
const SERIES_TERMS = 24; // s^(2k+1)/(2k+1) for k < 24 reaches well below 2^-110 for |s| < 0.172
const DD_TERMS = 12;

// 1/(2k+1) as double-double, precomputed once.
const INV_ODD_HI = new Float64Array(SERIES_TERMS);
const INV_ODD_LO = new Float64Array(SERIES_TERMS);

// Scratch results of the double-double helpers (no allocation per call).
let rh = 0;
let rl = 0;

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  rl = a - (s - bb) + (b - bb);
  rh = s;
}

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  rl = ah * bh - p + ah * bl + al * bh + al * bl;
  rh = p;
}

/** (ah, al) * (bh, bl) -> (rh, rl) */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const ph = rh;
  const pl = rl + (ah * bl + al * bh);
  twoSum(ph, pl);
}

/** (ah, al) + (bh, bl) -> (rh, rl) */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = rh;
  const sl = rl + al + bl;
  twoSum(sh, sl);
}

/** (ah, al) / (bh, bl) -> (rh, rl), by three quotient corrections. */
function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -rh, -rl);
  const r1h = rh;
  const r1l = rl;
  const q2 = r1h / bh;
  ddMul(q2, 0, bh, bl);
  ddAdd(r1h, r1l, -rh, -rl);
  const q3 = rh / bh;
  twoSum(q1, q2);
  const sh = rh;
  const sl = rl + q3;
  twoSum(sh, sl);
}

for (let k = 0; k < SERIES_TERMS; k++) {
  ddDiv(1, 0, 2 * k + 1, 0);
  INV_ODD_HI[k] = rh;
  INV_ODD_LO[k] = rl;
}

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/** Natural logarithm, correctly rounded to double (for finite x > 0; special values as Math.log). */
export function correctlyRoundedLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  // Split x = m * 2^e with m in [sqrt(1/2), sqrt(2)).
  let e = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    m *= 18014398509481984; // 2^54, bring subnormals into the normal range
    e -= 54;
  }
  scratch[0] = m;
  const exponent = ((words[HI] >>> 20) & 0x7ff) - 1023;
  e += exponent;
  // Set the exponent field to 0 (m in [1, 2)).
  words[HI] = (words[HI] & 0x800fffff) | (1023 << 20);
  m = scratch[0];
  if (m > Math.SQRT2) {
    m *= 0.5; // exact
    e += 1;
  }
  // s = (m - 1) / (m + 1); m - 1 is exact for m in [0.5, 2].
  twoSum(m, 1);
  ddDiv(m - 1, 0, rh, rl);
  const sh = rh;
  const sl = rl;
  ddMul(sh, sl, sh, sl);
  const s2h = rh;
  const s2l = rl;
  // Horner: P = sum_k s2^k / (2k+1). Terms k >= DD_TERMS are below 2^-60 relative, so plain
  // doubles carry them with ample precision; the leading terms need double-double.
  const s2 = s2h;
  let tail = INV_ODD_HI[SERIES_TERMS - 1];
  for (let k = SERIES_TERMS - 2; k >= DD_TERMS; k--) tail = tail * s2 + INV_ODD_HI[k];
  let ph = tail;
  let pl = 0;
  for (let k = DD_TERMS - 1; k >= 0; k--) {
    ddMul(ph, pl, s2h, s2l);
    ddAdd(rh, rl, INV_ODD_HI[k], INV_ODD_LO[k]);
    ph = rh;
    pl = rl;
  }
  // log m = 2 s P
  ddMul(ph, pl, sh, sl);
  let lh = 2 * rh;
  let ll = 2 * rl;
  if (e !== 0) {
    twoProd(e, LN2_HI);
    const eh = rh;
    const el = rl + e * LN2_LO;
    ddAdd(eh, el, lh, ll);
    lh = rh;
    ll = rl;
  }
  return lh + ll;
}
