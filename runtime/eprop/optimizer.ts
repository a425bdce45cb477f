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

/** Per-connection optimizer state (NEST's `WeightOptimizer`/`WeightOptimizerAdam`), SoA. */
export class OptimizerState {
  cumulative: Float64Array;
  step: Float64Array;
  etaCurrent: Float64Array;
  nOptimize: Float64Array;
  m: Float64Array;
  v: Float64Array;
  beta1Power: Float64Array;
  beta2Power: Float64Array;

  constructor(capacity: number) {
    this.cumulative = new Float64Array(capacity);
    this.step = new Float64Array(capacity);
    this.etaCurrent = new Float64Array(capacity);
    this.nOptimize = new Float64Array(capacity);
    this.m = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.beta1Power = new Float64Array(capacity);
    this.beta2Power = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    for (const key of ["cumulative", "step", "etaCurrent", "nOptimize", "m", "v", "beta1Power", "beta2Power"] as const) {
      const next = new Float64Array(capacity);
      next.set(this[key]);
      this[key] = next;
    }
  }

  /** A fresh optimizer for connection k (NEST constructs one per connection). */
  init(k: number): void {
    this.cumulative[k] = 0;
    this.step[k] = 1;
    this.etaCurrent[k] = 1e-4;
    this.nOptimize[k] = 0;
    this.m[k] = 0;
    this.v[k] = 0;
    this.beta1Power[k] = 1;
    this.beta2Power[k] = 1;
  }
}

/** NEST's `WeightOptimizer::optimized_weight(cp, idx, gradient, weight)` for connection k. */
export function optimizedWeight(s: OptimizerSettings, o: OptimizerState, k: number, idx: number, gradient: number, weight: number): number {
  if (s.etaChangeCount !== 0 && o.nOptimize[k] === 0) o.etaCurrent[k] = s.etaFirstChange;
  o.cumulative[k] += gradient;
  if (o.step[k] === 0) o.step[k] = idx;
  const current = 1 + Math.floor(idx / s.batchSize);
  if (o.step[k] < current) {
    o.cumulative[k] /= s.batchSize;
    const w = s.type === "adam" ? adamStep(s, o, k, weight, current) : gdStep(o, k, weight);
    weight = Math.min(Math.max(w, s.Wmin), s.Wmax);
    o.etaCurrent[k] = s.eta;
    o.nOptimize[k] += 1;
    o.step[k] = current;
  }
  return weight;
}

function gdStep(o: OptimizerState, k: number, weight: number): number {
  weight -= o.etaCurrent[k] * o.cumulative[k];
  o.cumulative[k] = 0;
  return weight;
}

/** Adam, TensorFlow form: the accumulated gradient at the earliest pending step, then zero gradients. */
function adamStep(s: OptimizerSettings, o: OptimizerState, k: number, weight: number, current: number): number {
  const b1 = s.beta1;
  const b2 = s.beta2;
  let step = o.step[k];
  let m = o.m[k];
  let v = o.v[k];
  let p1 = o.beta1Power[k];
  let p2 = o.beta2Power[k];
  let g = o.cumulative[k];
  const eta = o.etaCurrent[k];
  for (; step < current; ++step) {
    p1 *= b1;
    p2 *= b2;
    const alpha = (eta * Math.sqrt(1.0 - p2)) / (1.0 - p1);
    m = b1 * m + (1.0 - b1) * g;
    v = b2 * v + (1.0 - b2) * g * g;
    weight -= (alpha * m) / (Math.sqrt(v) + s.epsilon);
    g = 0;
  }
  o.step[k] = step;
  o.m[k] = m;
  o.v[k] = v;
  o.beta1Power[k] = p1;
  o.beta2Power[k] = p2;
  o.cumulative[k] = 0;
  return weight;
}
