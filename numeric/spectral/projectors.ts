/** Orthogonal projectors: onto a top-k eigenspace and onto a column space. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { symmetricProduct } from "../dense.js";
import { eighMatrix } from "../linalg/eigh.js";
import { NumericError } from "../numeric-error.js";
import { svdMatrix } from "../linalg/svd.js";

/** Z is rank deficient when σ_min/σ_max is below this. */
export const RANK_TOL = 1e-10;

/**
 * `U_k U_kᵀ` for each symmetric matrix of the batch, U_k the eigenvectors of its k largest
 * eigenvalues. Exactly symmetric. NumericError("domain") unless 1 ≤ k ≤ n. (A tie between the k-th
 * and (k+1)-th eigenvalue makes the projector undefined; it is not detected here — the adjoint
 * needs the gap anyway.)
 */
export function topEigenProjector(a: NDArray, k: number): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`topEigenProjector: expected square matrices, got shape [${a.shape.join(", ")}]`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new NumericError("domain", `topEigenProjector: k = ${k} not in [1, ${n}]`);
  const out = ndarray(a.shape);
  const uk = new Float64Array(n * k);
  for (let b = 0; b < count; b++) {
    const { u } = eighMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    // Ascending order: the top-k eigenvectors are the last k columns.
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) uk[r * k + c] = u[r * n + (n - k + c)];
    out.data.set(symmetricProduct(uk, null, n, k), b * n * n);
  }
  return out;
}

/**
 * `Z (ZᵀZ)⁻¹ Zᵀ` for each Z [n, k] (k ≤ n) of the batch, the orthogonal projector onto Z's column
 * space, computed as U Uᵀ from Z's thin SVD (never forming (ZᵀZ)⁻¹). Exactly symmetric.
 * NumericError("singular") when σ_min/σ_max < 1e-10 (numerically rank deficient);
 * RangeError when k > n.
 */
export function rangeProjector(z: NDArray): NDArray {
  const { batch, rows: n, cols: k, count } = matrixBatch(z);
  if (k > n) throw new RangeError(`rangeProjector: Z [${z.shape.join(", ")}] has more columns than rows`);
  const out = ndarray([...batch, n, n]);
  for (let b = 0; b < count; b++) {
    const { u, s } = svdMatrix(z.data.subarray(b * n * k, (b + 1) * n * k), n, k);
    if (k > 0 && !(s[k - 1] > RANK_TOL * s[0])) {
      throw new NumericError("singular", `rangeProjector: Z is rank deficient (σ_min/σ_max = ${s[k - 1] / s[0]})`);
    }
    out.data.set(symmetricProduct(u, null, n, k), b * n * n);
  }
  return out;
}
