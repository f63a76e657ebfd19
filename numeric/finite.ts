/**
 * Where the CPU executor looks for NaN and ±∞. Inputs are checked when they are bound
 * (bind.ts), so a non-finite value can first appear only at a node that computes something.
 * Ops that only move, select or sign-flip their inputs' entries (or write constants) cannot
 * create one from finite inputs: they are in the op group `finite-preserving` (ir/op.ts) and their
 * outputs are not scanned. Every other op's outputs are.
 */

/** Index of the first NaN or ±∞ in `data`, or −1. */
export function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) return i;
  }
  return -1;
}
