/** Batched linear solves and inverses by LU with partial pivoting. */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { broadcastIndexMap, broadcastShapes, identity, maxAbs } from "../dense.js";
import { NumericError, assertFinite } from "../numeric-error.js";

/** PA = LU of one n×n matrix, packed (unit-lower L below the diagonal, U on and above) with its row permutation. */
export interface LUFactor {
  readonly n: number;
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** det(P): +1 or −1 by the parity of the row swaps. */
  readonly permSign: number;
}

/**
 * LU factorisation with partial pivoting. NumericError("singular") when a pivot is at or below
 * n·eps·max|A| (relative test: scaling A does not change the verdict). With `keepSingular` (for
 * determinants, which are continuous through singular matrices) no pivot is refused: a column
 * that is exactly zero on and below the diagonal leaves a zero pivot and nothing to eliminate.
 */
export function luFactor(x: Float64Array, n: number, op = "lu", keepSingular = false): LUFactor {
  assertFinite(x, op);
  const lu = Float64Array.from(x);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let permSign = 1;
  const tiny = keepSingular ? 0 : n * Number.EPSILON * maxAbs(x);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > tiny)) {
      if (keepSingular) continue;
      throw new NumericError("singular", `${op}: matrix is singular (pivot ${k} is ${best})`);
    }
    if (p !== k) {
      permSign = -permSign;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
    }
    const piv = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= piv);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { n, lu, perm, permSign };
}

/** Solves A X = B for B n×k (row-major) given A's LU factor. */
export function luSolve(f: LUFactor, b: Float64Array, k: number): Float64Array {
  const { n, lu, perm } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.subarray(perm[i] * k, perm[i] * k + k), i * k);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      const l = lu[i * n + p];
      for (let j = 0; j < k; j++) x[i * k + j] -= l * x[p * k + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const u = lu[i * n + p];
      for (let j = 0; j < k; j++) x[i * k + j] -= u * x[p * k + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < k; j++) x[i * k + j] /= d;
  }
  return x;
}

/**
 * X with A X = B (numpy.linalg.solve, NumPy 2 semantics, as the IR type rule of `solve`). `a` is
 * [..., n, n]; `b` is a right-hand-side vector only when it is 1-D ([n], broadcast over a's batch,
 * result [..., n]); any other b is a batch of matrices [..., n, k] whose batch dims broadcast with
 * a's (result [...broadcast, n, k]). In particular b of shape a.shape[:-1] is a batch of n×k
 * matrices, not one vector per matrix (that was NumPy 1's rule; it broke broadcasting one [n, k]
 * right-hand side over a batch). NumericError("singular") for a singular A.
 */
export function solve(a: NDArray, b: NDArray): NDArray {
  const { batch: aBatch, rows: n, cols, count: aCount } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`solve: expected square matrices, got shape [${a.shape.join(", ")}]`);
  if (b.shape.length === 0) throw new RangeError("solve: right-hand side must have at least one dim");
  const vector = b.shape.length === 1;
  const bRows = vector ? b.shape[b.shape.length - 1] : b.shape[b.shape.length - 2];
  const k = vector ? 1 : b.shape[b.shape.length - 1];
  if (bRows !== n) {
    throw new RangeError(`solve: shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] do not match`);
  }
  const bBatch = b.shape.slice(0, vector ? -1 : -2);
  const batch = broadcastShapes(aBatch, bBatch, "solve");
  const aMap = broadcastIndexMap(batch, aBatch);
  const bMap = broadcastIndexMap(batch, bBatch);
  const factors: LUFactor[] = [];
  for (let t = 0; t < aCount; t++) factors.push(luFactor(a.data.subarray(t * n * n, (t + 1) * n * n), n, "solve"));
  assertFinite(b.data, "solve");
  const out = ndarray([...batch, ...(vector ? [n] : [n, k])]);
  for (let t = 0; t < aMap.length; t++) {
    const rhs = b.data.subarray(bMap[t] * n * k, (bMap[t] + 1) * n * k);
    out.data.set(luSolve(factors[aMap[t]], rhs, k), t * n * k);
  }
  return out;
}

/** A⁻¹ for each matrix of the batch; NumericError("singular") for a singular A. */
export function inv(a: NDArray): NDArray {
  const { rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`inv: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const out = ndarray(a.shape);
  const eye = identity(n);
  for (let t = 0; t < count; t++) {
    const f = luFactor(a.data.subarray(t * n * n, (t + 1) * n * n), n, "inv");
    out.data.set(luSolve(f, eye, n), t * n * n);
  }
  return out;
}
