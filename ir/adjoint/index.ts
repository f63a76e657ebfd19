/** Every op's adjoint rule by op name (ir/registry.ts attaches them), and the ops that have none. */
import type { AdjointRule } from "../op.js";
import { ELEMENTWISE_ADJOINTS } from "./elementwise.js";
import { INDEXING_ADJOINTS } from "./indexing.js";
import { LINALG_ADJOINTS } from "./linalg.js";
import { MOVEMENT_ADJOINTS } from "./movement.js";
import { NN_ADJOINTS } from "./nn.js";
import { SPECTRAL_ADJOINTS } from "./spectral.js";

export const ADJOINT_RULES: Readonly<Record<string, AdjointRule>> = {
  ...ELEMENTWISE_ADJOINTS,
  ...MOVEMENT_ADJOINTS,
  ...INDEXING_ADJOINTS,
  ...LINALG_ADJOINTS,
  ...SPECTRAL_ADJOINTS,
  ...NN_ADJOINTS,
};

/**
 * Ops without an adjoint rule, with the reason. They appear only inside backward graphs built by
 * the adjoint pass (second derivatives are not supported yet), or they start the graph.
 */
export const NO_ADJOINT: Readonly<Record<string, string>> = {
  input: "a source: gradients are taken with respect to it",
  param: "a source: gradients are taken with respect to it",
  constant: "no inputs",
  eye: "no inputs",
  dimSize: "no inputs",
  lowerHalf: "backward-only (Cholesky rule); second derivatives are not supported",
  eigGapInverse: "backward-only (eigh rule); second derivatives are not supported",
  svdGapInverse: "backward-only (svd rule); second derivatives are not supported",
  loewner: "backward-only (spectral rules); second derivatives are not supported",
  divdiff: "backward-only (spectralApply rule); second derivatives are not supported",
  projectorGap: "backward-only (topEigenProjector rule); second derivatives are not supported",
  conv2dGradInput: "backward-only (conv2d rule); second derivatives are not supported",
  conv2dGradWeight: "backward-only (conv2d rule); second derivatives are not supported",
  avgPool2dBackward: "backward-only (avgPool2d rule); second derivatives are not supported",
  maxPool2dBackward: "backward-only (maxPool2d rule); second derivatives are not supported",
  oneHot: "integer labels in, constant out: nothing to differentiate",
  normWeights: "backward-only (norm rule); second derivatives are not supported",
  powLoewner: "backward-only (powm rule); second derivatives are not supported",
  takeGrad: "backward-only (take rule); second derivatives are not supported",
  argmax: "an integer position: piecewise constant in x, so no gradient flows through it (as jax.numpy.argmax)",
  argmin: "an integer position: piecewise constant in x, so no gradient flows through it (as jax.numpy.argmin)",
};
