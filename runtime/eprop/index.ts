/**
 * Event-driven e-prop (NEST's bio models, nest-eprop.md): archives, synapse replay, optimizers,
 * flush events, the sine-wave task, and the NumPy-compatible RandomState for ported PyNEST scripts.
 */
export { EpropArchive, EpropHistoryError, msToSteps, type EpropRole } from "./archive.js";
export { HistoryBuffer, UpdateHistory } from "./history.js";
export { OptimizerSettings, OptimizerState, optimizedWeight, optimizedWeightAt, type OptimizerDict, type OptimizerType } from "./optimizer.js";
export { SURROGATE_GRADIENT_FUNCTIONS, surrogateGradient, surrogateIndex, type SurrogateGradientFunction } from "./surrogate.js";
export { EpropSynapses, STRIDE, SYNAPSE_VARIABLES } from "./synapses.js";
export { EpropProjection, LearningSignalProjection } from "./projection.js";
export { EpropContext, LEARNING_SIGNAL_CONNECTION } from "./context.js";
export { runSineWaveTask, superimposedSines, type SineWaveOptions, type SineWaveResult, type SineWaveNodes, type RecurrentModel } from "./tasks/sine-wave.js";
export { RandomState, RandomStateError, matrix, transpose, toFloat32 } from "../random/numpy-random-state.js";
