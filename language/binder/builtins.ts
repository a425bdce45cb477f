/**
 * Predefined variables and built-in functions (NESTML 8's set, see nestml.md §1.6). The checker
 * computes result types from the arguments; this table holds what the binder and messages need.
 */
import { lookupUnit } from "../units/registry.js";
import { REAL, unitType, type Type } from "./types.js";

export interface BuiltinFunction {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** How it is written in messages: `exp(x real) real`. */
  readonly signature: string;
}

const MANY = Number.POSITIVE_INFINITY;

const list: BuiltinFunction[] = [
  ...["exp", "ln", "log", "log10", "expm1", "sin", "cos", "tan", "sinh", "cosh", "tanh", "erf", "erfc"].map(
    (name) => ({ name, minArgs: 1, maxArgs: 1, signature: `${name}(x real) real` }),
  ),
  ...["ceil", "floor", "round", "abs"].map((name) => ({ name, minArgs: 1, maxArgs: 1, signature: `${name}(x T) T` })),
  { name: "sqrt", minArgs: 1, maxArgs: 1, signature: "sqrt(x T) T**(1/2)" },
  { name: "min", minArgs: 2, maxArgs: 2, signature: "min(x T, y T) T" },
  { name: "max", minArgs: 2, maxArgs: 2, signature: "max(x T, y T) T" },
  { name: "clip", minArgs: 3, maxArgs: 3, signature: "clip(x T, lo T, hi T) T" },
  { name: "pow", minArgs: 2, maxArgs: 2, signature: "pow(base T, exponent real) T**exponent" },
  { name: "random_normal", minArgs: 2, maxArgs: 2, signature: "random_normal(mean T, std T) T" },
  { name: "random_uniform", minArgs: 2, maxArgs: 2, signature: "random_uniform(offset T, scale T) T" },
  { name: "random_poisson", minArgs: 1, maxArgs: 1, signature: "random_poisson(rate real) integer" },
  { name: "delta", minArgs: 1, maxArgs: 1, signature: "delta(t)" },
  { name: "convolve", minArgs: 2, maxArgs: 2, signature: "convolve(kernel, spike_port)" },
  { name: "integrate_odes", minArgs: 0, maxArgs: MANY, signature: "integrate_odes(state_variable, ...) void" },
  { name: "emit_spike", minArgs: 0, maxArgs: 2, signature: "emit_spike([weight]) void" },
  { name: "resolution", minArgs: 0, maxArgs: 0, signature: "resolution() ms" },
  { name: "timestep", minArgs: 0, maxArgs: 0, signature: "timestep() ms" },
  { name: "steps", minArgs: 1, maxArgs: 1, signature: "steps(t ms) integer" },
  { name: "print", minArgs: 0, maxArgs: 1, signature: "print(text string) void" },
  { name: "println", minArgs: 0, maxArgs: 1, signature: "println(text string) void" },
  { name: "info", minArgs: 1, maxArgs: 1, signature: "info(text string) void" },
  { name: "warning", minArgs: 1, maxArgs: 1, signature: "warning(text string) void" },
];

export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(list.map((f) => [f.name, f]));

/** Math functions that take and return a dimensionless real. */
export const DIMENSIONLESS_MATH = new Set(["exp", "ln", "log", "log10", "expm1", "sin", "cos", "tan", "sinh", "cosh", "tanh", "erf", "erfc"]);
export const RANDOM_FUNCTIONS = new Set(["random_normal", "random_uniform", "random_poisson"]);

const MS = lookupUnit("ms")!;

/** `t` (current time, ms; a kernel's own time argument inside a kernel), `e`, `pi`. */
export const PREDEFINED_VARIABLES: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["t", unitType(MS, "ms")],
  ["e", REAL],
  ["pi", REAL],
]);

export const TIME_TYPE: Type = unitType(MS, "ms");

/**
 * Function names that collide with the generated simulator class (NESTML's no_nest_name_space_collision,
 * kept because exported models must still build in NEST).
 */
export const RESERVED_FUNCTION_NAMES = new Set([
  "update", "calibrate", "handle", "connect_sender", "check_connection", "get_status", "set_status",
  "init_state_", "init_buffers_", "pre_run_hook", "send", "get", "set",
]);
