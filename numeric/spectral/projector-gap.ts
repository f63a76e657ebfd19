/** The G matrix of the top-k eigenprojector adjoint (docs/architecture.md, rule 3). */
import { type NDArray, ndarray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";
import { maxAbsRange, vectorBatch } from "../vectors.js";

/** The k-th and (k+1)-th largest eigenvalues closer than this times max|w| count as equal. */
export const PROJECTOR_GAP_TOL = 1e-12;

/**
 * w [..., n] ascending → G [..., n, n]: G_ij = G_ji = 1/(λ_i − λ_j) for i among the k largest
 * (n−k ≤ i < n) and j not, 0 elsewhere. Only the gap between the two blocks matters: repeated
 * eigenvalues inside a block are fine. NumericError("domain") when that gap is (numerically) zero,
 * or when k is not in [1, n].
 */
export function projectorGap(w: NDArray, k: number): NDArray {
  const { batch, n, count } = vectorBatch(w, "projectorGap");
  if (!Number.isInteger(k) || k < 1 || k > n) throw new NumericError("domain", `topEigenProjector: k = ${k} not in [1, ${n}]`);
  const out = ndarray([...batch, n, n]);
  const split = n - k;
  for (let b = 0; b < count; b++) {
    const base = b * n;
    const o = b * n * n;
    if (split > 0) {
      const lo = w.data[base + split - 1];
      const hi = w.data[base + split];
      if (!(hi - lo > PROJECTOR_GAP_TOL * maxAbsRange(w.data, base, n))) {
        throw new NumericError(
          "domain",
          `topEigenProjector(X, ${k}): no gradient: the k-th and (k+1)-th largest eigenvalues are equal (${hi} and ${lo}` +
            `${count > 1 ? ` in batch entry ${b}` : ""}), so the top-${k} eigenspace is not determined by X; choose k at a gap in the spectrum.`,
        );
      }
    }
    for (let i = split; i < n; i++) {
      for (let j = 0; j < split; j++) {
        const g = 1 / (w.data[base + i] - w.data[base + j]);
        out.data[o + i * n + j] = g;
        out.data[o + j * n + i] = g;
      }
    }
  }
  return out;
}
