/** Batched thin SVD (numpy.linalg.svd(full_matrices=False) conventions). */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { fixColumnSigns } from "../dense.js";
import { NumericError, assertFinite } from "../numeric-error.js";

type MlMatrix = typeof import("ml-matrix");
let mlMatrix: MlMatrix | undefined;

/**
 * `node:module`, taken only where it exists: a kernel bundle ships the op registry (for its graphs'
 * type rules) to browsers too, where a static import of a Node built-in fails the whole load; and a
 * top-level await would keep CommonJS projects from require()-ing matprop. Node ≥ 20.16 hands it
 * out synchronously; older Node 20 loads it asynchronously, long done by the first SVD.
 */
type NodeModule = { createRequire(path: string | URL): (id: string) => unknown };
const inNode = typeof process !== "undefined" && !!process.versions?.node;
let nodeModule = inNode ? ((process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:module") as NodeModule | undefined) : undefined;
if (inNode && !nodeModule) void import("node:module").then((m) => (nodeModule = m));

/**
 * ml-matrix, required on first use: it is CommonJS, and importing it statically would make every
 * process that loads the op registry (every CLI command) parse its 150 KB for export names first.
 */
function library(): MlMatrix {
  if (!nodeModule) throw new Error("svd: the float64 SVD needs Node (ml-matrix)");
  return (mlMatrix ??= nodeModule.createRequire(import.meta.url)("ml-matrix") as MlMatrix);
}

/** Thin SVD of one m×n row-major matrix: U m×k, s (k, descending), Vh k×n, k = min(m, n). */
export function svdMatrix(x: Float64Array, m: number, n: number): { u: Float64Array; s: Float64Array; vh: Float64Array } {
  assertFinite(x, "svd");
  const k = Math.min(m, n);
  if (k === 0) return { u: new Float64Array(0), s: new Float64Array(0), vh: new Float64Array(0) };
  // JAMA's Golub–Kahan SVD assumes m ≥ n; for m < n decompose Aᵀ = V S Uᵀ instead.
  const tall = m >= n;
  const rows = tall ? m : n;
  const cols = tall ? n : m;
  const data: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = tall ? x[i * n + j] : x[j * n + i];
    data.push(row);
  }
  const { Matrix, SingularValueDecomposition } = library();
  const dec = new SingularValueDecomposition(new Matrix(data), {
    computeLeftSingularVectors: true,
    computeRightSingularVectors: true,
    autoTranspose: false,
  });
  const sv = dec.diagonal;
  const left = dec.leftSingularVectors; // rows × ≥k
  const right = dec.rightSingularVectors; // cols × ≥k
  const order = Array.from({ length: k }, (_, i) => i).sort((p, q) => sv[q] - sv[p]);
  const s = new Float64Array(k);
  const u = new Float64Array(m * k);
  const v = new Float64Array(n * k); // V (not Vh), n×k
  for (let c = 0; c < k; c++) {
    const src = order[c];
    s[c] = sv[src];
    if (!Number.isFinite(s[c])) throw new NumericError("no-convergence", "svd: iteration produced a non-finite value");
    for (let r = 0; r < m; r++) u[r * k + c] = tall ? left.get(r, src) : right.get(r, src);
    for (let r = 0; r < n; r++) v[r * k + c] = tall ? right.get(r, src) : left.get(r, src);
  }
  // Deterministic signs: fix U's columns and carry each flip to the matching column of V.
  fixColumnSigns(u, m, k, (c) => {
    for (let r = 0; r < n; r++) v[r * k + c] = -v[r * k + c];
  });
  const vh = new Float64Array(k * n);
  for (let c = 0; c < k; c++) for (let r = 0; r < n; r++) vh[c * n + r] = v[r * k + c];
  return { u, s, vh };
}

/**
 * `[U, S, Vh]` with `A = U diag(S) Vh` for each [m, n] matrix of the batch: U [..., m, k] with
 * orthonormal columns, S [..., k] descending, Vh [..., k, n] with orthonormal rows, k = min(m, n).
 * Each column of U has its largest-magnitude entry positive (Vh's row flipped to match).
 */
export function svd(a: NDArray): [NDArray, NDArray, NDArray] {
  const { batch, rows: m, cols: n, count } = matrixBatch(a);
  const k = Math.min(m, n);
  const U = ndarray([...batch, m, k]);
  const S = ndarray([...batch, k]);
  const Vh = ndarray([...batch, k, n]);
  for (let b = 0; b < count; b++) {
    const r = svdMatrix(a.data.subarray(b * m * n, (b + 1) * m * n), m, n);
    U.data.set(r.u, b * m * k);
    S.data.set(r.s, b * k);
    Vh.data.set(r.vh, b * k * n);
  }
  return [U, S, Vh];
}
