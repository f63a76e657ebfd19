/**
 * The op registry: every family's table (ir/ops/<family>.ts), listed once. It refuses duplicates so
 * there is exactly one definition per op; tests walk it so that no op escapes them. Importing it is
 * an ordinary import — the tables are built by their modules, nothing registers itself.
 */
import { fail } from "./diagnostics.js";
import type { OpDef, OpGroup } from "./op.js";
import { ELEMENTWISE_OPS } from "./ops/elementwise.js";
import { FACTORIZATION_OPS } from "./ops/factorizations.js";
import { LINALG_REDUCTION_OPS } from "./ops/linalg-reductions.js";
import { INDEXING_OPS } from "./ops/indexing.js";
import { LINALG_OPS } from "./ops/linalg.js";
import { MATRIX_POWER_OPS } from "./ops/matrix-power.js";
import { MOVEMENT_OPS } from "./ops/movement.js";
import { NN_OPS } from "./ops/nn.js";
import { OPTIM_OPS } from "./ops/optim.js";
import { PROJECTOR_OPS } from "./ops/projector.js";
import { REDUCE_OPS } from "./ops/reduce.js";
import { SOURCE_OPS } from "./ops/source.js";
import { SPECTRAL_FN_OPS } from "./ops/spectral-fn.js";
import { SPECTRAL_OPS } from "./ops/spectral.js";

const FAMILIES: readonly (readonly OpDef[])[] = [
  SOURCE_OPS,
  ELEMENTWISE_OPS,
  REDUCE_OPS,
  MOVEMENT_OPS,
  INDEXING_OPS,
  LINALG_OPS,
  SPECTRAL_OPS,
  PROJECTOR_OPS,
  NN_OPS,
  SPECTRAL_FN_OPS,
  LINALG_REDUCTION_OPS,
  FACTORIZATION_OPS,
  MATRIX_POWER_OPS,
  OPTIM_OPS,
];

const registry = new Map<string, OpDef>();

/**
 * Adds an op (the family tables at start-up; tests and extensions after). Throws if the name is
 * taken, or if the op has both or neither of an adjoint rule and a reason for having none.
 */
export function registerOp(def: OpDef): OpDef {
  if (registry.has(def.name)) throw new Error(`op '${def.name}' is defined twice`);
  if ((def.adjoint === undefined) === (def.noAdjoint === undefined)) throw new Error(`op '${def.name}' needs exactly one of an adjoint rule and a noAdjoint reason`);
  registry.set(def.name, def);
  return def;
}

for (const table of FAMILIES) for (const def of table) registerOp(def);

export function getOp(name: string): OpDef {
  return registry.get(name) ?? fail("MP3002", `unknown op '${name}'`);
}

export function hasOp(name: string): boolean {
  return registry.has(name);
}

export function allOps(): OpDef[] {
  return [...registry.values()];
}

/** Whether op `name` is registered and in `group` (false for names that are not ops, e.g. expression-only nodes). */
export function opInGroup(name: string, group: OpGroup): boolean {
  return registry.get(name)?.groups?.includes(group) ?? false;
}
