/**
 * The orthogonal polar factor and the pseudo-inverse, both from the thin SVD A = U diag(σ) Vh.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { gemm } from "../gemm.js";
import { NumericError } from "../numeric-error.js";
import { RANK_TOL } from "../spectral/projectors.js";
import { svdMatrix } from "./svd.js";

/**
 * Q = U·Vh for one m×n matrix: A = Q P with P = (AᵀA)^½ (m ≥ n; Q has orthonormal columns) or
 * A = P Q with P = (AAᵀ)^½ (m < n; orthonormal rows). Unique exactly when A has full rank k = min(m, n):
 * NumericError("singular") when σ_min ≤ 1e-10·σ_max (the factor of the null directions would be noise).
 */
export function polarMatrix(x: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const { u, s, vh } = svdMatrix(x, m, n);
  if (k > 0 && !(s[k - 1] > RANK_TOL * s[0])) {
    throw new NumericError("singular", `polar: the matrix is rank deficient (σ_min/σ_max = ${s[k - 1] / s[0]}), so its polar factor is not unique`);
  }
  const q = new Float64Array(m * n);
  gemm(m, n, k, u, 0, vh, 0, q, 0);
  return q;
}

/**
 * A⁺ = V diag(σ⁺) Uᵀ for one m×n matrix (n×m result), σ⁺ = 1/σ for σ > rtol·σ_max and 0 below
 * (numpy.linalg.pinv; NumPy 2's default rtol is max(m, n)·eps).
 */
export function pinvMatrix(x: Float64Array, m: number, n: number, rtol = Math.max(m, n) * Number.EPSILON): Float64Array {
  const k = Math.min(m, n);
  const { u, s, vh } = svdMatrix(x, m, n);
  const cut = k > 0 ? rtol * s[0] : 0;
  // (Vh)ᵀ·diag(σ⁺) is n×k; times Uᵀ (k×m).
  const vs = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const inv = s[c] > cut ? 1 / s[c] : 0;
    for (let r = 0; r < n; r++) vs[r * k + c] = vh[c * n + r] * inv;
  }
  const out = new Float64Array(n * m);
  gemm(n, m, k, vs, 0, u, 0, out, 0, false, true);
  return out;
}

function perMatrix(a: NDArray, outShape: (batch: number[], m: number, n: number) => number[], f: (x: Float64Array, m: number, n: number) => Float64Array): NDArray {
  const { batch, rows: m, cols: n, count } = matrixBatch(a);
  const out = ndarray(outShape(batch, m, n));
  for (let b = 0; b < count; b++) out.data.set(f(a.data.subarray(b * m * n, (b + 1) * m * n), m, n), b * m * n);
  return out;
}

/** The polar factor U·Vh of each [m, n] matrix of the batch (same shape). */
export const polar = (a: NDArray): NDArray => perMatrix(a, (batch, m, n) => [...batch, m, n], polarMatrix);

/** The pseudo-inverse of each [m, n] matrix of the batch ([..., n, m]). */
export const pinv = (a: NDArray, rtol?: number): NDArray => perMatrix(a, (batch, m, n) => [...batch, n, m], (x, m, n) => pinvMatrix(x, m, n, rtol));
