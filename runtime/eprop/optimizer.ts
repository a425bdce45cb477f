/**
 * Weight optimizers of the e-prop synapse (nest-eprop.md §7): common properties per synapse model
 * (`setDefaults("eprop_synapse", { optimizer: {...} })`), per-connection state in typed arrays, and
 * NEST's `optimized_weight` with its batch index arithmetic, the learning-rate latch (`eta_current`
 * lags one optimization) and Adam's order (accumulated gradient first, then zero-gradient steps).
 */

export type OptimizerType = "gradient_descent" | "adam";

export class OptimizerSettingsError extends Error {
  constructor(
    message: string,
    readonly argument: string,
  ) {
    super(message);
    this.name = "OptimizerSettingsError";
  }
}

/** What `getDefaults("eprop_synapse").optimizer` shows and `setDefaults` accepts. */
export interface OptimizerDict {
  type?: OptimizerType;
  batch_size?: number;
  eta?: number;
  optimize_each_step?: boolean;
  Wmin?: number;
  Wmax?: number;
  beta_1?: number;
  beta_2?: number;
  epsilon?: number;
}

const OPTIMIZER_KEYS = new Set(["type", "batch_size", "eta", "optimize_each_step", "Wmin", "Wmax", "beta_1", "beta_2", "epsilon"]);

/** Common (per synapse model) optimizer properties: NEST's `WeightOptimizerCommonProperties*`. */
export class OptimizerSettings {
  type: OptimizerType = "gradient_descent";
  batchSize = 1;
  eta = 1e-4;
  etaFirstChange = 1e-4;
  etaChangeCount = 0;
  Wmin = -100.0;
  Wmax = 100.0;
  optimizeEachStep = true;
  beta1 = 0.9;
  beta2 = 0.999;
  epsilon = 1e-7;

  /** The defaults of the `eprop:` block of a synapse model (before any user change). */
  static fromDefaults(d: OptimizerDict): OptimizerSettings {
    const s = new OptimizerSettings();
    if (d.type) s.type = d.type;
    if (d.batch_size !== undefined) s.batchSize = d.batch_size;
    if (d.eta !== undefined) {
      s.eta = d.eta;
      s.etaFirstChange = d.eta;
    }
    if (d.optimize_each_step !== undefined) s.optimizeEachStep = d.optimize_each_step;
    if (d.Wmin !== undefined) s.Wmin = d.Wmin;
    if (d.Wmax !== undefined) s.Wmax = d.Wmax;
    if (d.beta_1 !== undefined) s.beta1 = d.beta_1;
    if (d.beta_2 !== undefined) s.beta2 = d.beta_2;
    if (d.epsilon !== undefined) s.epsilon = d.epsilon;
    return s;
  }

  clone(): OptimizerSettings {
    return Object.assign(new OptimizerSettings(), this);
  }

  toDict(): OptimizerDict {
    const d: OptimizerDict = {
      type: this.type,
      batch_size: this.batchSize,
      eta: this.eta,
      optimize_each_step: this.optimizeEachStep,
      Wmin: this.Wmin,
      Wmax: this.Wmax,
    };
    if (this.type === "adam") Object.assign(d, { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon });
    return d;
  }

  /**
   * Applies an optimizer dictionary like NEST's `EpropSynapseCommonProperties::set_status`: validates
   * everything first (throws naming the key, leaving the settings unchanged), a type change resets to
   * that type's defaults and is refused once connections exist.
   */
  update(dict: Readonly<Record<string, unknown>>, connectionsExist: boolean): void {
    for (const key of Object.keys(dict)) {
      if (!OPTIMIZER_KEYS.has(key)) {
        throw new OptimizerSettingsError(`unknown optimizer key '${key}' (known: ${[...OPTIMIZER_KEYS].join(", ")})`, `optimizer.${key}`);
      }
    }
    let next: OptimizerSettings = this.clone();
    if (dict.type !== undefined && dict.type !== this.type) {
      if (dict.type !== "gradient_descent" && dict.type !== "adam") {
        throw new OptimizerSettingsError(`optimizer type must be "gradient_descent" or "adam", got ${JSON.stringify(dict.type)}`, "optimizer.type");
      }
      if (connectionsExist) {
        throw new OptimizerSettingsError("The optimizer cannot be changed because synapses have been created.", "optimizer.type");
      }
      next = new OptimizerSettings();
      next.type = dict.type;
    }
    const num = (key: string): number | undefined => {
      const v = dict[key];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || Number.isNaN(v)) throw new OptimizerSettingsError(`optimizer.${key} must be a number, got ${String(v)}`, `optimizer.${key}`);
      return v;
    };
    const batch = num("batch_size");
    if (batch !== undefined) {
      if (!Number.isInteger(batch) || batch <= 0) throw new OptimizerSettingsError(`Optimization batch_size > 0 required (integer), got ${batch}`, "optimizer.batch_size");
      next.batchSize = batch;
    }
    const eta = num("eta");
    if (eta !== undefined) {
      if (eta < 0) throw new OptimizerSettingsError(`Learning rate eta ≥ 0 required, got ${eta}`, "optimizer.eta");
      if (eta !== next.eta) {
        if (next.etaChangeCount === 0) next.etaFirstChange = eta;
        next.etaChangeCount += 1;
        next.eta = eta;
      }
    }
    const wmin = num("Wmin") ?? next.Wmin;
    const wmax = num("Wmax") ?? next.Wmax;
    if (wmin > wmax) throw new OptimizerSettingsError(`Minimal weight Wmin ≤ maximal weight Wmax required (${wmin} > ${wmax})`, "optimizer.Wmin");
    next.Wmin = wmin;
    next.Wmax = wmax;
    if (dict.optimize_each_step !== undefined) {
      if (typeof dict.optimize_each_step !== "boolean") throw new OptimizerSettingsError("optimizer.optimize_each_step must be a boolean", "optimizer.optimize_each_step");
      next.optimizeEachStep = dict.optimize_each_step;
    }
    const b1 = num("beta_1");
    const b2 = num("beta_2");
    const eps = num("epsilon");
    if (next.type === "adam") {
      if (b1 !== undefined) next.beta1 = b1;
      if (b2 !== undefined) next.beta2 = b2;
      if (eps !== undefined) next.epsilon = eps;
      if (!(next.beta1 >= 0 && next.beta1 < 1)) throw new OptimizerSettingsError("For Adam optimizer, beta_1 from interval [0,1) required.", "optimizer.beta_1");
      if (!(next.beta2 >= 0 && next.beta2 < 1)) throw new OptimizerSettingsError("For Adam optimizer, beta_2 from interval [0,1) required.", "optimizer.beta_2");
      if (!(next.epsilon >= 0)) throw new OptimizerSettingsError("For Adam optimizer, epsilon ≥ 0 required.", "optimizer.epsilon");
    } else if (b1 !== undefined || b2 !== undefined || eps !== undefined) {
      throw new OptimizerSettingsError("beta_1, beta_2 and epsilon are Adam parameters; set type: \"adam\" first", "optimizer");
    }
    Object.assign(this, next);
  }
}

/**
 * Per-connection optimizer state (NEST's `WeightOptimizer` / `WeightOptimizerAdam`): OPTIMIZER_FIELDS
 * doubles at some base offset of a Float64Array, so a synapse store can keep them next to the rest of
 * a connection's state (one or two cache lines per connection event).
 */
export const O_CUMULATIVE = 0;
export const O_STEP = 1;
export const O_ETA_CURRENT = 2;
export const O_N_OPTIMIZE = 3;
export const O_M = 4;
export const O_V = 5;
export const O_BETA1_POWER = 6;
export const O_BETA2_POWER = 7;
export const OPTIMIZER_FIELDS = 8;

/** A fresh optimizer at `base` (NEST constructs one per connection). */
export function initOptimizerAt(st: Float64Array, base: number): void {
  st[base + O_CUMULATIVE] = 0;
  st[base + O_STEP] = 1;
  st[base + O_ETA_CURRENT] = 1e-4;
  st[base + O_N_OPTIMIZE] = 0;
  st[base + O_M] = 0;
  st[base + O_V] = 0;
  st[base + O_BETA1_POWER] = 1;
  st[base + O_BETA2_POWER] = 1;
}

/** NEST's `WeightOptimizer::optimized_weight(cp, idx, gradient, weight)` for the optimizer at `base`. */
export function optimizedWeightAt(s: OptimizerSettings, st: Float64Array, base: number, idx: number, gradient: number, weight: number): number {
  if (s.etaChangeCount !== 0 && st[base + O_N_OPTIMIZE] === 0) st[base + O_ETA_CURRENT] = s.etaFirstChange;
  st[base + O_CUMULATIVE] += gradient;
  if (st[base + O_STEP] === 0) st[base + O_STEP] = idx;
  const current = 1 + Math.floor(idx / s.batchSize);
  if (st[base + O_STEP] < current) {
    st[base + O_CUMULATIVE] /= s.batchSize;
    const w = s.type === "adam" ? adamStep(s, st, base, weight, current) : gdStep(st, base, weight);
    weight = Math.min(Math.max(w, s.Wmin), s.Wmax);
    st[base + O_ETA_CURRENT] = s.eta;
    st[base + O_N_OPTIMIZE] += 1;
    st[base + O_STEP] = current;
  }
  return weight;
}

function gdStep(st: Float64Array, base: number, weight: number): number {
  weight -= st[base + O_ETA_CURRENT] * st[base + O_CUMULATIVE];
  st[base + O_CUMULATIVE] = 0;
  return weight;
}

/** Adam, TensorFlow form: the accumulated gradient at the earliest pending step, then zero gradients. */
function adamStep(s: OptimizerSettings, st: Float64Array, base: number, weight: number, current: number): number {
  const b1 = s.beta1;
  const b2 = s.beta2;
  let step = st[base + O_STEP];
  let m = st[base + O_M];
  let v = st[base + O_V];
  let p1 = st[base + O_BETA1_POWER];
  let p2 = st[base + O_BETA2_POWER];
  let g = st[base + O_CUMULATIVE];
  const eta = st[base + O_ETA_CURRENT];
  for (; step < current; ++step) {
    p1 *= b1;
    p2 *= b2;
    const alpha = (eta * Math.sqrt(1.0 - p2)) / (1.0 - p1);
    m = b1 * m + (1.0 - b1) * g;
    v = b2 * v + (1.0 - b2) * g * g;
    weight -= (alpha * m) / (Math.sqrt(v) + s.epsilon);
    g = 0;
  }
  st[base + O_STEP] = step;
  st[base + O_M] = m;
  st[base + O_V] = v;
  st[base + O_BETA1_POWER] = p1;
  st[base + O_BETA2_POWER] = p2;
  st[base + O_CUMULATIVE] = 0;
  return weight;
}

/** Standalone optimizer states for `count` connections (tests, custom synapse code). */
export class OptimizerState {
  readonly data: Float64Array;

  constructor(count: number) {
    this.data = new Float64Array(count * OPTIMIZER_FIELDS);
  }

  init(k: number): void {
    initOptimizerAt(this.data, k * OPTIMIZER_FIELDS);
  }

  /** Field `field` (O_STEP, O_M, ...) of connection k. */
  get(k: number, field: number): number {
    return this.data[k * OPTIMIZER_FIELDS + field];
  }
}

/** `optimized_weight` for connection k of an OptimizerState. */
export function optimizedWeight(s: OptimizerSettings, o: OptimizerState, k: number, idx: number, gradient: number, weight: number): number {
  return optimizedWeightAt(s, o.data, k * OPTIMIZER_FIELDS, idx, gradient, weight);
}
