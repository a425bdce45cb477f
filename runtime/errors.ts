/**
 * Typed errors for API misuse. Every error names the argument that was wrong, so a notebook user
 * sees "connect: argument 'syn_spec.delay' ..." instead of a stack trace into the engine. Errors
 * are thrown before any state changes (callers validate fully first).
 */
import type { Diagnostic } from "../language/diagnostics.js";

export class SpikelabError extends Error {
  /** The API argument (or parameter path) that was wrong, e.g. "syn_spec.delay", "params.V_th". */
  readonly argument: string | undefined;
  constructor(message: string, argument?: string) {
    super(message);
    this.name = new.target.name;
    this.argument = argument;
  }
}

/** A model name that is neither bundled, installed, nor copied. */
export class UnknownModelError extends SpikelabError {}

/** A parameter or state name the model does not have. */
export class UnknownParameterError extends SpikelabError {}

/** A value of the wrong type, NaN, out of range, or violating a model guard. */
export class InvalidParameterError extends SpikelabError {}

/** Arrays whose lengths or shapes do not match what the call needs. */
export class ShapeMismatchError extends InvalidParameterError {}

/** A delay below the resolution or not a multiple of it. */
export class InvalidDelayError extends InvalidParameterError {}

/** A connection that cannot exist (wrong receptor, bad rule parameters, devices in wrong direction). */
export class IllegalConnectionError extends SpikelabError {}

/** A model source that does not compile: the message is the formatted diagnostics (with carets). */
export class ModelCompileError extends SpikelabError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[]) {
    super(message);
    this.diagnostics = diagnostics;
  }
}

/** Operations that are not allowed in the simulator's current state. */
export class SimulatorStateError extends SpikelabError {}
