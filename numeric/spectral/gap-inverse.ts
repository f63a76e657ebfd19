/**
 * The F matrices of the eigenvector and singular-vector adjoints (docs/architecture.md, rules 1 and 5): the
 * inverse eigengaps. Both are undefined at a repeated value; the kernels say so instead of
 * returning ±∞, and name the rewrites that avoid the problem.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";
import { maxAbsRange, vectorBatch } from "../vectors.js";

/** What to do instead, after the eigh gradient's "repeated eigenvalues" error (the WebGPU check says the same). */
export const EIGH_GAP_ADVICE =
  "If the loss is a spectral function of the matrix, use logm/sqrtm/expm or write U·diag(g(w))·Uᵀ (matprop rewrites it into a form " +
  "that is finite at repeated eigenvalues); if it needs an eigenspace, use topEigenProjector(X, k) with a nonzero gap between the k-th and (k+1)-th eigenvalues.";
export const SVD_GAP_ADVICE = "Make the loss depend on the singular values only, or on a subspace with a nonzero singular-value gap.";

/** Two values closer than this times max(1, max|w|) count as repeated. */
export const GAP_TOL = 1e-12;

function firstRepeat(w: Float64Array, base: number, n: number): [number, number] | null {
  const tol = GAP_TOL * Math.max(1, maxAbsRange(w, base, n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (!(Math.abs(w[base + i] - w[base + j]) > tol)) return [i, j];
  }
  return null;
}

/**
 * v [..., n] → F [..., n, n], F_ij = 1/gap(v_i, v_j) for i ≠ j, F_ii = 0; a NumericError naming
 * the first repeated pair (`repeated(i, j, v_i, v_j, where)`, with its advice) instead of ±∞.
 */
function gapInverse(v: NDArray, op: string, gap: (vi: number, vj: number) => number, repeated: (i: number, j: number, vi: number, vj: number, where: string) => string): NDArray {
  const { batch, n, count } = vectorBatch(v, op);
  const out = ndarray([...batch, n, n]);
  for (let b = 0; b < count; b++) {
    const base = b * n;
    const rep = firstRepeat(v.data, base, n);
    if (rep) {
      const [i, j] = rep;
      throw new NumericError("domain", repeated(i, j, v.data[base + i], v.data[base + j], count > 1 ? ` in batch entry ${b}` : ""));
    }
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (i !== j) out.data[o + i * n + j] = 1 / gap(v.data[base + i], v.data[base + j]);
    }
  }
  return out;
}

/** w [..., n] → F [..., n, n], F_ij = 1/(w_j − w_i) for i ≠ j, F_ii = 0 (rule 1, eigh). */
export function eigGapInverse(w: NDArray): NDArray {
  return gapInverse(w, "eigGapInverse", (wi, wj) => wj - wi, (i, j, wi, wj, where) =>
    `eigh: the gradient through the eigenvectors is undefined at repeated eigenvalues (λ_${i} = ${wi} and λ_${j} = ${wj}${where}). ${EIGH_GAP_ADVICE}`,
  );
}

/** S [..., k] → F [..., k, k], F_ij = 1/(S_j² − S_i²) for i ≠ j, F_ii = 0 (rule 5, thin SVD). */
export function svdGapInverse(s: NDArray): NDArray {
  // (S_j − S_i)(S_j + S_i): no cancellation of the squares when the values are close.
  return gapInverse(s, "svdGapInverse", (si, sj) => (sj - si) * (sj + si), (i, j, si, sj, where) =>
    `svd: the gradient through the singular vectors is undefined at repeated singular values (σ_${i} = ${si} and σ_${j} = ${sj}${where}). ${SVD_GAP_ADVICE}`,
  );
}
