/**
 * Matrix ops, batched over leading dims: matmul, trace, inv, solve, cholesky, eigh, thin svd,
 * cov, and `assume`, the explicit structure assertion checked when it runs.
 */
import { numberAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { broadcastShapes, matrixDims, squareDims } from "../shape.js";
import { formatShape, isFloat, promote, STRUCTURES, tensorType, type Dim, type Structure, type TensorType } from "../types.js";
import { trace } from "../../numeric/movement.js";
import { matmul } from "../../numeric/linalg/matmul.js";
import { eigh } from "../../numeric/linalg/eigh.js";
import { svd } from "../../numeric/linalg/svd.js";
import { cholesky } from "../../numeric/linalg/cholesky.js";
import { inv, solve } from "../../numeric/linalg/solve.js";
import { cov } from "../../numeric/linalg/cov.js";
import { checkStructure } from "../../numeric/structure-check.js";
import { lowerHalf } from "../../numeric/linalg/lower-half.js";
import { eigGapInverse, svdGapInverse } from "../../numeric/spectral/gap-inverse.js";
import { type Value } from "../graph.js";
import { demand, pairwiseInfer } from "./demand.js";
import { type Emitter } from "../emitter.js";

const table = new OpTable();

const last = (v: Value, k = 1) => v.type.shape[v.type.shape.length - k];

/** (I − U Uᵀ) X without forming the n×n projector. */
function complement(e: Emitter, u: Value, x: Value): Value {
  return e.sub(x, e.matmul(u, e.matmul(e.transpose(u), x)));
}

function demandFloat(op: string, t: TensorType): void {
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
  // C = A B: Ā = ḡ Bᵀ, B̄ = Aᵀ ḡ, summed over broadcast batch dims; 1-D operands are matrices
  // with a unit dim, which the cotangent gets back before the products.
  adjoint: ({ inputs: [a, b], cotangents: [g], e }) => {
    const aVec = a.type.shape.length === 1;
    const bVec = b.type.shape.length === 1;
    const A = aVec ? e.reshape(a, [1, last(a)]) : a;
    const B = bVec ? e.reshape(b, [last(b), 1]) : b;
    const gs = g!.type.shape;
    const batch = gs.slice(0, gs.length - (aVec ? 0 : 1) - (bVec ? 0 : 1));
    const G = e.reshape(g!, [...batch, aVec ? 1 : last(A, 2), bVec ? 1 : last(B)]);
    const gA = e.reshape(e.sumTo(e.matmul(G, e.transpose(B)), A.type.shape), a.type.shape);
    const gB = e.reshape(e.sumTo(e.matmul(e.transpose(A), G), B.type.shape), b.type.shape);
    return [gA, gB];
  },
});

table.define({
  name: "trace",
  family: "linalg",
  arity: 1,
  doc: "sum of the diagonal: [..., n, n] → [...]",
  infer: ([x]) => [tensorType(x.dtype, squareDims("trace", x)[0])],
  evalCPU: ([x]) => [trace(x)],
  // Only the diagonal of x reaches the output of trace: x̄ = ḡ·I (batched).
  adjoint: ({ inputs: [x], cotangents: [g], e }) => {
    const n = x.type.shape[x.type.shape.length - 1];
    const eye = e.op("eye", [], { shape: [n, n], dtype: x.type.dtype === "f64" ? "f64" : "f32" });
    return [e.mul(e.reshape(g!, [...g!.type.shape, 1, 1]), eye)];
  },
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
  // Y = X⁻¹: X̄ = −Yᵀ ḡ Yᵀ.
  adjoint: ({ outputs: [y], cotangents: [g], e }) => {
    const yt = e.transpose(y);
    return [e.neg(e.matmul(e.matmul(yt, g!), yt))];
  },
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
  // Y = A⁻¹B: B̄ = A⁻ᵀ ḡ, Ā = −B̄ Yᵀ (a vector right-hand side is an n×1 matrix here).
  adjoint: ({ inputs: [a, b], outputs: [y], cotangents: [g], e }) => {
    const vec = b.type.shape.length === 1;
    const G = vec ? e.reshape(g!, [...g!.type.shape, 1]) : g!;
    const Y = vec ? e.reshape(y, [...y.type.shape, 1]) : y;
    const gB = e.op("solve", [e.transpose(a), G]);
    const gA = e.neg(e.matmul(gB, e.transpose(Y)));
    return [e.sumTo(gA, a.type.shape), e.sumTo(vec ? e.reshape(gB, g!.type.shape) : gB, b.type.shape)];
  },
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
  // X = L Lᵀ (Murray 2016): S = Φ(Lᵀ L̄), X̄ = sym(L⁻ᵀ S L⁻¹).
  adjoint: ({ outputs: [l], cotangents: [g], e }) => {
    const s = e.op("lowerHalf", [e.matmul(e.transpose(l), g!)]);
    const linv = e.op("inv", [l]);
    return [e.sym(e.matmul(e.matmul(e.transpose(linv), s), linv))];
  },
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
  // X = U diag(w) Uᵀ (the paper's rule, docs/architecture.md, rule 1): X̄ = U (diag(w̄) + sym(F ∘ Uᵀ Ū)) Uᵀ with
  // F_ij = 1/(w_j − w_i). F exists only for distinct eigenvalues, so the eigenvector term is
  // emitted only when Ū is nonzero; eigGapInverse reports repeated eigenvalues as an error.
  adjoint: ({ outputs: [w, u], cotangents: [gw, gu], e }) => {
    const terms: Value[] = [];
    if (gw) terms.push(e.op("diagm", [gw]));
    if (gu) terms.push(e.sym(e.mul(e.op("eigGapInverse", [w]), e.matmul(e.transpose(u), gu))));
    const inner = terms.length === 2 ? e.add(terms[0], terms[1]) : terms[0];
    return [e.conjugate(u, inner)];
  },
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
  // Thin SVD A = U diag(σ) Vᵀ (Townsend 2016, docs/architecture.md, rule 5), F_ij = 1/(σ_j² − σ_i²):
  // Ā = U[(F∘(UᵀŪ − ŪᵀU))Σ + diag(σ̄) + Σ(F∘(VᵀV̄ − V̄ᵀV))]Vᵀ + (I − UUᵀ)ŪΣ⁻¹Vᵀ + UΣ⁻¹V̄ᵀ(I − VVᵀ).
  adjoint: ({ outputs: [u, s, vh], cotangents: [gu, gs, gvh], e }) => {
    const v = e.transpose(vh);
    const sigma = e.op("diagm", [s]);
    const inner: Value[] = [];
    let outer: Value | undefined;
    const sigmaInv = gu || gvh ? e.op("diagm", [e.div(1, s)]) : undefined;
    const f = gu || gvh ? e.op("svdGapInverse", [s]) : undefined;
    if (gs) inner.push(e.op("diagm", [gs]));
    if (gu) {
      const utgu = e.matmul(e.transpose(u), gu);
      inner.push(e.matmul(e.mul(f!, e.sub(utgu, e.transpose(utgu))), sigma));
      const term = e.matmul(e.matmul(complement(e, u, gu), sigmaInv!), vh);
      outer = term;
    }
    if (gvh) {
      const gv = e.transpose(gvh);
      const vtgv = e.matmul(e.transpose(v), gv);
      inner.push(e.matmul(sigma, e.mul(f!, e.sub(vtgv, e.transpose(vtgv)))));
      // U Σ⁻¹ V̄ᵀ (I − VVᵀ) = U Σ⁻¹ ((I − VVᵀ) V̄)ᵀ
      const term = e.matmul(e.matmul(u, sigmaInv!), e.transpose(complement(e, v, gv)));
      outer = outer ? e.add(outer, term) : term;
    }
    const core = inner.reduce((acc, t) => e.add(acc, t));
    const ga = e.matmul(e.matmul(u, core), vh);
    return [outer ? e.add(ga, outer) : ga];
  },
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
  // C = FᵀF/n + εI: F̄ = (2/n) F sym(C̄).
  adjoint: ({ inputs: [f], cotangents: [g], e }) => {
    const n = e.count([last(f, 2)], f.type.dtype);
    return [e.div(e.mul(e.matmul(f, e.sym(g!)), 2), n)];
  },
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
  adjoint: ({ cotangents: [g] }) => [g],
});

table.define({
  name: "lowerHalf",
  family: "linalg",
  groups: ["backward-only", "expression"],
  arity: 1,
  doc: "Φ(A) (Murray 2016): the lower triangle with the diagonal halved, zeros above",
  infer: ([a]) => {
    squareDims("lowerHalf", a);
    return [tensorType(a.dtype, a.shape)];
  },
  evalCPU: ([a]) => [lowerHalf(a)],
  noAdjoint: "backward-only (Cholesky rule); second derivatives are not supported",
});

for (const [name, kernel, doc] of [
  ["eigGapInverse", eigGapInverse, "eigenvalues w [..., n] → F, F_ij = 1/(w_j − w_i) off the diagonal, 0 on it; an error at repeated eigenvalues"],
  ["svdGapInverse", svdGapInverse, "singular values S [..., k] → F, F_ij = 1/(S_j² − S_i²) off the diagonal, 0 on it; an error at repeated values"],
] as const) {
  table.define({
    name,
    family: "linalg",
    groups: ["backward-only", "expression"],
    arity: 1,
    doc,
    infer: pairwiseInfer(name, "general"),
    evalCPU: ([w]) => [kernel(w)],
    noAdjoint: `backward-only (${name === "eigGapInverse" ? "eigh" : "svd"} rule); second derivatives are not supported`,
  });
}

/** The linalg ops, for ir/registry.ts. */
export const LINALG_OPS = table.ops;
