/** Human-readable unit names for messages: `mV`, `pA/ms`, `1/ms`, `nS**2`. */
import type { UnitExpr } from "../ast.js";
import { BASE_DIMENSIONS, divideUnits, isDimensionless, powerUnit, sameDimension, type Unit } from "./dimension.js";
import { joinPowers } from "./kernel-scale.js";
import { lookupUnit, PREFIXES } from "./registry.js";

const DISPLAY_BASES = ["V", "A", "S", "F", "Ohm", "s", "Hz", "m", "g", "mol", "M", "L", "K", "cd", "C", "W", "J", "N", "Pa", "Wb", "T", "H"];
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

/** `mV`, `mV/ms`, `1/ms`, `nS**2`, or an SI-base rendering with a scale factor as a last resort. */
export function formatUnit(u: Unit): string {
  if (isDimensionless(u)) return close(u.scale, 1) ? "1" : `${u.scale}`;
  const single = singleName(u);
  if (single) return single;
  for (const t of TIME_UNITS) {
    const time = lookupUnit(t)!;
    // u = X / t  or u = 1 / t  or u = X / t**2
    for (const n of [1, 2]) {
      const x = divideUnits(u, powerUnit(time, -n));
      if (isDimensionless(x) && close(x.scale, 1)) return n === 1 ? `1/${t}` : `1/${t}**${n}`;
      const name = singleName(x);
      if (name) return n === 1 ? `${name}/${t}` : `${name}/${t}**${n}`;
    }
  }
  for (const n of [2, 3, -2, -3, 0.5, -0.5]) {
    const root = powerUnit(u, 1 / n);
    const name = singleName(root);
    if (name) return n < 0 ? `1/${name}**${-n === 1 ? "" : fmtExp(-n)}` : `${name}**${fmtExp(n)}`;
  }
  const generic = joinPowers(BASE_DIMENSIONS.map((d, i) => [d, u.dims[i]!] as const));
  return close(u.scale, 1) ? generic : `${u.scale}*${generic}`;
}

function fmtExp(n: number): string {
  return Number.isInteger(n) ? String(n) : n === 0.5 ? "(1/2)" : `(${n})`;
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
