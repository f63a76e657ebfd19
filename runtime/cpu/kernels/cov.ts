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
  for (let b = 0; b < count; b++) {
    const fo = b * n * d;
    const oo = b * d * d;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += f.data[fo + r * d + i] * f.data[fo + r * d + j];
        const v = s / n + (i === j ? eps : 0);
        o[oo + i * d + j] = v;
        o[oo + j * d + i] = v;
      }
    }
  }
  return out;
}
