/** Human-readable unit names for messages: `mV`, `pA/ms`, `1/ms`, `nS**2`. */
import type { UnitExpr } from "../ast.js";
import { BASE_DIMENSIONS, divideUnits, isDimensionless, multiplyUnits, powerUnit, sameDimension, type Unit } from "./dimension.js";
import { joinPowers } from "./kernel-scale.js";
import { lookupUnit, PREFIXES } from "./registry.js";

// Units shown by name in messages; rarer SI names (Wb, T, H, N, Pa, J) would hide familiar products such as mV*ms.
const DISPLAY_BASES = ["V", "A", "S", "F", "Ohm", "s", "Hz", "m", "g", "mol", "M", "L", "K", "cd", "C", "W"];
const TIME_UNITS = ["ms", "s", "us", "ns"];

function close(a: number, b: number): boolean {
  return Math.abs(a / b - 1) < 1e-9;
}

/** A single (possibly prefixed) unit name equal to `u`, if there is one. */
function singleName(u: Unit): string | undefined {
  for (const base of DISPLAY_BASES) {
    const b = lookupUnit(base)!;
    if (!sameDimension(b, u)) continue;
    if (base === "Hz") continue; // rates print as 1/<time>
    const ratio = u.scale / b.scale;
    if (close(ratio, 1)) return base;
    for (const [p, f] of PREFIXES) if (close(ratio, f) && lookupUnit(p + base)) return p + base;
  }
  return undefined;
}

/** `mV`, `mV/ms`, `1/ms`, `nS**2`, `pA**2/ms`, or an SI-base rendering with a scale factor as a last resort. */
export function formatUnit(u: Unit): string {
  if (isDimensionless(u)) return close(u.scale, 1) ? "1" : `${u.scale}`;
  const single = singleName(u);
  if (single) return single;
  // u = X**p / t**q with X a single (prefixed) unit and t a time unit, simplest forms first.
  for (const q of [1, 2]) {
    for (const t of TIME_UNITS) {
      const x = multiplyUnits(u, powerUnit(lookupUnit(t)!, q));
      const tq = q === 1 ? t : `${t}**${q}`;
      if (isDimensionless(x) && close(x.scale, 1)) return `1/${tq}`;
      const name = singleName(x);
      if (name) return `${name}/${tq}`;
    }
  }
  for (const p of [2, 3, -1, -2, 0.5, -0.5, 1.5, -1.5]) {
    const name = singleName(powerUnit(u, 1 / p));
    if (name) return p === -1 ? `1/${name}` : p < 0 ? `1/${name}**${fmtExp(-p)}` : `${name}**${fmtExp(p)}`;
    for (const q of [1, 2]) {
      for (const t of TIME_UNITS) {
        const x = powerUnit(multiplyUnits(u, powerUnit(lookupUnit(t)!, q)), 1 / p);
        const n2 = singleName(x);
        if (n2 && p > 0) return `${n2}**${fmtExp(p)}/${q === 1 ? t : `${t}**${q}`}`;
      }
    }
  }
  // Products of two named units (pA*ms, mV*nS).
  for (const a of PRODUCT_BASES) {
    const name = singleName(divideUnits(u, lookupUnit(a)!));
    if (name) return `${a}*${name}`;
  }
  const generic = joinPowers(BASE_DIMENSIONS.map((d, i) => [d, u.dims[i]!] as const));
  return close(u.scale, 1) ? generic : `${Number(u.scale.toPrecision(6))}*${generic}`;
}

const PRODUCT_BASES = ["mV", "pA", "ms", "nS", "pF", "s", "V", "A"];

function fmtExp(n: number): string {
  return Number.isInteger(n) ? String(n) : n === 0.5 ? "(1/2)" : n === 1.5 ? "(3/2)" : `(${n})`;
}

/** The unit expression as written (normalised spacing): `mV/ms`, `1/ms`, `nS**2`. */
export function unitExprText(u: UnitExpr): string {
  switch (u.kind) {
    case "UnitName":
      return u.name;
    case "UnitOne":
      return String(u.value);
    case "UnitBinary": {
      const r = unitExprText(u.right);
      const right = u.op === "/" && u.right.kind === "UnitBinary" ? `(${r})` : r;
      return `${unitExprText(u.left)}${u.op}${right}`;
    }
    case "UnitPower": {
      const b = unitExprText(u.base);
      const base = u.base.kind === "UnitBinary" ? `(${b})` : b;
      const e = u.denominator === 1 ? String(u.numerator) : `(${u.numerator}/${u.denominator})`;
      return `${base}**${e}`;
    }
  }
}
