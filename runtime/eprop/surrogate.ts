/**
 * Surrogate gradients ψ of the e-prop recurrent neurons (nest-eprop.md §3.2), as NEST's code computes
 * them (not as its docstrings say): Δ = v − v_th, h = height, w = width, and ψ = 0 while refractory.
 */

export const SURROGATE_GRADIENT_FUNCTIONS = [
  "piecewise_linear",
  "exponential",
  "fast_sigmoid_derivative",
  "arctan_derivative",
] as const;

export type SurrogateGradientFunction = (typeof SURROGATE_GRADIENT_FUNCTIONS)[number];

/** Index of a surrogate-gradient name (the enum encoding of the `surrogate_gradient_function` parameter). */
export function surrogateIndex(name: string): number {
  return (SURROGATE_GRADIENT_FUNCTIONS as readonly string[]).indexOf(name);
}

/**
 * ψ for function index `fn` (see SURROGATE_GRADIENT_FUNCTIONS), refractory counter `r`, membrane `v`,
 * threshold `vTh`, height `h`, width `w`.
 */
export function surrogateGradient(fn: number, r: number, v: number, vTh: number, h: number, w: number): number {
  if (r > 0) return 0;
  switch (fn) {
    case 0:
      return h * Math.max(0, 1 - Math.abs(v - vTh) / w);
    case 1:
      return h * Math.exp(-Math.abs(v - vTh) / w);
    case 2: {
      const x = 1 + Math.abs(v - vTh) / w;
      return h * Math.pow(x, -2);
    }
    case 3: {
      const x = (v - vTh) / w;
      return h / (1 + x * x);
    }
    default:
      throw new RangeError(`unknown surrogate gradient function index ${fn}`);
  }
}
