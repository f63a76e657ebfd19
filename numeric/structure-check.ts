/**
 * Numerical check of an asserted structure (`ops.assume`, inputs declared symmetric/spd): a wrong
 * assertion must be an error, never a silently wrong number downstream.
 */
import { cholesky } from "./linalg/cholesky.js";
import { NumericError } from "./numeric-error.js";
import { matrixBatch, type NDArray } from "./ndarray.js";

/** What is known of a matrix: `general ⊇ symmetric ⊇ spd`, plus diagonal, orthogonal and projector. */
export type Structure = "general" | "symmetric" | "spd" | "diagonal" | "orthogonal" | "projector";

/** How far a matrix may be from its structure: |x_ij − x_ji| (and off-diagonal |x_ij|) ≤ relative·max|x|; |QᵀQ − I|, |P² − P| ≤ product, entrywise. */
export interface StructureTolerances {
  readonly relative: number;
  readonly product: number;
}

/** For float64 values (the CPU executor): symmetry to 1e-10 of the matrix's scale. */
const F64_STRUCTURE: StructureTolerances = { relative: 1e-10, product: 1e-8 };

/**
 * For f32 values (WebGPU's `assume` kernels, values handed to a bundle): about 80 ulps of the
 * largest entry — a matrix symmetric in exact arithmetic and computed in f32 (D·W·D by elementwise
 * products, U·diag(w)·Uᵀ) differs from its transpose by a few ulps, one that is not symmetric by far
 * more; an n-term product of entries ≤ 1 carries about n·eps_f32 of round-off, so 1e-4 leaves room
 * for n in the hundreds.
 */
export const F32_STRUCTURE: StructureTolerances = { relative: 1e-5, product: 1e-4 };

export function checkStructure(x: NDArray, structure: Structure, tolerances: StructureTolerances = F64_STRUCTURE): void {
  if (structure === "general") return;
  const { rows: n, count } = matrixBatch(x);
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(x.data[o + i]));
    const tol = tolerances.relative * Math.max(scale, 1e-300);
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
          if (Math.abs(s - want) > tolerances.product) throw new NumericError("domain", `not ${structure}${where}: entry (${i},${j}) is off by ${Math.abs(s - want)}`);
        }
      }
    }
  }
  if (structure === "spd") {
    try {
      // Symmetric within the tolerance (checked above): factor the symmetric part, so that the
      // Cholesky's own, f64-tight symmetry test does not decide.
      const { rows: n } = matrixBatch(x);
      const sym = x.data.map((v, k) => {
        const o = k - (k % (n * n));
        const [i, j] = [Math.floor((k - o) / n), (k - o) % n];
        return 0.5 * (v + x.data[o + j * n + i]);
      });
      cholesky({ shape: x.shape, data: sym });
    } catch (e) {
      if (e instanceof NumericError) throw new NumericError("not-spd", "symmetric but not positive definite (Cholesky failed)");
      throw e;
    }
  }
}
