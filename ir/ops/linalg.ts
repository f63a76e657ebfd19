/**
 * Matrix ops, batched over leading dims: matmul, trace, inv, solve, cholesky, eigh, thin svd,
 * cov, and `assume`, the explicit structure assertion checked when it runs.
 */
import { numberAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { broadcastShapes, matrixDims, squareDims } from "../shape.js";
import { formatShape, isFloat, promote, satisfies, STRUCTURES, tensorType, type Dim, type Structure, type TensorType } from "../types.js";
import { trace } from "../../numeric/movement.js";
import { matmul } from "../../numeric/linalg/matmul.js";
import { eigh } from "../../numeric/linalg/eigh.js";
import { svd } from "../../numeric/linalg/svd.js";
import { cholesky } from "../../numeric/linalg/cholesky.js";
import { inv, solve } from "../../numeric/linalg/solve.js";
import { cov } from "../../numeric/linalg/cov.js";
import { checkStructure } from "../../numeric/structure-check.js";

const table = new OpTable();

export function demand(op: string, t: TensorType, want: Structure, what = "input"): void {
  if (!satisfies(t.structure, want)) {
    const hint = want === "spd" ? "; build it with linalg.cov, or assert it with ops.assume(x, \"spd\")" : `; assert it with ops.assume(x, "${want}")`;
    fail("MP2002", `${op}: ${what} must be ${want}, but it is typed ${t.structure}${hint}`);
  }
}

export function demandFloat(op: string, t: TensorType): void {
  if (!isFloat(t.dtype)) fail("MP2006", `${op}: needs a float input, got ${t.dtype}`);
}

table.define({
  name: "matmul",
  family: "linalg",
  arity: 2,
  doc: "matrix product with NumPy matmul semantics (batch dims broadcast; 1-D operands are vectors)",
  infer: ([a, b]) => {
    if (a.shape.length === 0 || b.shape.length === 0) fail("MP2007", "matmul: operands must have rank ≥ 1 (use mul for scalars)");
    const aVec = a.shape.length === 1;
    const bVec = b.shape.length === 1;
    const [aBatch, m, k] = aVec ? [[], 1, a.shape[0]] : matrixDims("matmul", a, "left operand");
    const [bBatch, k2, n] = bVec ? [[], b.shape[0], 1] : matrixDims("matmul", b, "right operand");
    if (k !== k2) fail("MP2001", `matmul: inner dims differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (${k} vs ${k2})`);
    const batch = broadcastShapes("matmul", aBatch, bBatch);
    const shape: Dim[] = [...batch, ...(aVec ? [] : [m]), ...(bVec ? [] : [n])];
    const structure: Structure = a.structure === "orthogonal" && b.structure === "orthogonal" ? "orthogonal" : a.structure === "diagonal" && b.structure === "diagonal" ? "diagonal" : "general";
    return [tensorType(promote(a.dtype, b.dtype), shape, structure)];
  },
  evalCPU: ([a, b]) => [matmul(a, b)],
});

table.define({
  name: "trace",
  family: "linalg",
  arity: 1,
  doc: "sum of the diagonal: [..., n, n] → [...]",
  infer: ([x]) => [tensorType(x.dtype, squareDims("trace", x)[0])],
  evalCPU: ([x]) => [trace(x)],
});

table.define({
  name: "inv",
  family: "linalg",
  arity: 1,
  doc: "matrix inverse (LU with partial pivoting); a singular matrix is an error",
  infer: ([x]) => {
    squareDims("inv", x);
    demandFloat("inv", x);
    return [tensorType(x.dtype, x.shape, x.structure)];
  },
  evalCPU: ([x]) => [inv(x)],
});

table.define({
  name: "solve",
  family: "linalg",
  arity: 2,
  doc: "X with A X = B (numpy.linalg.solve: B is [..., n, k], or a vector [n])",
  infer: ([a, b]) => {
    const [aBatch, n] = squareDims("solve", a, "A");
    demandFloat("solve", a);
    if (b.shape.length === 1) {
      if (b.shape[0] !== n) fail("MP2001", `solve: A is ${formatShape(a.shape)} but b is ${formatShape(b.shape)}`);
      return [tensorType(promote(a.dtype, b.dtype), [...aBatch, n])];
    }
    const [bBatch, rows, k] = matrixDims("solve", b, "B");
    if (rows !== n) fail("MP2001", `solve: A is ${formatShape(a.shape)} but B is ${formatShape(b.shape)} (${n} vs ${rows} rows)`);
    return [tensorType(promote(a.dtype, b.dtype), [...broadcastShapes("solve", aBatch, bBatch), n, k])];
  },
  evalCPU: ([a, b]) => [solve(a, b)],
});

table.define({
  name: "cholesky",
  family: "linalg",
  arity: 1,
  doc: "lower-triangular L with L Lᵀ = X, for X SPD",
  infer: ([x]) => {
    squareDims("cholesky", x);
    demand("cholesky", x, "spd");
    return [tensorType(x.dtype, x.shape)];
  },
  evalCPU: ([x]) => [cholesky(x)],
});

table.define({
  name: "eigh",
  family: "linalg",
  arity: 1,
  doc: "symmetric eigendecomposition X = U diag(w) Uᵀ, w ascending (numpy.linalg.eigh)",
  infer: ([x]) => {
    const [batch, n] = squareDims("eigh", x);
    demand("eigh", x, "symmetric");
    return [tensorType(x.dtype, [...batch, n]), tensorType(x.dtype, [...batch, n, n], "orthogonal")];
  },
  evalCPU: ([x]) => eigh(x),
});

table.define({
  name: "svd",
  family: "linalg",
  arity: 1,
  doc: "thin SVD A = U diag(S) Vh, S descending (numpy.linalg.svd, full_matrices=False)",
  infer: ([a]) => {
    const [batch, m, n] = matrixDims("svd", a);
    demandFloat("svd", a);
    let k: Dim;
    if (m === n) k = m;
    else if (typeof m === "number" && typeof n === "number") k = Math.min(m, n);
    else fail("MP2012", `svd: cannot tell min(${m}, ${n}) for the named dims of ${formatShape(a.shape)}; give sizes`);
    return [tensorType(a.dtype, [...batch, m, k]), tensorType(a.dtype, [...batch, k]), tensorType(a.dtype, [...batch, k, n])];
  },
  evalCPU: ([a]) => svd(a),
});

table.define({
  name: "cov",
  family: "linalg",
  arity: 1,
  doc: "FᵀF/n + eps·I over the last two dims (n = rows of F): SPD when eps > 0",
  infer: ([f], attrs) => {
    const eps = numberAttr("cov", attrs, "eps");
    if (eps < 0) fail("MP2004", `cov: eps must be ≥ 0, got ${eps}`);
    const [batch, , d] = matrixDims("cov", f, "F");
    return [tensorType(f.dtype, [...batch, d, d], eps > 0 ? "spd" : "symmetric")];
  },
  evalCPU: ([f], attrs) => [cov(f, attrs.eps as number)],
});

table.define({
  name: "assume",
  family: "linalg",
  arity: 1,
  doc: "asserts a matrix structure the compiler cannot infer; checked numerically when it runs",
  infer: ([x], attrs) => {
    const structure = stringAttr("assume", attrs, "structure", STRUCTURES);
    if (structure !== "general") squareDims("assume", x);
    return [tensorType(x.dtype, x.shape, structure)];
  },
  evalCPU: ([x], attrs) => {
    checkStructure(x, attrs.structure as Structure);
    return [x];
  },
});

/** The linalg ops, for ir/registry.ts. */
export const LINALG_OPS = table.ops;
