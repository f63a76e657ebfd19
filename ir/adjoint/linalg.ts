/**
 * Adjoint rules of the matrix ops (DESIGN.md "Matrix calculus", rules 1, 5, 6 and cov).
 * Notation: ḡ is the output cotangent, sym(A) = (A + Aᵀ)/2, ∘ the Hadamard product.
 */
import type { Emitter } from "../emitter.js";
import type { Value } from "../graph.js";
import type { AdjointRule } from "../op.js";

const last = (v: Value, k = 1) => v.type.shape[v.type.shape.length - k];

/** (I − U Uᵀ) X without forming the n×n projector. */
function complement(e: Emitter, u: Value, x: Value): Value {
  return e.sub(x, e.matmul(u, e.matmul(e.transpose(u), x)));
}

export const LINALG_ADJOINTS: Record<string, AdjointRule> = {
  // C = A B: Ā = ḡ Bᵀ, B̄ = Aᵀ ḡ, summed over broadcast batch dims; 1-D operands are matrices
  // with a unit dim, which the cotangent gets back before the products.
  matmul: ({ inputs: [a, b], cotangents: [g], e }) => {
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
  // Y = X⁻¹: X̄ = −Yᵀ ḡ Yᵀ.
  inv: ({ outputs: [y], cotangents: [g], e }) => {
    const yt = e.transpose(y);
    return [e.neg(e.matmul(e.matmul(yt, g!), yt))];
  },
  // Y = A⁻¹B: B̄ = A⁻ᵀ ḡ, Ā = −B̄ Yᵀ (a vector right-hand side is an n×1 matrix here).
  solve: ({ inputs: [a, b], outputs: [y], cotangents: [g], e }) => {
    const vec = b.type.shape.length === 1;
    const G = vec ? e.reshape(g!, [...g!.type.shape, 1]) : g!;
    const Y = vec ? e.reshape(y, [...y.type.shape, 1]) : y;
    const gB = e.op("solve", [e.transpose(a), G]);
    const gA = e.neg(e.matmul(gB, e.transpose(Y)));
    return [e.sumTo(gA, a.type.shape), e.sumTo(vec ? e.reshape(gB, g!.type.shape) : gB, b.type.shape)];
  },
  // X = L Lᵀ (Murray 2016): S = Φ(Lᵀ L̄), X̄ = sym(L⁻ᵀ S L⁻¹).
  cholesky: ({ outputs: [l], cotangents: [g], e }) => {
    const s = e.op("lowerHalf", [e.matmul(e.transpose(l), g!)]);
    const linv = e.op("inv", [l]);
    return [e.sym(e.matmul(e.matmul(e.transpose(linv), s), linv))];
  },
  // X = U diag(w) Uᵀ (the paper's rule, DESIGN rule 1): X̄ = U (diag(w̄) + sym(F ∘ Uᵀ Ū)) Uᵀ with
  // F_ij = 1/(w_j − w_i). F exists only for distinct eigenvalues, so the eigenvector term is
  // emitted only when Ū is nonzero; eigGapInverse reports repeated eigenvalues as an error.
  eigh: ({ outputs: [w, u], cotangents: [gw, gu], e }) => {
    const terms: Value[] = [];
    if (gw) terms.push(e.op("diagm", [gw]));
    if (gu) terms.push(e.sym(e.mul(e.op("eigGapInverse", [w]), e.matmul(e.transpose(u), gu))));
    const inner = terms.length === 2 ? e.add(terms[0], terms[1]) : terms[0];
    return [e.conjugate(u, inner)];
  },
  // Thin SVD A = U diag(σ) Vᵀ (Townsend 2016, DESIGN rule 5), F_ij = 1/(σ_j² − σ_i²):
  // Ā = U[(F∘(UᵀŪ − ŪᵀU))Σ + diag(σ̄) + Σ(F∘(VᵀV̄ − V̄ᵀV))]Vᵀ + (I − UUᵀ)ŪΣ⁻¹Vᵀ + UΣ⁻¹V̄ᵀ(I − VVᵀ).
  svd: ({ outputs: [u, s, vh], cotangents: [gu, gs, gvh], e }) => {
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
  // C = FᵀF/n + εI: F̄ = (2/n) F sym(C̄).
  cov: ({ inputs: [f], cotangents: [g], e }) => {
    const n = e.count([last(f, 2)], f.type.dtype);
    return [e.div(e.mul(e.matmul(f, e.sym(g!)), 2), n)];
  },
};
