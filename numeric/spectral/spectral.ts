/** Spectral functions of symmetric matrices: f(X) = U diag(f(λ)) Uᵀ (logm, sqrtm, expm). */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { symmetricProduct } from "../dense.js";
import { eighMatrix } from "../linalg/eigh.js";
import { NumericError } from "../numeric-error.js";

/** The scalar functions of the spectral matrix functions (logm, sqrtm, expm), listed once. */
export const SPECTRAL_FNS = ["log", "sqrt", "exp"] as const;
export type SpectralFn = (typeof SPECTRAL_FNS)[number];

/**
 * Eigenvalues of sqrt below zero but at or above −SQRT_CLAMP·max|λ| are round-off on a PSD matrix
 * and are clamped to 0; anything more negative is a domain error.
 */
export const SQRT_CLAMP = 1e-12;

/** The scalar function f applied to each eigenvalue. */
export function scalarFn(fn: SpectralFn): (x: number) => number {
  switch (fn) {
    case "log":
      return Math.log;
    case "sqrt":
      return Math.sqrt;
    case "exp":
      return Math.exp;
  }
}

/**
 * f applied to the eigenvalues w (ascending) of one matrix, with the domain checks:
 * log needs every λ > n·eps·max|λ| (positive beyond round-off), sqrt every λ ≥ −1e-12·max|λ|
 * (tiny negatives, and positives ≤ n·eps·max|λ|, clamp to 0), exp must not overflow.
 */
export function applySpectral(w: Float64Array, fn: SpectralFn): Float64Array {
  const f = scalarFn(fn);
  const scale = w.length === 0 ? 0 : Math.max(Math.abs(w[0]), Math.abs(w[w.length - 1]));
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    let x = w[i];
    // An eigenvalue within round-off of zero is zero: its log would be noise near −36.
    if (fn === "log" && !(x > w.length * Number.EPSILON * scale)) {
      throw new NumericError("domain", `logm: eigenvalue ${x} is not positive`);
    }
    if (fn === "sqrt") {
      if (x < -SQRT_CLAMP * scale) throw new NumericError("domain", `sqrtm: eigenvalue ${x} is negative`);
      // Round-off-sized eigenvalues (either sign) are zero: √(eps·‖X‖) would add 1e-8-sized noise.
      if (x <= w.length * Number.EPSILON * scale) x = 0;
    }
    const y = f(x);
    if (!Number.isFinite(y)) throw new NumericError("non-finite", `${fn}m: f(${x}) is not finite`);
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
