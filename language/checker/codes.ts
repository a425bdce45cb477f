/**
 * Every diagnostic code the semantic checker (binder + checker) emits, with a one-line description.
 * Codes are stable: tools and tests match on them. Front-end (syntax) codes live with the parser
 * (FRONT_END_CODES); ALL_CODES joins both for listings.
 */
import { FRONT_END_CODES } from "../parse.js";

/** Front-end (scanner/parser) codes: the parser's own registry, re-exported under this name. */
export const SYNTAX_CODES: Readonly<Record<string, string>> = FRONT_END_CODES;

export const CHECK_CODES: Readonly<Record<string, string>> = {
  // Structure and declarations
  EXPRESSION_TOO_DEEP: "an expression nested too deeply to check safely (split it up)",
  INTERNAL_ERROR: "the checker itself failed on a model (a bug: please report)",
  DUPLICATE_BLOCK: "a block (state, parameters, internals, equations, input, output, update, eprop, flush) is given twice",
  UNKNOWN_BLOCK: "a `name:` block that the language does not have",
  DUPLICATE_MODEL: "two models with the same name",
  REDECLARED_NAME: "a name declared twice in the same scope",
  PREDEFINED_REDECLARED: "a predefined variable (t, e, pi, inf) or built-in function redeclared",
  UNIT_NAME_SHADOWED: "(warning) a variable named like a unit; inside the model the name means the variable",
  SHADOWED_NAME: "(warning) a local variable hides a model variable of the same name",
  UNDECLARED_NAME: "a name that is not declared (with a did-you-mean suggestion)",
  USED_BEFORE_DECLARED: "a variable used above its declaration in the same block or body",
  RECURSIVE_DEFINITION: "a variable or inline expression defined in terms of itself, directly or through others",
  INVALID_INITIALIZER_REFERENCE: "an initial value (parameters, internals, state) that reads an input port",
  MISSING_INITIAL_VALUE: "a state variable (or a lower derivative of a higher-order ODE), parameter or internal without a value",
  ODE_NOT_STATE: "an ODE (or kernel ODE) whose variable is not declared in the state block",
  ODE_WITHOUT_PRIME: "an equation `x = ...` in the equations block whose left side has no prime",
  DUPLICATE_ODE: "two ODEs for the same variable",
  ODE_UNIT_MISMATCH: "the right side of an ODE does not have the unit of its variable per time",
  ASSIGN_TO_PARAMETER: "assignment to a parameter outside the parameters block",
  ASSIGN_TO_INTERNAL: "assignment to an internal outside the internals block",
  ASSIGN_TO_INLINE: "assignment to an inline expression",
  ASSIGN_TO_INPUT_PORT: "assignment to an input port",
  ASSIGN_TO_CONSTANT: "assignment to a predefined constant (t, e, pi) or a unit name",
  INVALID_PORT_QUALIFIER: "a qualifier repeated, or a qualifier on a continuous port",
  MISSING_PORT_TYPE: "a continuous input port without a type",
  INVALID_VECTOR_SIZE: "a vector size that is not an integer greater than 0",
  VECTOR_SIZE_NOT_CONSTANT: "a vector size that is not a literal or a parameter/internal",
  VECTOR_IN_SCALAR: "a whole vector used where one element is needed",
  INDEX_NOT_INTEGER: "a vector index that is not an integer",
  INDEX_OUT_OF_RANGE: "a constant vector index below 0 or not below the vector's size",
  INDEX_ON_SCALAR: "indexing a variable that is not a vector",
  INVARIANT_NOT_BOOLEAN: "an invariant `[[...]]` that is not a boolean condition",
  SYNAPSE_WITHOUT_PRE_PORT: "a synapse model (name ends in 'synapse') without a 'pre_spikes' spike input port",
  RESERVED_FUNCTION_NAME: "a function named like a method of the generated simulator class",
  // Types and units
  TYPE_MISMATCH: "incompatible types (boolean/string vs number, non-numeric operands)",
  UNIT_MISMATCH: "incompatible physical units (e.g. mV and pA) in a declaration, assignment, +, -, comparison or call",
  IMPLICIT_CAST: "(warning) a plain number used as a quantity or vice versa, or real stored in an integer",
  CONDITION_NOT_BOOLEAN: "an if/elif/while/ternary/onCondition/refractory condition that is not boolean",
  INVALID_FOR_STEP: "a for-loop step that is not a non-zero constant",
  UNKNOWN_UNIT: "an unknown unit or type name",
  BAD_UNIT_NUMERATOR: "a unit type with a numerator other than 1 (`2/ms`)",
  UNIT_EXPONENT_NOT_CONSTANT: "a quantity raised to a non-constant power",
  // Functions and calls
  DUPLICATE_FUNCTION: "a function defined twice",
  UNKNOWN_FUNCTION: "a call to a function that does not exist",
  ARGUMENT_COUNT: "a call with the wrong number of arguments",
  ARGUMENT_TYPE: "a call argument of the wrong type or unit",
  VOID_IN_EXPRESSION: "a call without a value used as a value",
  MISSING_RETURN: "a function with a return type that does not return on every path",
  RETURN_TYPE_MISMATCH: "a returned value that does not match the function's return type",
  UNREACHABLE_CODE: "statements after return",
  CALL_NOT_ALLOWED_HERE: "integrate_odes/emit_spike/print outside update, onReceive, onCondition and functions",
  // Equations, kernels, special functions
  CONVOLVE_MISUSE: "convolve() not of the form convolve(kernel, spike_port) inside the equations block",
  KERNEL_TYPE: "a kernel not real or 1/time**k; a kernel ODE's variables not real, 1/time, 1/time**2...; or its right side in the wrong unit",
  KERNEL_OUTSIDE_CONVOLVE: "a kernel used outside convolve()",
  DELTA_MISUSE: "delta() used other than as `kernel K = delta(t)`",
  INTEGRATE_ODES_ARGUMENT: "integrate_odes() with an argument that is not a state variable with an ODE (or has primes)",
  MISSING_INTEGRATE_ODES: "ODEs are defined but integrate_odes() is never called",
  EMIT_SPIKE_WITHOUT_OUTPUT: "emit_spike() in a model without `output: spike`",
  CONTINUOUS_OUTPUT: "a continuous output port (not supported: models emit spikes)",
  LEGACY_SYNTAX: "(warning) NESTML 8.0-8.2 event attributes (`spike(weight real, delay ms)`, emit_spike(w, d))",
  ONRECEIVE_NOT_SPIKE_PORT: "onReceive(port) where port is not a spike input port",
  DUPLICATE_HANDLER: "two onReceive handlers for the same port",
  UNKNOWN_HANDLER_ARGUMENT: "an onReceive/onCondition argument other than priority",
  INVALID_PRIORITY: "priorities not integers, not unique, or given for some handlers only",
  RESOLUTION_ILLEGAL: "resolution() in the equations block or a function",
  FIXED_TIMESTEP: "(warning) resolution() or steps() restrict the model to fixed time steps",
  TIMESTEP_OUTSIDE_UPDATE: "timestep() outside the update block",
  RANDOM_OUTSIDE_HANDLER: "random_normal/uniform/poisson outside update, onReceive and onCondition",
  // e-prop and flush extension blocks
  EPROP_UNKNOWN_KEY: "an unknown key (or a setting written as a block) in an eprop/flush/optimizer block",
  EPROP_DUPLICATE_KEY: "a key set twice in an eprop/flush/optimizer block",
  EPROP_UNKNOWN_VALUE: "an unknown role, surrogate_gradient_function, gradient or optimizer type, or a non-boolean flag",
  EPROP_ROLE_KEY: "a key of the other role (readout vs recurrent) or an adam key with gradient_descent",
  EPROP_MISSING_KEY: "a required key missing (membrane for neurons, weight for synapses)",
  EPROP_NOT_STATE: "membrane/adaptation not a state variable, or weight not a state variable or parameter",
  SETTING_UNIT: "a setting with the wrong unit (width a voltage, f_target a rate, cutoff and interval times)",
  SETTING_NOT_CONSTANT: "a numeric setting that is not a constant",
  SETTING_OUT_OF_RANGE: "a setting out of range (kappa outside [0,1], height <= 0, c_reg < 0, interval <= 0, batch_size <= 0, Wmin > Wmax, beta outside [0,1))",
  EPROP_NOT_APPLICABLE: "a flush block on a synapse, or a recurrent eprop block on a model without spike output",
  FLUSH_WITHOUT_SPIKE_OUTPUT: "a flush block in a model without `output: spike`",
};

export const ALL_CODES: Readonly<Record<string, string>> = { ...SYNTAX_CODES, ...CHECK_CODES };
