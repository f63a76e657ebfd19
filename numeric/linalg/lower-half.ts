/** Φ of Murray (2016), "Differentiation of the Cholesky decomposition": used by its adjoint. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";

/** Lower triangle of each square matrix with the diagonal halved; strictly-upper entries are 0. */
export function lowerHalf(a: NDArray): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`lowerHalf: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const out = ndarray(a.shape);
  for (let b = 0; b < count; b++) {
    const base = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) out.data[base + i * n + j] = a.data[base + i * n + j];
      out.data[base + i * n + i] = a.data[base + i * n + i] / 2;
    }
  }
  return out;
}
