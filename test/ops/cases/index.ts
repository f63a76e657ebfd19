/**
 * The known-value case table, keyed by op name: every registered op has at least one case
 * (test/ops/values.test.ts fails otherwise), plus `dsl:` keys for DSL composites. The round-trip
 * test (test/ir/roundtrip.test.ts) reuses every model here.
 */
import { BACKWARD_CASES } from "./backward.js";
import { ELEMENTWISE_CASES } from "./elementwise.js";
import { EXTREME_CASES } from "./extreme.js";
import { COMPARISON_CASES, INDEXING_CASES } from "./indexing.js";
import { EINSUM_CASES } from "./einsum.js";
import { LINALG_CASES, SPECTRAL_CASES } from "./linalg.js";
import { LINALG_FUNCTION_CASES } from "./linalg-functions.js";
import { DSL_CASES, NN_CASES } from "./nn.js";
import { MATMUL_CASES, MOVEMENT_CASES, REDUCE_CASES } from "./reduce-movement.js";
import { OPTIM_CASES } from "./optim.js";
import { SOURCE_CASES } from "./source.js";
import type { CaseTable, OpCase } from "./types.js";

export type { CaseTable, Nested, OpCase } from "./types.js";

export const CASES: CaseTable = {
  ...SOURCE_CASES,
  ...ELEMENTWISE_CASES,
  ...REDUCE_CASES,
  ...EXTREME_CASES,
  ...INDEXING_CASES,
  ...COMPARISON_CASES,
  ...EINSUM_CASES,
  ...MOVEMENT_CASES,
  ...MATMUL_CASES,
  ...LINALG_CASES,
  ...LINALG_FUNCTION_CASES,
  ...SPECTRAL_CASES,
  ...NN_CASES,
  ...DSL_CASES,
  ...BACKWARD_CASES,
  ...OPTIM_CASES,
};

/** Every distinct case (a case listed under several ops appears once). */
export function allCases(): OpCase[] {
  return [...new Set(Object.values(CASES).flat())];
}
