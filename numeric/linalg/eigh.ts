/** Batched symmetric eigendecomposition (numpy.linalg.eigh conventions). */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { fixVectorSigns } from "../dense.js";
import { transposeInto } from "../gemm.js";
import { NumericError, assertFinite } from "../numeric-error.js";
import { symmetricEigen } from "./symmetric-eigen.js";

/**
 * Eigen-decomposition of one symmetric n×n row-major matrix (symmetrised as (X + Xᵀ)/2 first):
 * ascending w, eigenvectors as the columns of u, each column's largest-magnitude entry positive.
 * `w` and `u` may be given to write into (views into a batch's output).
 */
export function eighMatrix(x: Float64Array, n: number, w: Float64Array = new Float64Array(n), u: Float64Array = new Float64Array(n * n)): { w: Float64Array; u: Float64Array } {
  assertFinite(x, "eigh");
  if (n === 0) return { w, u };
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    vt[i * n + i] = x[i * n + i];
    for (let j = i + 1; j < n; j++) vt[i * n + j] = vt[j * n + i] = 0.5 * (x[i * n + j] + x[j * n + i]);
  }
  symmetricEigen(n, vt, w, new Float64Array(n));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(w[i])) throw new NumericError("no-convergence", "eigh: eigenvalue iteration produced a non-finite value");
  }
  // Signs on the rows of vt (the eigenvectors, contiguous), then U = vtᵀ.
  fixVectorSigns(vt, n, n, n, 1);
  transposeInto(vt, 0, n, n, u, 0);
  return { w, u };
}

/**
 * `[w, U]` with `X = U diag(w) Uᵀ` for each matrix of the batch: w ascending ([...batch, n]),
 * U's columns orthonormal eigenvectors ([...batch, n, n]), each column's largest-magnitude entry
 * positive. The input is symmetrised ((X+Xᵀ)/2) first; non-square input is a RangeError.
 */
export function eigh(a: NDArray): [NDArray, NDArray] {
  const { batch, rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`eigh: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const w = ndarray([...batch, n]);
  const u = ndarray([...batch, n, n]);
  for (let b = 0; b < count; b++) {
    eighMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n, w.data.subarray(b * n, (b + 1) * n), u.data.subarray(b * n * n, (b + 1) * n * n));
  }
  return [w, u];
}
