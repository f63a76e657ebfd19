/**
 * Where the CPU executor looks for NaN and ±∞. Inputs are checked when they are bound
 * (bind.ts), so a non-finite value can first appear only at a node that computes something.
 * Ops that only move, select or sign-flip their inputs' entries (or write constants) cannot
 * create one from finite inputs; their outputs are not scanned. Every other op's outputs are.
 */

/**
 * Ops whose outputs are entries of their inputs, their negations or absolute values, fixed
 * constants, positions (argmax), or bounded functions of them (tanh, sigmoid).
 */
export const FINITE_PRESERVING: ReadonlySet<string> = new Set([
  "reshape",
  "transpose",
  "diag",
  "diagm",
  "broadcastTo",
  "eye",
  "oneHot",
  "neg",
  "abs",
  "sign",
  "maximum",
  "minimum",
  "tanh",
  "sigmoid",
  "max",
  "min",
  "argmax",
  "argmin",
  "concatenate",
  "slice",
  "take",
  "permute",
]);

/** Index of the first NaN or ±∞ in `data`, or −1. */
export function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) return i;
  }
  return -1;
}
