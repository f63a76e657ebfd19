/**
 * `U diag(g(w)) Uᵀ` from a precomputed eigendecomposition: what the compiler rewrites a
 * hand-written `U·diag(g(w))·Uᵀ` (U, w from eigh of X) into, so that it gets the Daleckii–Krein
 * adjoint (docs/architecture.md, rule 2) instead of the eigenvector rule, which fails at repeated eigenvalues.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { symmetricProduct } from "../dense.js";

/**
 * Y = U diag(gw) Uᵀ per batch entry, upper triangle computed and mirrored: exactly symmetric.
 * X, w and dgw do not enter the value; they are inputs so that the adjoint can form
 * `X̄ = U (L ∘ (Uᵀ sym(Ȳ) U)) Uᵀ` with L = divdiff(w, gw, dgw).
 */
export function spectralApply(x: NDArray, w: NDArray, u: NDArray, gw: NDArray, dgw: NDArray): NDArray {
  const { batch, rows: n, cols, count } = matrixBatch(u);
  const same = (a: NDArray, s: readonly number[]) => a.shape.length === s.length && a.shape.every((d, i) => d === s[i]);
  const vec = [...batch, n];
  if (n !== cols || !same(x, u.shape) || !same(w, vec) || !same(gw, vec) || !same(dgw, vec)) {
    const shapes = [x, w, u, gw, dgw].map((a) => `[${a.shape.join(", ")}]`).join(", ");
    throw new RangeError(`spectralApply: expected X, U [..., n, n] and w, g(w), g′(w) [..., n], got ${shapes}`);
  }
  const out = ndarray(u.shape);
  for (let b = 0; b < count; b++) {
    const ub = u.data.subarray(b * n * n, (b + 1) * n * n);
    out.data.set(symmetricProduct(ub, gw.data.subarray(b * n, (b + 1) * n), n, n), b * n * n);
  }
  return out;
}
