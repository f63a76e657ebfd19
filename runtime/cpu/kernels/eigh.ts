/** Batched symmetric eigendecomposition (numpy.linalg.eigh conventions). */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { fixColumnSigns } from "./dense.js";
import { NumericError, assertFinite } from "./numeric-error.js";

/** Eigen-decomposition of one symmetric n×n row-major matrix: ascending w, eigenvectors as columns. */
export function eighMatrix(x: Float64Array, n: number): { w: Float64Array; u: Float64Array } {
  assertFinite(x, "eigh");
  if (n === 0) return { w: new Float64Array(0), u: new Float64Array(0) };
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = 0.5 * (x[i * n + j] + x[j * n + i]);
    rows.push(row);
  }
  // Householder tridiagonalisation + implicit QL (JAMA tred2/tql2): backward stable.
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((p, q) => values[p] - values[q]);
  const w = new Float64Array(n);
  const u = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c];
    w[c] = values[src];
    for (let r = 0; r < n; r++) u[r * n + c] = vectors.get(r, src);
  }
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) throw new NumericError("no-convergence", "eigh: eigenvalue iteration produced a non-finite value");
  }
  fixColumnSigns(u, n, n);
  return { w, u };
}

/**
 * `[w, U]` with `X = U diag(w) Uᵀ` for each matrix of the batch: w ascending ([...batch, n]),
 * U's columns orthonormal eigenvectors ([...batch, n, n]), each column's largest-magnitude entry
 * positive. The input is symmetrised ((X+Xᵀ)/2) first; non-square input is a RangeError.
 */
export function eigh(a: NDArray): [NDArray, NDArray] {
  const { batch, rows: n, cols, count } = matrixBatch(a);
  if (n !== cols) throw new RangeError(`eigh: expected square matrices, got shape [${a.shape.join(", ")}]`);
  const w = ndarray([...batch, n]);
  const u = ndarray([...batch, n, n]);
  for (let b = 0; b < count; b++) {
    const r = eighMatrix(a.data.subarray(b * n * n, (b + 1) * n * n), n);
    w.data.set(r.w, b * n);
    u.data.set(r.u, b * n * n);
  }
  return [w, u];
}
