/** Small helpers shared by the e-prop tests. */

/** Largest |got − want| / |want| over the reference values. */
export function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]) / Math.abs(want[i]));
  return m;
}

/** Integers a … b inclusive (NumPy's arange(a, b + 1)). */
export const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
