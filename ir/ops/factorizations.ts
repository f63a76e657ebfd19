/**
 * Factorisations and inverses built on them: reduced QR, the pseudo-inverse and the orthogonal polar
 * factor, each with its type rule, float64 evaluation and adjoint side by side. Derivations:
 * docs/matrix-functions.md.
 */
import { fail } from "../diagnostics.js";
import type { Value } from "../graph.js";
import { OpTable } from "../op.js";
import { matrixDims } from "../shape.js";
import { formatShape, tensorType } from "../types.js";
import { demandFloat } from "./demand.js";
import { last, tallOrSquare, thinDim } from "./linalg-helpers.js";
import { qr } from "../../numeric/linalg/qr.js";
import { pinv, polar } from "../../numeric/linalg/polar.js";

const table = new OpTable();

// ---- qr -------------------------------------------------------------------------------------------

table.define({
  name: "qr",
  family: "linalg",
  arity: 1,
  doc: "reduced QR by Householder, R_jj ≥ 0: Q [..., m, k], R [..., k, n], k = min(m, n)",
  infer: ([a]) => {
    const [batch, m, n] = matrixDims("qr", a);
    demandFloat("qr", a);
    const k = thinDim("qr", a, m, n);
    return [tensorType(a.dtype, [...batch, m, k], m === k ? "orthogonal" : "general"), tensorType(a.dtype, [...batch, k, n])];
  },
  evalCPU: ([a]) => qr(a),
  // m ≥ n: M = R R̄ᵀ − Q̄ᵀ Q, Ā = (Q̄ + Q copyltu(M)) R⁻ᵀ; copyltu(M) = Φ(M) + Φ(M)ᵀ with Φ = lowerHalf.
  adjoint: ({ node, inputs: [a], outputs: [q, r], cotangents: [gq, gr], e }) => {
    const [, m, n] = matrixDims("qr", a.type);
    if (!tallOrSquare(m, n)) fail("MP2002", `qr: the gradient is implemented for A with m ≥ n (tall or square); A is ${formatShape(a.type.shape)}`, node.loc);
    const terms: Value[] = [];
    if (gr) terms.push(e.matmul(r, e.transpose(gr)));
    if (gq) terms.push(e.neg(e.matmul(e.transpose(gq), q)));
    const mm = terms.length === 2 ? e.add(terms[0], terms[1]) : terms[0];
    const half = e.op("lowerHalf", [mm]);
    const qc = e.matmul(q, e.add(half, e.transpose(half)));
    const b = gq ? e.add(gq, qc) : qc;
    // B R⁻ᵀ = (R⁻¹ Bᵀ)ᵀ: a triangular solve, refused (MP5001) when R is singular (A rank deficient).
    return [e.transpose(e.op("solve", [r, e.transpose(b)]))];
  },
});

// ---- pinv -----------------------------------------------------------------------------------------

table.define({
  name: "pinv",
  family: "linalg",
  arity: 1,
  doc: "Moore–Penrose pseudo-inverse from the SVD (numpy.linalg.pinv, rtol = max(m, n)·eps): [..., m, n] → [..., n, m]",
  infer: ([a]) => {
    const [batch, m, n] = matrixDims("pinv", a);
    demandFloat("pinv", a);
    const keep = a.structure === "spd" || a.structure === "symmetric" || a.structure === "diagonal" ? a.structure : "general";
    return [tensorType(a.dtype, [...batch, n, m], keep)];
  },
  evalCPU: ([a]) => [pinv(a)],
  // Golub–Pereyra at full rank: Ā = −Pᵀ Ḡ Pᵀ + (I − AP) Ḡᵀ P Pᵀ + Pᵀ P Ḡᵀ (I − PA); the projector
  // term that does not vanish is formed by rangeProjector, whose rank test refuses a rank-deficient A.
  adjoint: ({ inputs: [a], outputs: [p], cotangents: [g], e }) => {
    const [, m, n] = matrixDims("pinv", a.type);
    const pt = e.transpose(p);
    const gt = e.transpose(g!);
    const first = e.neg(e.matmul(e.matmul(pt, g!), pt));
    let second: Value;
    if (tallOrSquare(m, n)) {
      const x = e.matmul(gt, e.matmul(p, pt)); // Ḡᵀ P Pᵀ, m×n
      second = e.sub(x, e.matmul(e.op("rangeProjector", [a]), x));
    } else {
      const y = e.matmul(e.matmul(pt, p), gt); // Pᵀ P Ḡᵀ, m×n
      second = e.sub(y, e.matmul(y, e.op("rangeProjector", [e.transpose(a)])));
    }
    return [e.add(first, second)];
  },
});

// ---- polar ----------------------------------------------------------------------------------------

table.define({
  name: "polar",
  family: "linalg",
  arity: 1,
  doc: "the orthogonal polar factor U·Vh of A = U diag(σ) Vh (A (AᵀA)^(−½) for m ≥ n); A must have full rank",
  infer: ([a]) => {
    const [, m, n] = matrixDims("polar", a);
    demandFloat("polar", a);
    return [tensorType(a.dtype, a.shape, m === n ? "orthogonal" : "general")];
  },
  evalCPU: ([a]) => [polar(a)],
  // Ā = U ((M − Mᵀ) ∘ K) Vh + (tall) (I − UUᵀ) Q̄ V Σ⁻¹ Vh / (wide) U Σ⁻¹ Uᵀ Q̄ (I − VVᵀ),
  // M = Uᵀ Q̄ V, K_ij = 1/(σ_i + σ_j): finite at repeated singular values.
  adjoint: ({ inputs: [a], cotangents: [g], e }) => {
    const [, m, n] = matrixDims("polar", a.type);
    const [u, s, vh] = e.ops("svd", [a]);
    const v = e.transpose(vh);
    const k = last(s);
    const batch = s.type.shape.slice(0, -1);
    const kern = e.div(1, e.add(e.reshape(s, [...batch, k, 1]), e.reshape(s, [...batch, 1, k])));
    const mm = e.matmul(e.matmul(e.transpose(u), g!), v);
    let ga = e.matmul(e.matmul(u, e.mul(e.sub(mm, e.transpose(mm)), kern)), vh);
    const sInvRow = e.reshape(e.div(1, s), [...batch, 1, k]);
    if (m !== n && tallOrSquare(m, n)) {
      const out = e.sub(g!, e.matmul(u, e.matmul(e.transpose(u), g!))); // (I − UUᵀ) Q̄
      ga = e.add(ga, e.matmul(e.mul(e.matmul(out, v), sInvRow), vh));
    } else if (m !== n) {
      const out = e.sub(g!, e.matmul(e.matmul(g!, v), vh)); // Q̄ (I − VVᵀ)
      ga = e.add(ga, e.matmul(e.mul(u, sInvRow), e.matmul(e.transpose(u), out)));
    }
    return [ga];
  },
});

export const FACTORIZATION_OPS = table.ops;
