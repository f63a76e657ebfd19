/** Batched Cholesky factorisation. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { maxAbs } from "../dense.js";
import { NumericError, assertFinite } from "../numeric-error.js";

/**
 * Relative asymmetry above which the input is rejected as not symmetric. Loose on purpose: inputs
 * built as AᵀA + εI in floating point are symmetric only up to round-off.
 */
const SYMMETRY_TOL = 1e-8;

/** Lower-triangular L with L Lᵀ = X for one n×n row-major SPD matrix (reads the lower triangle). */
export function choleskyMatrix(x: Float64Array, n: number): Float64Array {
  assertFinite(x, "cholesky");
  const scale = maxAbs(x);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(x[i * n + j] - x[j * n + i]) > SYMMETRY_TOL * scale) {
        throw new NumericError("not-symmetric", `cholesky: entries (${i}, ${j}) and (${j}, ${i}) differ`);
      }
    }
  }
  const l = new Float64Array(n * n);
  // A pivot this small relative to the matrix is round-off: the matrix is at best semi-definite.
  const tiny = n * Number.EPSILON * scale;
  for (let j = 0; j < n; j++) {
    let d = x[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    if (!(d > tiny)) throw new NumericError("not-spd", `cholesky: pivot ${j} is ${d}, matrix is not positive definite`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = x[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Lower-triangular L ([..., n, n]) with L Lᵀ = A for each matrix of the batch. NumericError
 * "not-spd" when A is not (numerically) positive definite, "not-symmetric" when A is visibly
 * asymmetric (relative difference > 1e-8).
 */
export function cholesky(a: NDArray): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`cholesky: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const out = ndarray(a.shape);
  for (let b = 0; b < count; b++) out.data.set(choleskyMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n), b * n * n);
  return out;
}
