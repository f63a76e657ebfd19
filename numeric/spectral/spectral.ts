/** Spectral functions of symmetric matrices: f(X) = U diag(f(λ)) Uᵀ (logm, sqrtm, expm; their scalar functions are the rows of functions.ts). */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { symmetricProduct } from "../dense.js";
import { eighMatrix } from "../linalg/eigh.js";
import { NumericError } from "../numeric-error.js";
import { SCALAR_FUNCTIONS, type FunctionParams, type ScalarFunction, type SpectralFn } from "./functions.js";

export { SPECTRAL_FNS, SQRT_CLAMP, type SpectralFn } from "./functions.js";

/** The scalar function f applied to each eigenvalue. */
export function scalarFn(fn: SpectralFn): (x: number) => number {
  const row: ScalarFunction = SCALAR_FUNCTIONS[fn];
  return (x) => row.f(x, {});
}

/**
 * f applied to the eigenvalues w (ascending) of one matrix, through its row's domain rule (log
 * needs every λ > n·eps·max|λ|, positive beyond round-off; sqrt every λ ≥ −1e-12·max|λ|, with
 * tiny negatives and positives ≤ n·eps·max|λ| clamped to 0); the result must be finite.
 */
export function applySpectral(w: Float64Array, fn: SpectralFn, params: FunctionParams = {}): Float64Array {
  const row: ScalarFunction = SCALAR_FUNCTIONS[fn];
  const scale = w.length === 0 ? 0 : Math.max(Math.abs(w[0]), Math.abs(w[w.length - 1]));
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const x = row.valueDomain(w[i], w.length, scale);
    const y = row.f(x, params);
    if (!Number.isFinite(y)) throw new NumericError("non-finite", `${row.matrixOp}: f(${x}) is not finite`);
    out[i] = y;
  }
  return out;
}

/**
 * `U diag(f(λ)) Uᵀ` for each symmetric matrix of the batch (input symmetrised first): the matrix
 * logarithm, square root or exponential. The result is exactly symmetric.
 */
export function spectralFunction(a: NDArray, fn: SpectralFn): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`${fn}m: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const out = ndarray(a.shape);
  for (let b = 0; b < count; b++) {
    const { w, u } = eighMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    out.data.set(symmetricProduct(u, applySpectral(w, fn), n, n), b * n * n);
  }
  return out;
}

export const logm = (a: NDArray): NDArray => spectralFunction(a, "log");
export const sqrtm = (a: NDArray): NDArray => spectralFunction(a, "sqrt");
export const expm = (a: NDArray): NDArray => spectralFunction(a, "exp");
