/**
 * The matrix square root by the coupled Newton–Schulz iteration, as iSQRT-COV computes it
 * (Li, Xie, Wang, Gao, CVPR 2018): pre-normalise by the trace, iterate with matrix products only,
 * compensate. The derivation and its error bound are in docs/matrix-functions.md:
 *
 *   A = X / tr X,  Y₀ = A, Z₀ = I,
 *   T_k = ½(3I − Z_{k−1} Y_{k−1}),  Y_k = Y_{k−1} T_k,  Z_k = T_k Z_{k−1}   (k = 1 … N),
 *   result √(tr X) · Y_N.
 *
 * Every Y_k, Z_k is a polynomial in A, so on each eigenvalue λ of X the iteration is the scalar one
 * u_k = u_{k−1}(3 − u_{k−1}²)/2 from u₀ = √(λ/tr X), and Y_N's eigenvalue is √λ · u_N: the error
 * is a known function of λ/tr X alone (`newtonSchulzScale`).
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { gemm } from "../gemm.js";
import { NumericError, assertFinite } from "../numeric-error.js";

/** ½(3I − P) into `out` (n×n). */
function halfThreeMinus(p: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n * n; i++) out[i] = -0.5 * p[i];
  for (let i = 0; i < n; i++) out[i * n + i] += 1.5;
}

/**
 * √(tr X)·Y_N for one symmetric n×n row-major X with tr X > 0, after `iters` ≥ 1 steps; the result
 * is symmetrised ((Y + Yᵀ)/2: Y_N is a polynomial in X, symmetric but for round-off).
 */
export function newtonSchulzMatrix(x: Float64Array, n: number, iters: number): Float64Array {
  assertFinite(x, "sqrtm (Newton–Schulz)");
  if (!(Number.isInteger(iters) && iters >= 1)) throw new RangeError(`sqrtm (Newton–Schulz): iters must be an integer ≥ 1, got ${iters}`);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += x[i * n + i];
  if (n === 0) return new Float64Array(0);
  if (!(tr > 0)) throw new NumericError("domain", `sqrtm (Newton–Schulz): the trace ${tr} is not positive, so the matrix is not positive definite`);
  let y = Float64Array.from(x, (v) => v / tr);
  let z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  const p = new Float64Array(n * n);
  const t = new Float64Array(n * n);
  let y2 = new Float64Array(n * n);
  let z2 = new Float64Array(n * n);
  for (let k = 1; k <= iters; k++) {
    gemm(n, n, n, z, 0, y, 0, p, 0);
    halfThreeMinus(p, n, t);
    gemm(n, n, n, y, 0, t, 0, y2, 0);
    [y, y2] = [y2, y];
    if (k === iters) break; // the last Z is not needed
    gemm(n, n, n, t, 0, z, 0, z2, 0);
    [z, z2] = [z2, z];
  }
  const s = Math.sqrt(tr);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * s * (y[i * n + j] + y[j * n + i]);
  return out;
}

/** The Newton–Schulz square root of each matrix of the batch. */
export function newtonSchulzSqrtm(a: NDArray, iters: number): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`sqrtm (Newton–Schulz): expected square matrices, got shape [${a.shape.join(", ")}]`);
  const out = ndarray(a.shape);
  for (let b = 0; b < count; b++) out.data.set(newtonSchulzMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n, iters), b * n * n);
  return out;
}

/**
 * u_N(x): the factor by which the iteration's result undershoots √λ on an eigenvalue λ with
 * x = λ / tr X ∈ (0, 1] (the relative error is 1 − u_N(x), decreasing in x, 0 < u_N < 1).
 */
export function newtonSchulzScale(x: number, iters: number): number {
  let u = Math.sqrt(x);
  for (let k = 0; k < iters; k++) u = (u * (3 - u * u)) / 2;
  return u;
}
