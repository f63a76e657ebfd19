/** Every op's WebGPU lowering, by op name: each family's table, listed once. */
import type { Lowering } from "../lowering.js";
import { LINALG_LOWERINGS } from "./linalg.js";
import { LINALG_FUNCTION_LOWERINGS } from "./linalg-functions.js";
import { MATMUL_LOWERINGS } from "./matmul.js";
import { NN_LOWERINGS } from "./nn.js";
import { OPTIM_LOWERINGS } from "./optim.js";
import { REDUCE_LOWERINGS } from "./reduce.js";

const LOWERINGS = new Map<string, Lowering>();
for (const [op, l] of [...REDUCE_LOWERINGS, ...MATMUL_LOWERINGS, ...NN_LOWERINGS, ...LINALG_LOWERINGS, ...LINALG_FUNCTION_LOWERINGS, ...OPTIM_LOWERINGS]) {
  if (LOWERINGS.has(op)) throw new Error(`two lowerings for '${op}'`);
  LOWERINGS.set(op, l);
}

export function getLowering(op: string): Lowering | undefined {
  return LOWERINGS.get(op);
}
