/**
 * The binder: walks each model once and builds its symbol table (variables, kernels, ODEs, ports,
 * functions), reporting structural problems: blocks given twice, names declared twice, predefined
 * names redeclared, unknown units in declared types.
 */
import type { Block, Declaration, InputPort, ModelDecl, SourceFile, TypeExpr } from "../ast.js";
import { lookupUnit, isUnitName } from "../units/registry.js";
import type { UnitProblem } from "../units/unit-expr.js";
import { unitExprText } from "../units/format.js";
import { BUILTIN_FUNCTIONS, PREDEFINED_VARIABLES, RESERVED_FUNCTION_NAMES } from "./builtins.js";
import type { Reporter } from "./reporter.js";
import { closestName } from "./suggest.js";
import {
  keyOf, type FunctionSymbol, type KernelSymbol, type ModelBlocks, type ModelSymbols, type SymbolTable,
  type VariableSymbol,
} from "./symbols.js";
import { ERROR, typeFromTypeExpr, unitType, VOID, type Type } from "./types.js";
import { unitNamesForSuggestions } from "../units/registry.js";

const SINGLE_BLOCKS = ["state", "parameters", "internals", "equations", "input", "output", "update"] as const;
export const SETTINGS_BLOCK_NAMES = new Set(["eprop", "flush"]);

/** The type a type expression denotes, reporting unknown units and bad numerators. */
export function resolveType(t: TypeExpr, report: Reporter): Type {
  const problems: UnitProblem[] = [];
  const type = typeFromTypeExpr(t, problems);
  for (const p of problems) {
    if (p.code === "UNKNOWN_UNIT") {
      const guess = closestName(p.name ?? "", unitNamesForSuggestions());
      report.error(
        "UNKNOWN_UNIT",
        p.node,
        `unknown unit or type '${p.name}'` + (guess ? ` (did you mean '${guess}'?)` : ""),
        p.name === "min" ? "'min' is the min() function; write 60 s" : undefined,
      );
    } else {
      report.error("BAD_UNIT_NUMERATOR", p.node, `a unit type can only have 1 as numerator ('${unitExprText(p.node)}' is not a unit)`, "write 1/ms and multiply the value instead");
    }
  }
  return problems.length ? ERROR : type;
}

function blockLabel(b: Block): string {
  switch (b.kind) {
    case "VariableBlock":
      return b.blockKind;
    case "EquationsBlock":
      return "equations";
    case "InputBlock":
      return "input";
    case "OutputBlock":
      return "output";
    case "UpdateBlock":
      return "update";
    case "SettingsBlock":
      return b.name.name;
    case "FunctionDecl":
      return `function ${b.name.name}`;
    case "OnReceiveBlock":
      return "onReceive";
    case "OnConditionBlock":
      return "onCondition";
  }
}

export function bindModel(model: ModelDecl, report: Reporter): ModelSymbols {
  const blocks: ModelBlocks = { onReceive: [], onCondition: [], functions: [], all: [] };
  const seen = new Map<string, Block>();
  for (const b of model.blocks) {
    blocks.all.push(b);
    const label = blockLabel(b);
    const single = (SINGLE_BLOCKS as readonly string[]).includes(label) || SETTINGS_BLOCK_NAMES.has(label);
    if (b.kind === "SettingsBlock" && !SETTINGS_BLOCK_NAMES.has(label)) {
      const guess = closestName(label, [...SETTINGS_BLOCK_NAMES, ...SINGLE_BLOCKS]);
      report.error("UNKNOWN_BLOCK", b.name, `unknown block '${label}'` + (guess ? ` (did you mean '${guess}'?)` : ""));
      continue;
    }
    if (single) {
      const first = seen.get(label);
      if (first) {
        report.error("DUPLICATE_BLOCK", b, `block '${label}' is defined more than once in model '${model.name.name}' (first at line ${first.range.start.line})`, "merge the two blocks into one");
        continue;
      }
      seen.set(label, b);
    }
    switch (b.kind) {
      case "VariableBlock":
        blocks[b.blockKind] = b;
        break;
      case "EquationsBlock":
        blocks.equations = b;
        break;
      case "InputBlock":
        blocks.input = b;
        break;
      case "OutputBlock":
        blocks.output = b;
        break;
      case "UpdateBlock":
        blocks.update = b;
        break;
      case "OnReceiveBlock":
        blocks.onReceive.push(b);
        break;
      case "OnConditionBlock":
        blocks.onCondition.push(b);
        break;
      case "FunctionDecl":
        blocks.functions.push(b);
        break;
      case "SettingsBlock":
        if (label === "eprop") blocks.eprop = b;
        else blocks.flush = b;
        break;
    }
  }

  const symbols: ModelSymbols = {
    name: model.name.name,
    model,
    isSynapse: model.name.name.endsWith("synapse"),
    blocks,
    variables: new Map(),
    functions: new Map(),
    kernels: new Map(),
    odes: new Map(),
    locals: [],
    hasSpikeOutput: blocks.output?.portKind === "spike",
    settings: new Map(),
  };

  const declare = (sym: VariableSymbol): void => {
    checkNewName(sym.name, sym.nameNode, report);
    const previous = symbols.variables.get(sym.key);
    if (previous) {
      report.error(
        "REDECLARED_NAME",
        sym.nameNode,
        `'${sym.key}' is already declared (in '${previous.block}' at line ${previous.nameNode.range.start.line})`,
      );
      return;
    }
    symbols.variables.set(sym.key, sym);
  };

  // Variable blocks, in the fixed order parameters -> internals -> state so that messages about a
  // redeclaration point at the later of two source positions only within a block.
  for (const b of model.blocks) {
    if (b.kind !== "VariableBlock" || blocks[b.blockKind] !== b) continue;
    const kind = b.blockKind === "parameters" ? "parameter" : b.blockKind === "internals" ? "internal" : "state";
    for (const decl of b.declarations) declareVariables(decl, kind, b.blockKind, declare, report);
  }

  if (blocks.equations) {
    for (const item of blocks.equations.items) {
      if (item.kind === "InlineDecl") {
        declare({
          key: item.name.name,
          name: item.name.name,
          order: 0,
          kind: "inline",
          type: resolveType(item.type, report),
          block: "equations",
          declaration: item,
          nameNode: item.name,
          recordable: true,
        });
      } else if (item.kind === "OdeEquation") {
        const key = keyOf(item.lhs.name, item.lhs.order);
        if (item.lhs.order === 0) continue; // reported by the checker (ODE_WITHOUT_PRIME)
        const previous = symbols.odes.get(key);
        if (previous) {
          report.error("DUPLICATE_ODE", item.lhs, `'${key}' is defined by more than one equation (first at line ${previous.range.start.line})`);
          continue;
        }
        symbols.odes.set(key, item);
      } else {
        for (const def of item.definitions) {
          const name = def.lhs.name;
          const existing = symbols.kernels.get(name);
          if (existing && existing.declaration !== item) {
            report.error("REDECLARED_NAME", def.lhs, `kernel '${name}' is already declared (line ${existing.declaration.range.start.line})`);
            continue;
          }
          if (def.lhs.order === 0) {
            // `kernel g = f(t)`: a name of its own.
            if (symbols.variables.has(name)) {
              report.error("REDECLARED_NAME", def.lhs, `'${name}' is already declared (in '${symbols.variables.get(name)!.block}' at line ${symbols.variables.get(name)!.nameNode.range.start.line})`);
              continue;
            }
            checkNewName(name, def.lhs, report);
          }
          const k: KernelSymbol = existing ?? { name, order: def.lhs.order, declaration: item, type: ERROR };
          symbols.kernels.set(name, k.order >= def.lhs.order ? k : { ...k, order: def.lhs.order });
        }
      }
    }
  }

  if (blocks.input) {
    for (const port of blocks.input.ports) declare(portSymbol(port, report));
  }

  for (const f of blocks.functions) {
    const name = f.name.name;
    if (BUILTIN_FUNCTIONS.has(name)) {
      report.error("PREDEFINED_REDECLARED", f.name, `'${name}' is a built-in function and cannot be redefined`);
      continue;
    }
    if (RESERVED_FUNCTION_NAMES.has(name)) {
      report.error("RESERVED_FUNCTION_NAME", f.name, `a function cannot be called '${name}' (the name is reserved by the simulator interface)`);
    }
    const variable = symbols.variables.get(name) ?? (symbols.kernels.has(name) ? { block: "equations", nameNode: symbols.kernels.get(name)!.declaration } : undefined);
    if (variable) {
      report.error("REDECLARED_NAME", f.name, `'${name}' is already declared as a variable (in '${variable.block}' at line ${variable.nameNode.range.start.line}); a function needs its own name`);
      continue;
    }
    const previous = symbols.functions.get(name);
    if (previous) {
      report.error("DUPLICATE_FUNCTION", f.name, `function '${name}' is already defined (line ${previous.declaration.range.start.line})`);
      continue;
    }
    const parameters = f.parameters.map((p) => ({ name: p.name.name, type: resolveType(p.type, report), node: p }));
    const seenParams = new Set<string>();
    for (const p of f.parameters) {
      if (seenParams.has(p.name.name)) report.error("REDECLARED_NAME", p.name, `parameter '${p.name.name}' is declared twice in function '${name}'`);
      seenParams.add(p.name.name);
    }
    const fn: FunctionSymbol = { name, declaration: f, parameters, returnType: f.returnType ? resolveType(f.returnType, report) : VOID };
    symbols.functions.set(name, fn);
  }
  return symbols;
}

/** Reports predefined names and unit names used as declared names. */
export function checkNewName(name: string, at: { readonly range: import("../ast.js").Range }, report: Reporter): boolean {
  if (PREDEFINED_VARIABLES.has(name) || name === "inf") {
    report.error("PREDEFINED_REDECLARED", at, `'${name}' is a predefined variable and cannot be redeclared`);
    return false;
  }
  if (BUILTIN_FUNCTIONS.has(name)) {
    report.error("PREDEFINED_REDECLARED", at, `'${name}' is a built-in function and cannot be used as a variable name`);
    return false;
  }
  if (isUnitName(name)) {
    report.warning("UNIT_NAME_SHADOWED", at, `'${name}' is also a unit name; inside this model '${name}' means the variable, not the unit`);
  }
  return true;
}

function declareVariables(
  decl: Declaration,
  kind: "parameter" | "internal" | "state",
  block: string,
  declare: (s: VariableSymbol) => void,
  report: Reporter,
): void {
  const type = resolveType(decl.type, report);
  for (const dn of decl.names) {
    declare({
      key: keyOf(dn.name.name, dn.order),
      name: dn.name.name,
      order: dn.order,
      kind,
      type,
      block,
      declaration: decl,
      nameNode: dn,
      ...(dn.vectorSize ? { vectorSize: dn.vectorSize } : {}),
      recordable: kind === "state" || decl.recordable,
    });
  }
}

const PER_SECOND = lookupUnit("Hz")!;

function portSymbol(port: InputPort, report: Reporter): VariableSymbol {
  let type: Type;
  if (port.type) type = resolveType(port.type, report);
  else type = port.portKind === "spike" ? unitType(PER_SECOND, "1/s") : ERROR; // untyped continuous: reported by the checker
  return {
    key: port.name.name,
    name: port.name.name,
    order: 0,
    kind: "inputPort",
    type,
    block: "input",
    declaration: port,
    nameNode: port.name,
    ...(port.size ? { vectorSize: port.size } : {}),
    recordable: false,
    port: { portKind: port.portKind, typed: port.type !== undefined, qualifiers: port.qualifiers.map((q) => q.qualifier) },
  };
}
