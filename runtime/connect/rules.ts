/**
 * Connection rules with NEST's semantics and defaults (allow_autapses = allow_multapses = true).
 * A rule produces (pre position, post position) pairs in NEST's generation order, which is also
 * the order of per-connection arrays: all_to_all and pairwise_bernoulli go target by target over
 * the sources ([post][pre]); fixed_indegree target by target ([post][k]); fixed_outdegree source by
 * source ([pre][k]); one_to_one by index; fixed_total_number in draw order.
 */
import { IllegalConnectionError, InvalidParameterError, ShapeMismatchError } from "../errors.js";
import { checkBoolean, checkCount, checkProbability, isPlainObject, describe } from "../params.js";
import type { Xoshiro128 } from "../random/xoshiro.js";

export type RuleName = "all_to_all" | "one_to_one" | "fixed_indegree" | "fixed_outdegree" | "fixed_total_number" | "pairwise_bernoulli";

export interface ConnSpec {
  rule: RuleName;
  allow_autapses: boolean;
  allow_multapses: boolean;
  indegree?: number;
  outdegree?: number;
  N?: number;
  p?: number;
}

/** The shape per-connection arrays must have: [rows][cols] in generation order, or flat. */
export interface PairShape {
  readonly rows: number;
  readonly cols: number;
  /** How the dimensions read in messages, e.g. "[post][pre]". */
  readonly label: string;
  /** False for rules whose count is random (pairwise_bernoulli). */
  readonly fixed: boolean;
}

const RULES: readonly RuleName[] = ["all_to_all", "one_to_one", "fixed_indegree", "fixed_outdegree", "fixed_total_number", "pairwise_bernoulli"];
const RULE_KEYS: Record<RuleName, readonly string[]> = {
  all_to_all: [],
  one_to_one: [],
  fixed_indegree: ["indegree"],
  fixed_outdegree: ["outdegree"],
  fixed_total_number: ["N"],
  pairwise_bernoulli: ["p"],
};

export function normalizeConnSpec(spec: unknown, nPre: number, nPost: number): ConnSpec {
  const arg = "conn_spec";
  if (spec === undefined || spec === null) spec = { rule: "all_to_all" };
  if (typeof spec === "string") spec = { rule: spec };
  if (!isPlainObject(spec)) throw new InvalidParameterError(`${arg} must be a rule name or an object, got ${describe(spec)}`, arg);
  const rule = spec.rule ?? "all_to_all";
  if (typeof rule !== "string" || !(RULES as readonly string[]).includes(rule)) {
    throw new InvalidParameterError(`${arg}.rule: unknown rule ${describe(rule)} (known: ${RULES.join(", ")})`, `${arg}.rule`);
  }
  const r = rule as RuleName;
  for (const key of Object.keys(spec)) {
    if (key === "rule" || key === "allow_autapses" || key === "allow_multapses") continue;
    if (!RULE_KEYS[r].includes(key)) {
      throw new InvalidParameterError(`${arg}.${key} is not a parameter of rule ${r}`, `${arg}.${key}`);
    }
  }
  const out: ConnSpec = {
    rule: r,
    allow_autapses: spec.allow_autapses === undefined ? true : checkBoolean(spec.allow_autapses, `${arg}.allow_autapses`),
    allow_multapses: spec.allow_multapses === undefined ? true : checkBoolean(spec.allow_multapses, `${arg}.allow_multapses`),
  };
  const need = (key: string) => {
    if (spec[key as keyof typeof spec] === undefined) throw new InvalidParameterError(`rule ${r} needs ${arg}.${key}`, `${arg}.${key}`);
    return (spec as Record<string, unknown>)[key];
  };
  switch (r) {
    case "one_to_one":
      if (nPre !== nPost) {
        throw new ShapeMismatchError(`one_to_one needs pre and post of equal size, got ${nPre} and ${nPost}`, "post");
      }
      break;
    case "fixed_indegree":
      out.indegree = checkCount(need("indegree"), `${arg}.indegree`);
      if (!out.allow_multapses && out.indegree > nPre) {
        throw new IllegalConnectionError(
          `fixed_indegree: indegree ${out.indegree} exceeds the ${nPre} sources and multapses are not allowed`,
          `${arg}.indegree`,
        );
      }
      if (out.indegree > 0 && nPre === 0) throw new IllegalConnectionError("fixed_indegree: no sources to draw from", "pre");
      break;
    case "fixed_outdegree":
      out.outdegree = checkCount(need("outdegree"), `${arg}.outdegree`);
      if (!out.allow_multapses && out.outdegree > nPost) {
        throw new IllegalConnectionError(
          `fixed_outdegree: outdegree ${out.outdegree} exceeds the ${nPost} targets and multapses are not allowed`,
          `${arg}.outdegree`,
        );
      }
      if (out.outdegree > 0 && nPost === 0) throw new IllegalConnectionError("fixed_outdegree: no targets to draw from", "post");
      break;
    case "fixed_total_number":
      out.N = checkCount(need("N"), `${arg}.N`);
      if (!out.allow_multapses && out.N > nPre * nPost) {
        throw new IllegalConnectionError(`fixed_total_number: N ${out.N} exceeds the ${nPre * nPost} possible pairs without multapses`, `${arg}.N`);
      }
      if (out.N > 0 && (nPre === 0 || nPost === 0)) throw new IllegalConnectionError("fixed_total_number: empty pre or post", "pre");
      break;
    case "pairwise_bernoulli":
      out.p = checkProbability(need("p"), `${arg}.p`);
      break;
  }
  return out;
}

export function pairShape(spec: ConnSpec, nPre: number, nPost: number): PairShape {
  switch (spec.rule) {
    case "all_to_all":
      return { rows: nPost, cols: nPre, label: "[post][pre]", fixed: true };
    case "one_to_one":
      return { rows: 1, cols: nPre, label: "[n]", fixed: true };
    case "fixed_indegree":
      return { rows: nPost, cols: spec.indegree!, label: "[post][indegree]", fixed: true };
    case "fixed_outdegree":
      return { rows: nPre, cols: spec.outdegree!, label: "[pre][outdegree]", fixed: true };
    case "fixed_total_number":
      return { rows: 1, cols: spec.N!, label: "[N]", fixed: true };
    case "pairwise_bernoulli":
      return { rows: 0, cols: 0, label: "(random count)", fixed: false };
  }
}

export interface Pairs {
  pre: Int32Array;
  post: Int32Array;
}

/**
 * Draws the pairs. `preIds`/`postIds` are global ids (for the autapse test). Without multapses,
 * sampling is without replacement; an impossible request throws IllegalConnectionError.
 */
export function generatePairs(spec: ConnSpec, preIds: Int32Array, postIds: Int32Array, rng: Xoshiro128): Pairs {
  const nPre = preIds.length;
  const nPost = postIds.length;
  const autapses = spec.allow_autapses;
  switch (spec.rule) {
    case "all_to_all": {
      const pre = new Int32Array(nPre * nPost);
      const post = new Int32Array(nPre * nPost);
      let m = 0;
      for (let j = 0; j < nPost; j++) {
        for (let i = 0; i < nPre; i++) {
          if (!autapses && preIds[i] === postIds[j]) continue;
          pre[m] = i;
          post[m] = j;
          m++;
        }
      }
      return { pre: pre.subarray(0, m), post: post.subarray(0, m) };
    }
    case "one_to_one": {
      const pre = new Int32Array(nPre);
      const post = new Int32Array(nPre);
      let m = 0;
      for (let i = 0; i < nPre; i++) {
        if (!autapses && preIds[i] === postIds[i]) continue;
        pre[m] = i;
        post[m] = i;
        m++;
      }
      return { pre: pre.subarray(0, m), post: post.subarray(0, m) };
    }
    case "fixed_indegree":
      return drawPerAnchor(spec.indegree!, postIds, preIds, autapses, spec.allow_multapses, rng, "indegree", true);
    case "fixed_outdegree":
      return drawPerAnchor(spec.outdegree!, preIds, postIds, autapses, spec.allow_multapses, rng, "outdegree", false);
    case "fixed_total_number": {
      const N = spec.N!;
      const pre = new Int32Array(N);
      const post = new Int32Array(N);
      const seen = spec.allow_multapses ? null : new Set<number>();
      const possible = countPossiblePairs(preIds, postIds, autapses);
      if (N > possible && !spec.allow_multapses) {
        throw new IllegalConnectionError(`fixed_total_number: N ${N} exceeds the ${possible} allowed pairs`, "conn_spec.N");
      }
      if (N > 0 && possible === 0) throw new IllegalConnectionError("fixed_total_number: no allowed pairs", "conn_spec.N");
      let m = 0;
      while (m < N) {
        const i = rng.uniformInt(nPre);
        const j = rng.uniformInt(nPost);
        if (!autapses && preIds[i] === postIds[j]) continue;
        if (seen !== null) {
          const key = i * nPost + j;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        pre[m] = i;
        post[m] = j;
        m++;
      }
      return { pre, post };
    }
    case "pairwise_bernoulli": {
      const p = spec.p!;
      let pre = new Int32Array(Math.max(16, Math.ceil(nPre * nPost * p * 1.1) + 16));
      let post = new Int32Array(pre.length);
      let m = 0;
      const push = (i: number, j: number) => {
        if (m === pre.length) {
          const a = new Int32Array(pre.length * 2);
          a.set(pre);
          pre = a;
          const b = new Int32Array(post.length * 2);
          b.set(post);
          post = b;
        }
        pre[m] = i;
        post[m] = j;
        m++;
      };
      if (p <= 0) return { pre: new Int32Array(0), post: new Int32Array(0) };
      const logq = Math.log1p(-p);
      for (let j = 0; j < nPost; j++) {
        if (p >= 1) {
          for (let i = 0; i < nPre; i++) if (autapses || preIds[i] !== postIds[j]) push(i, j);
          continue;
        }
        // Geometric skips over the sources: one draw per connection instead of per pair.
        let i = -1;
        for (;;) {
          i += Math.floor(Math.log(rng.uniformOpen()) / logq) + 1;
          if (i >= nPre) break;
          if (!autapses && preIds[i] === postIds[j]) continue;
          push(i, j);
        }
      }
      return { pre: pre.slice(0, m), post: post.slice(0, m) };
    }
  }
}

function countPossiblePairs(preIds: Int32Array, postIds: Int32Array, autapses: boolean): number {
  let total = preIds.length * postIds.length;
  if (!autapses) {
    const s = new Set(preIds);
    for (const id of postIds) if (s.has(id)) total--;
  }
  return total;
}

/**
 * For each anchor (target for indegree, source for outdegree) draw `k` partners uniformly.
 * Without multapses the draw is without replacement (rejection against a mark array).
 */
function drawPerAnchor(
  k: number,
  anchors: Int32Array,
  partners: Int32Array,
  autapses: boolean,
  multapses: boolean,
  rng: Xoshiro128,
  what: string,
  anchorIsPost: boolean,
): Pairs {
  const nA = anchors.length;
  const nP = partners.length;
  const m = nA * k;
  const a = new Int32Array(m);
  const p = new Int32Array(m);
  let index: Map<number, number> | null = null;
  if (!autapses) {
    index = new Map();
    for (let i = 0; i < nP; i++) index.set(partners[i], i);
  }
  const marks = multapses ? null : new Uint8Array(nP);
  const scale = nP / 4294967296;
  const chosen = multapses ? null : new Int32Array(k);
  let pos = 0;
  for (let j = 0; j < nA; j++) {
    const self = index === null ? -1 : (index.get(anchors[j]) ?? -1);
    const available = nP - (self >= 0 ? 1 : 0);
    if (k > 0 && available === 0) throw new IllegalConnectionError(`fixed_${what}: node ${anchors[j]} has no allowed partner`, `conn_spec.${what}`);
    if (!multapses && k > available) {
      throw new IllegalConnectionError(`fixed_${what}: ${what} ${k} exceeds the ${available} allowed partners of node ${anchors[j]}`, `conn_spec.${what}`);
    }
    for (let c = 0; c < k; c++) {
      let s: number;
      do {
        // One 32-bit draw scaled to [0, nP): bias ≤ nP / 2^32, far below sampling noise.
        s = Math.floor(rng.uint32() * scale);
      } while (s === self || (marks !== null && marks[s] === 1));
      if (marks !== null) {
        marks[s] = 1;
        chosen![c] = s;
      }
      a[pos] = j;
      p[pos] = s;
      pos++;
    }
    if (marks !== null) for (let c = 0; c < k; c++) marks[chosen![c]] = 0;
  }
  return anchorIsPost ? { pre: p, post: a } : { pre: a, post: p };
}
