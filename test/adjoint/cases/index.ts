/**
 * The gradient-check table, keyed by op name (`dsl:<name>` for DSL composites). Every registered op
 * has cases here or a `noAdjoint` reason in its op block (test/adjoint/gradcheck.test.ts
 * fails otherwise).
 */
import { ELEMENTWISE_GRAD_CASES } from "./elementwise.js";
import { LINALG_GRAD_CASES } from "./linalg.js";
import { LINALG_FUNCTION_GRAD_CASES } from "./linalg-functions.js";
import { MOVEMENT_GRAD_CASES } from "./movement.js";
import { NN_GRAD_CASES } from "./nn.js";
import { REDUCE_GRAD_CASES } from "./reduce.js";
import { INDEXING_GRAD_CASES, WHERE_GRAD_CASES } from "./indexing.js";
import { EINSUM_GRAD_CASES } from "./einsum.js";
import { SPECTRAL_GRAD_CASES } from "./spectral.js";
import type { GradTable } from "./types.js";

export type { GradCase, GradTable } from "./types.js";

export const GRAD_CASES: GradTable = {
  ...ELEMENTWISE_GRAD_CASES,
  ...MOVEMENT_GRAD_CASES,
  ...REDUCE_GRAD_CASES,
  ...INDEXING_GRAD_CASES,
  ...WHERE_GRAD_CASES,
  ...EINSUM_GRAD_CASES,
  ...LINALG_GRAD_CASES,
  ...LINALG_FUNCTION_GRAD_CASES,
  ...SPECTRAL_GRAD_CASES,
  ...NN_GRAD_CASES,
};
