/**
 * Numerical check of an asserted structure (`ops.assume`, inputs declared symmetric/spd): a wrong
 * assertion must be an error, never a silently wrong number downstream.
 */
import { cholesky } from "./kernels/cholesky.js";
import { NumericError } from "./kernels/numeric-error.js";
import { matrixBatch, type NDArray } from "./ndarray.js";
import type { Structure } from "../../ir/types.js";

/** Relative tolerance for symmetry and orthogonality: a few hundred ulps of the matrix's scale. */
const REL_TOL = 1e-10;

export function checkStructure(x: NDArray, structure: Structure): void {
  if (structure === "general") return;
  const { rows: n, count } = matrixBatch(x);
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(x.data[o + i]));
    const tol = REL_TOL * Math.max(scale, 1e-300);
    const at = (i: number, j: number) => x.data[o + i * n + j];
    const where = count > 1 ? ` (matrix ${b} of the batch)` : "";
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (structure !== "orthogonal" && Math.abs(at(i, j) - at(j, i)) > tol) {
          throw new NumericError("not-symmetric", `not symmetric${where}: entry (${i},${j}) = ${at(i, j)} but (${j},${i}) = ${at(j, i)}`);
        }
        if (structure === "diagonal" && i !== j && Math.abs(at(i, j)) > tol) {
          throw new NumericError("not-symmetric", `not diagonal${where}: entry (${i},${j}) = ${at(i, j)}`);
        }
        if (structure === "orthogonal" || structure === "projector") {
          // orthogonal: (QᵀQ)_ij = δ_ij; projector: (P²)_ij = P_ij.
          let s = 0;
          for (let k = 0; k < n; k++) s += structure === "orthogonal" ? at(k, i) * at(k, j) : at(i, k) * at(k, j);
          const want = structure === "orthogonal" ? (i === j ? 1 : 0) : at(i, j);
          if (Math.abs(s - want) > 1e-8) throw new NumericError("domain", `not ${structure}${where}: entry (${i},${j}) is off by ${Math.abs(s - want)}`);
        }
      }
    }
  }
  if (structure === "spd") {
    try {
      cholesky(x);
    } catch (e) {
      if (e instanceof NumericError) throw new NumericError("not-spd", "symmetric but not positive definite (Cholesky failed)");
      throw e;
    }
  }
}
