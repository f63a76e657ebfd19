/** Second-order pooling statistic: regularised (uncentred) covariance. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";

/**
 * `FᵀF/n + eps·I` for each F [n, d] of the batch (n = rows) → [..., d, d], exactly symmetric.
 * RangeError for n = 0 (no rows to average).
 */
export function cov(f: NDArray, eps: number): NDArray {
  const { batch, rows: n, cols: d, count } = matrixBatch(f);
  if (n === 0) throw new RangeError("cov: F has no rows");
  const out = ndarray([...batch, d, d]);
  const o = out.data;
  const x = f.data;
  for (let b = 0; b < count; b++) {
    const fo = b * n * d;
    const oo = b * d * d;
    // Row by row (contiguous reads), upper triangle: each entry sums over r in order, as FᵀF's textbook loop.
    for (let r = 0; r < n; r++) {
      const row = fo + r * d;
      for (let i = 0; i < d; i++) {
        const fi = x[row + i];
        const oi = oo + i * d;
        for (let j = i; j < d; j++) o[oi + j] += fi * x[row + j];
      }
    }
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = o[oo + i * d + j] / n + (i === j ? eps : 0);
        o[oo + i * d + j] = v;
        o[oo + j * d + i] = v;
      }
    }
  }
  return out;
}
