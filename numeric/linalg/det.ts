/**
 * Determinants by LU with partial pivoting (numpy.linalg.det / slogdet): PA = LU gives
 * det A = det(P)·Π u_kk. Singular matrices are not an error here — the determinant is continuous
 * through them and is 0 there — except for `slogdet`, whose log|det| would be −∞.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";
import { luFactor } from "./solve.js";

/** sign ∈ {−1, 0, 1} and log|det| (−∞ when singular) of one n×n row-major matrix. */
export function slogdetMatrix(x: Float64Array, n: number, op = "slogdet"): { sign: number; logAbs: number } {
  const { lu, permSign } = luFactor(x, n, op, true);
  let sign = permSign;
  let logAbs = 0;
  for (let k = 0; k < n; k++) {
    const u = lu[k * n + k];
    if (u === 0) return { sign: 0, logAbs: -Infinity };
    if (u < 0) sign = -sign;
    logAbs += Math.log(Math.abs(u));
  }
  return { sign, logAbs };
}

/** det of one n×n matrix: the product of the pivots (as LAPACK-based numpy.linalg.det forms it). */
export function detMatrix(x: Float64Array, n: number): number {
  const { lu, permSign } = luFactor(x, n, "det", true);
  let d = permSign;
  for (let k = 0; k < n; k++) d *= lu[k * n + k];
  return d;
}

function squareBatch(a: NDArray, op: string): { batch: number[]; n: number; count: number } {
  const { batch, rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`${op}: expected square matrices, got shape [${a.shape.join(", ")}]`);
  return { batch, n, count };
}

/**
 * det of each matrix of the batch ([..., n, n] → [...]). The pivots' product overflows only when
 * the determinant itself is beyond the float64 range: NumericError("non-finite") then (slogdet
 * has no such limit).
 */
export function det(a: NDArray): NDArray {
  const { batch, n, count } = squareBatch(a, "det");
  const out = ndarray(batch);
  for (let b = 0; b < count; b++) {
    const d = detMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    if (!Number.isFinite(d)) throw new NumericError("non-finite", `det: the determinant of matrix ${b} overflows float64; use slogdet`);
    out.data[b] = d;
  }
  return out;
}

/**
 * [sign, log|det|] of each matrix of the batch (both [...]). A singular matrix has sign 0 and
 * log|det| = −∞ (numpy's answer): NumericError("singular") instead, since a −∞ that flows on into
 * a loss is exactly the silent non-finite value the executor refuses.
 */
export function slogdet(a: NDArray): [NDArray, NDArray] {
  const { batch, n, count } = squareBatch(a, "slogdet");
  const sign = ndarray(batch);
  const logAbs = ndarray(batch);
  for (let b = 0; b < count; b++) {
    const r = slogdetMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    if (r.sign === 0) throw new NumericError("singular", `slogdet: matrix ${b} is singular (det = 0, log|det| = −∞)`);
    sign.data[b] = r.sign;
    logAbs.data[b] = r.logAbs;
  }
  return [sign, logAbs];
}
