/** Second-order pooling statistic: regularised (uncentred) covariance. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { gemm } from "../gemm.js";

/**
 * `FᵀF/n + eps·I` for each F [n, d] of the batch (n = rows) → [..., d, d], exactly symmetric.
 * With `fT` the array given is Fᵀ [..., d, n] (bitwise the same result, without the copy).
 * RangeError for n = 0 (no rows to average).
 */
export function cov(f: NDArray, eps: number, fT = false): NDArray {
  const { batch, rows, cols, count } = matrixBatch(f);
  const [n, d] = fT ? [cols, rows] : [rows, cols];
  if (n === 0) throw new RangeError("cov: F has no rows");
  const out = ndarray([...batch, d, d]);
  const o = out.data;
  for (let b = 0; b < count; b++) {
    const oo = b * d * d;
    // FᵀF: entry (i, j) sums f_ri·f_rj over r in order, and (j, i) the same products: exactly symmetric.
    gemm(d, d, n, f.data, b * n * d, f.data, b * n * d, o, oo, !fT, fT);
    for (let i = 0; i < d * d; i++) o[oo + i] /= n;
    for (let i = 0; i < d; i++) o[oo + i * d + i] += eps;
  }
  return out;
}
