/**
 * poisson_generator: every target gets its own independent Poisson train (NEST draws a Poisson
 * number per target per step, sent as one event with that multiplicity). Active in step t when
 * origin+start < t ≤ origin+stop (NEST compares the update step here, not the stamp). The
 * count for rate·dt is drawn by table inversion from the generator's own random stream.
 */
import { InvalidParameterError } from "../errors.js";
import type { Kernel } from "../engine/kernel.js";
import { checkNumber } from "../params.js";
import { PoissonTable } from "../random/poisson-table.js";
import type { Xoshiro128 } from "../random/xoshiro.js";
import type { TimeGrid } from "../time.js";
import { DeviceBlock, TIMING_DEFAULTS, type DeviceTiming } from "./device-block.js";

export interface PoissonGeneratorParams extends DeviceTiming {
  rate: number;
}

/** Above this mean the table would be long; draw with PTRS instead. */
const MAX_TABLE_LAMBDA = 1e5;

export class PoissonGeneratorBlock extends DeviceBlock<PoissonGeneratorParams> {
  private tables: (PoissonTable | null)[] = [];
  private lambdas: Float64Array;
  private rngs: Xoshiro128[] = [];

  constructor(n: number, defaults: Partial<PoissonGeneratorParams>, grid: TimeGrid, private readonly streamFor: (i: number) => Xoshiro128) {
    super("generator", "poisson_generator", n, { ...TIMING_DEFAULTS, rate: 0, ...defaults }, grid);
    this.lambdas = new Float64Array(n);
    for (let i = 0; i < n; i++) this.rngs.push(streamFor(i));
  }

  protected applyKey(next: PoissonGeneratorParams, key: string, value: unknown, arg: string): boolean {
    if (key !== "rate") return false;
    const r = checkNumber(value, arg);
    if (r < 0 || !Number.isFinite(r)) throw new InvalidParameterError(`poisson_generator: rate must be ≥ 0 and finite, got ${r}`, arg);
    next.rate = r;
    return true;
  }

  override prepare(kernel: Kernel): void {
    super.prepare(kernel);
    this.tables = this.params.map((p, i) => {
      const lambda = (p.rate * kernel.grid.resolution) / 1000;
      const old = this.tables[i];
      this.lambdas[i] = lambda;
      if (lambda <= 0) return null;
      if (old && old.lambda === lambda) return old;
      return lambda <= MAX_TABLE_LAMBDA ? new PoissonTable(lambda) : null;
    });
  }

  update(origin: number, from: number, to: number): void {
    const out = this.outgoing;
    for (let i = 0; i < this.n; i++) {
      const lambda = this.lambdas[i];
      if (lambda <= 0) continue;
      const w = this.windows[i];
      const table = this.tables[i];
      const rng = this.rngs[i];
      for (let lag = from; lag < to; lag++) {
        const t = origin + lag;
        if (!(w.tMin < t && t <= w.tMax)) continue;
        for (let j = 0; j < out.length; j++) out[j].deliverPoisson(i, t, table, lambda, rng);
      }
    }
  }
}
