/**
 * Vector and matrix norms (numpy.linalg.norm): the Euclidean norm of vectors, and of matrices
 * (over the last two dims, batched) the Frobenius norm, the nuclear norm Σσ and the spectral
 * norm σ_max.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { assertFinite } from "../numeric-error.js";
import { RANK_TOL } from "../spectral/projectors.js";
import { svdMatrix } from "./svd.js";

export type NormOrd = "fro" | "nuc" | 2;

/** √(Σ x²) scaled by max|x| first, so that the squares neither overflow nor underflow. */
export function euclidean(x: ArrayLike<number>, from = 0, to = x.length): number {
  let scale = 0;
  for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(x[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] / scale) ** 2;
  return scale * Math.sqrt(s);
}

/**
 * ‖x‖ over the last dim (a vector: ord 2 only) or the last two dims (a matrix: "fro", "nuc", 2).
 * [..., n] → [...] or [..., m, n] → [...].
 */
export function norm(x: NDArray, ord: NormOrd, matrix: boolean): NDArray {
  assertFinite(x.data, "norm");
  if (!matrix) {
    if (ord !== 2) throw new RangeError(`norm: ord ${ord} is a matrix norm; a vector has ord 2`);
    const n = x.shape[x.shape.length - 1];
    const out = ndarray(x.shape.slice(0, -1));
    for (let b = 0; b < out.data.length; b++) out.data[b] = euclidean(x.data, b * n, (b + 1) * n);
    return out;
  }
  const { batch, rows: m, cols: n, count } = matrixBatch(x);
  const out = ndarray(batch);
  for (let b = 0; b < count; b++) {
    const from = b * m * n;
    if (ord === "fro") {
      out.data[b] = euclidean(x.data, from, from + m * n);
      continue;
    }
    const { s } = svdMatrix(x.data.subarray(from, from + m * n), m, n);
    out.data[b] = ord === 2 ? (s.length ? s[0] : 0) : s.reduce((a, v) => a + v, 0);
  }
  return out;
}

/** Singular values within this fraction of σ₁ count as tied with it (the spectral norm's rule). */
export const SPECTRAL_TIE_TOL = 1e-10;

/**
 * s [..., k] (descending) → ω [..., k] with Ā = ḡ·U diag(ω) Vh the smallest subgradient of the
 * norm (the gradient wherever it exists): for "nuc" 1 on the singular values above RANK_TOL·σ₁
 * (U_r V_rᵀ, r the numerical rank), for 2 the weight 1/r on the r singular values within 1e-10·σ₁
 * of σ₁ (U_r V_rᵀ / r). A zero matrix gets ω = 0 under both.
 */
export function normWeights(s: NDArray, ord: "nuc" | 2): NDArray {
  const k = s.shape[s.shape.length - 1];
  const out = ndarray(s.shape);
  for (let b = 0; b * k < s.data.length; b++) {
    const top = s.data[b * k];
    if (!(top > 0)) continue;
    const keep = ord === 2 ? top * (1 - SPECTRAL_TIE_TOL) : top * RANK_TOL;
    let r = 0;
    while (r < k && (ord === 2 ? s.data[b * k + r] >= keep : s.data[b * k + r] > keep)) r++;
    for (let i = 0; i < r; i++) out.data[b * k + i] = ord === 2 ? 1 / r : 1;
  }
  return out;
}
