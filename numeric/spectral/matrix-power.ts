/**
 * X^p of a symmetric positive (semi)definite X as a spectral function, U diag(λ^p) Uᵀ (the matrix
 * power normalisation of MPN-COV), with the pieces its Daleckii–Krein adjoint needs: the
 * derivative pλ^(p−1) and the divided difference (a^p − b^p)/(a − b) evaluated without cancellation.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { symmetricProduct } from "../dense.js";
import { eighMatrix } from "../linalg/eigh.js";
import { NumericError } from "../numeric-error.js";
import { SQRT_CLAMP } from "./spectral.js";

/**
 * λ^p for the eigenvalues w of one matrix, with sqrt's and log's domain rules: for p > 0 an
 * eigenvalue ≥ −1e-12·max|λ| is accepted and one within n·eps·max|λ| of zero is zero (0^p = 0);
 * for p ≤ 0 every eigenvalue must be positive beyond round-off (λ^p is unbounded at 0).
 */
export function powEigenvalues(w: Float64Array, p: number): Float64Array {
  const scale = w.length === 0 ? 0 : Math.max(Math.abs(w[0]), Math.abs(w[w.length - 1]));
  const zero = w.length * Number.EPSILON * scale;
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    let x = w[i];
    if (p > 0) {
      if (x < -SQRT_CLAMP * scale) throw new NumericError("domain", `powm: eigenvalue ${x} is negative`);
      if (x <= zero) x = 0;
    } else if (!(x > zero)) {
      throw new NumericError("domain", `powm: eigenvalue ${x} is not positive; λ^${p} is unbounded at 0`);
    }
    const y = x ** p;
    if (!Number.isFinite(y)) throw new NumericError("non-finite", `powm: ${x}^${p} is not finite`);
    out[i] = y;
  }
  return out;
}

/** U diag(λ^p) Uᵀ for each symmetric matrix of the batch (exactly symmetric). */
export function powm(a: NDArray, p: number): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`powm: expected square matrices, got shape [${a.shape.join(", ")}]`);
  if (!Number.isFinite(p)) throw new RangeError(`powm: the power must be finite, got ${p}`);
  const out = ndarray(a.shape);
  for (let b = 0; b < count; b++) {
    const { w, u } = eighMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    out.data.set(symmetricProduct(u, powEigenvalues(w, p), n, n), b * n * n);
  }
  return out;
}

/** d/dλ λ^p = pλ^(p−1) at λ ≥ 0 (at 0: 0 for p > 1, 1 for p = 1, unbounded — ∞ — for p < 1). */
export function powDerivative(x: number, p: number): number {
  if (p === 0) return 0;
  if (x === 0) return p > 1 ? 0 : p === 1 ? 1 : Infinity;
  return p * x ** (p - 1);
}

/**
 * (a^p − b^p)/(a − b) for a ≥ b ≥ 0, the Loewner matrix entry of λ^p. Near a = b the difference
 * cancels; with r = (a − b)/b it is b^(p−1)·expm1(p·log1p(r))/r, where log1p and expm1 keep every
 * digit (r ≤ 1; beyond, a ≥ 2b and the plain quotient loses nothing). At a = b it is pλ^(p−1).
 */
export function powDividedDifference(a: number, b: number, p: number): number {
  if (a === b) return powDerivative(a, p);
  if (b === 0) return a ** (p - 1);
  const r = (a - b) / b;
  if (r > 1) return (a ** p - b ** p) / (a - b);
  return (b ** (p - 1) * Math.expm1(p * Math.log1p(r))) / r;
}

/**
 * w [..., n] → L [..., n, n], the Loewner matrix of λ^p (exactly symmetric), with the forward's
 * clamping of round-off-sized eigenvalues to 0. NumericError("domain") for a zero eigenvalue when
 * p < 1 (the derivative pλ^(p−1) is unbounded there), and for a negative one.
 */
export function powLoewner(w: NDArray, p: number): NDArray {
  const n = w.shape[w.shape.length - 1];
  const out = ndarray([...w.shape, n]);
  for (let b = 0; b * n < w.data.length; b++) {
    const lam = powEigenvalues(w.data.subarray(b * n, (b + 1) * n), 1); // the clamped eigenvalues (λ¹)
    if (p < 1 && lam.some((x) => x === 0)) {
      throw new NumericError("domain", `powm: no gradient at a zero eigenvalue: the derivative ${p}·λ^(${p - 1}) is unbounded at 0; add εI to keep the matrix positive definite`);
    }
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const [a, c] = lam[i] >= lam[j] ? [lam[i], lam[j]] : [lam[j], lam[i]];
        const v = powDividedDifference(a, c, p);
        if (!Number.isFinite(v)) throw new NumericError("non-finite", `powm: divided difference of λ^${p} at (${a}, ${c}) overflows`);
        out.data[b * n * n + i * n + j] = out.data[b * n * n + j * n + i] = v;
      }
    }
  }
  return out;
}
