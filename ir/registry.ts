/**
 * The op registry: every family's table (ir/ops/<family>.ts), listed once. It refuses duplicates so
 * there is exactly one definition per op; tests walk it so that no op escapes them. Importing it is
 * an ordinary import — the tables are built by their modules, nothing registers itself.
 */
import { ADJOINT_RULES } from "./adjoint/index.js";
import { fail } from "./diagnostics.js";
import type { OpDef } from "./op.js";
import { BACKWARD_OPS } from "./ops/backward.js";
import { ELEMENTWISE_OPS } from "./ops/elementwise.js";
import { INDEXING_OPS } from "./ops/indexing.js";
import { LINALG_OPS } from "./ops/linalg.js";
import { MOVEMENT_OPS } from "./ops/movement.js";
import { NN_OPS } from "./ops/nn.js";
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
  BACKWARD_OPS,
  SPECTRAL_FN_OPS,
];

const registry = new Map<string, OpDef>();

/**
 * Adds an op (the family tables at start-up; tests and extensions after). Throws if the name is
 * taken, so each op — and its derivative — is defined exactly once.
 */
export function registerOp(def: OpDef): OpDef {
  if (registry.has(def.name)) throw new Error(`op '${def.name}' is defined twice`);
  registry.set(def.name, def);
  return def;
}

for (const table of FAMILIES) for (const def of table) registerOp(def);
for (const [name, rule] of Object.entries(ADJOINT_RULES)) {
  const def = registry.get(name);
  if (!def) throw new Error(`adjoint for unknown op '${name}'`);
  if (def.adjoint) throw new Error(`op '${name}' has two adjoint rules`);
  registry.set(name, { ...def, adjoint: rule });
}

export function getOp(name: string): OpDef {
  return registry.get(name) ?? fail("MP3002", `unknown op '${name}'`);
}

export function hasOp(name: string): boolean {
  return registry.has(name);
}

export function allOps(): OpDef[] {
  return [...registry.values()];
}
