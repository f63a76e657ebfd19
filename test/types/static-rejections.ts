/**
 * Static rejections: what `tsc` refuses before a model ever runs, and what it must accept.
 *
 * This file is only type-checked (test/types/tsconfig.json, part of `npm test`), never executed.
 * Each `// @ts-expect-error -- <reason>` line proves tsc rejects the next line; the reason names the
 * text the compiler's message contains (check by deleting the directive):
 *   1. matmul whose inner dims differ: literal, named, batched and 1-D vector operands; batch
 *      dims that do not broadcast;
 *   2. logm / sqrtm / cholesky of a value not typed SPD (general, symmetric, a matmul result);
 *   3. eigh / expm / topEigenProjector of a value not typed symmetric (including products that only
 *      look like AᵀA or U·D·Uᵀ);
 *   4. elementwise ops whose shapes do not broadcast; nn layers with mismatched dims.
 * Everything else must type-check with structure inferred where it is known: cov(F, {eps}) is SPD,
 * AᵀA / AAᵀ / U·diag(v)·Uᵀ are symmetric (also for intermediates such as relu(X W)), spd + spd is
 * SPD, eye is SPD, ops.assume asserts a structure, wide (`number`) and agreeing named dims pass.
 * `Expect<Equal<…>>` pins result types exactly. The ops of issue 12 have theirs in
 * static-rejections-ops.ts (ops, nn) and static-rejections-linalg.ts (linalg).
 */
import { model, ops, linalg, nn, type Tensor } from "matprop";
import type { Equal, Expect, ShapeOf, StructureOf } from "./expect.js";

// ---- 1. matmul inner dims -------------------------------------------------------------------------

export const matmulDims = model("matmul-dims", ({ input }) => {
  const A = input("A", [4, 3]);
  const B = input("B", [4, 3]);
  // @ts-expect-error -- matmul inner dims differ: [3, 4]
  ops.matmul(A, B);

  const N = input("N", ["n", "d"]);
  const M = input("M", ["m", "d"]);
  // @ts-expect-error -- matmul inner dims differ: ["d", "m"]
  ops.matmul(N, M);

  const Xb = input("Xb", ["B", 4, 3]);
  const Yb = input("Yb", ["B", 5, 2]);
  // @ts-expect-error -- matmul inner dims differ: [3, 5]
  ops.matmul(Xb, Yb);

  const v3 = input("v3", [3]);
  const v4 = input("v4", [4]);
  // @ts-expect-error -- matmul inner dims differ: [3, 4]
  ops.matmul(A, v4); // [4,3] @ [4]
  // @ts-expect-error -- matmul inner dims differ: [4, 3]
  ops.matmul(v4, ops.transpose(A)); // [4] @ [3,4]
  // @ts-expect-error -- matmul inner dims differ: [3, 4]
  ops.matmul(v3, v4); // dot product of unequal lengths

  const P = input("P", [2, 4, 3]);
  const Q = input("Q", [5, 3, 2]);
  // @ts-expect-error -- matmul batch dims do not broadcast: [[2], [5]]
  ops.matmul(P, Q);

  // Accepted: agreeing dims, named or literal, and broadcast batches.
  const C = input("C", [3, 5]);
  const AC = ops.matmul(A, C);
  type _ac = Expect<Equal<ShapeOf<typeof AC>, [4, 5]>>;
  const D = input("D", ["d", "k"]);
  const ND = ops.matmul(N, D);
  type _nd = Expect<Equal<ShapeOf<typeof ND>, ["n", "k"]>>;
  const XbC = ops.matmul(Xb, C);
  type _xbc = Expect<Equal<ShapeOf<typeof XbC>, ["B", 4, 5]>>;
  const Av = ops.matmul(A, v3);
  type _av = Expect<Equal<ShapeOf<typeof Av>, [4]>>;
  const vA = ops.matmul(v4, A);
  type _va = Expect<Equal<ShapeOf<typeof vA>, [3]>>;
  const dot = ops.matmul(v3, v3);
  type _dot = Expect<Equal<ShapeOf<typeof dot>, []>>;
  const PC = ops.matmul(input("Pb", [2, 1, 4, 3]), input("Qb", [7, 3, 2]));
  type _pc = Expect<Equal<ShapeOf<typeof PC>, [2, 7, 4, 2]>>;

  // Accepted: a dim TypeScript only knows as `number` (checked when the graph is built).
  const n: number = 4;
  const W = input("W", [n, 6]);
  const AW = ops.matmul(ops.transpose(A), W);
  type _aw = Expect<Equal<ShapeOf<typeof AW>, [3, 6]>>;
  return { y: ops.sum(AC) };
});

// ---- 2. SPD demands ------------------------------------------------------------------------------

export const spdDemands = model("spd-demands", ({ input }) => {
  const G = input("G", [4, 4]);
  const S = input("S", [4, 4], { structure: "symmetric" });
  const F = input("F", [10, 4]);
  // @ts-expect-error -- logm needs an SPD-typed matrix: "general"
  linalg.logm(G);
  // @ts-expect-error -- logm needs an SPD-typed matrix: "symmetric"
  linalg.logm(S);
  // @ts-expect-error -- sqrtm needs an SPD-typed matrix: "general"
  linalg.sqrtm(ops.matmul(G, G));
  // @ts-expect-error -- cholesky needs an SPD-typed matrix: "symmetric"
  linalg.cholesky(S);
  // AᵀA is only symmetric PSD, not SPD.
  // @ts-expect-error -- logm needs an SPD-typed matrix: "symmetric"
  linalg.logm(ops.matmul(ops.transpose(F), F));
  // cov without eps (or eps: 0) is only PSD.
  // @ts-expect-error -- cholesky needs an SPD-typed matrix: "symmetric"
  linalg.cholesky(linalg.cov(F));
  // @ts-expect-error -- logm needs an SPD-typed matrix: "symmetric"
  linalg.logm(linalg.cov(F, { eps: 0 }));
  // @ts-expect-error -- cov eps must be >= 0
  linalg.cov(F, { eps: -1e-3 });
  // spd − spd and spd·scalar may be indefinite.
  const P = input("P", [4, 4], { structure: "spd" });
  // @ts-expect-error -- logm needs an SPD-typed matrix: "symmetric"
  linalg.logm(ops.sub(P, P));
  // @ts-expect-error -- sqrtm needs an SPD-typed matrix: "symmetric"
  linalg.sqrtm(ops.mul(P, 2));
  // logm gives a symmetric (not SPD) matrix.
  // @ts-expect-error -- logm needs an SPD-typed matrix: "symmetric"
  linalg.logm(linalg.logm(P));
  // A tensor whose structure is not known statically is not SPD.
  const anything = G as Tensor<[4, 4]>;
  // @ts-expect-error -- logm needs an SPD-typed matrix: Structure
  linalg.logm(anything);

  // Accepted.
  const C = linalg.cov(F, { eps: 1e-3 });
  type _c = Expect<Equal<StructureOf<typeof C>, "spd">>;
  type _cs = Expect<Equal<ShapeOf<typeof C>, [4, 4]>>;
  const Cb = linalg.cov(input("Fb", ["B", 10, 4]), { eps: 1e-3 });
  type _cb = Expect<Equal<ShapeOf<typeof Cb>, ["B", 4, 4]>>;
  const L = linalg.logm(C);
  type _l = Expect<Equal<StructureOf<typeof L>, "symmetric">>;
  const eps: number = 1e-3;
  linalg.logm(linalg.cov(F, { eps })); // a wide eps is checked when the graph is built
  linalg.logm(P);
  linalg.cholesky(P);
  linalg.sqrtm(linalg.expm(S)); // expm of a symmetric matrix is SPD
  linalg.logm(linalg.expm(L));
  const Q = input("Q", [4, 4], { structure: "spd" });
  const PQ = ops.add(P, Q);
  type _pq = Expect<Equal<StructureOf<typeof PQ>, "spd">>;
  linalg.logm(PQ);
  linalg.logm(ops.mul(P, Q)); // Hadamard product of SPD matrices (Schur)
  linalg.logm(ops.add(C, P));
  const I = ops.eye(4);
  type _i = Expect<Equal<StructureOf<typeof I>, "spd">>;
  type _is = Expect<Equal<ShapeOf<typeof I>, [4, 4]>>;
  linalg.logm(I);
  linalg.logm(ops.add(P, I));
  linalg.logm(ops.assume(G, "spd"));
  linalg.cholesky(ops.assume(ops.add(ops.matmul(ops.transpose(F), F), ops.eye(4)), "spd"));
  linalg.sqrtm(linalg.sqrtm(P));
  return { loss: ops.sum(L) };
});

// ---- 3. symmetric demands ------------------------------------------------------------------------

export const symmetricDemands = model("symmetric-demands", ({ input, param }) => {
  const G = input("G", [4, 4]);
  const A = input("A", [6, 4]);
  const B = input("B", [6, 4]);
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(G);
  // @ts-expect-error -- expm needs a symmetric-typed matrix: "general"
  linalg.expm(G);
  // @ts-expect-error -- topEigenProjector needs a symmetric-typed matrix: "general"
  linalg.topEigenProjector(G, 2);
  // AᵀB is not symmetric.
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(ops.matmul(ops.transpose(A), B));
  // Nor is A·A for a general square A.
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(ops.matmul(G, G));
  // U·S₁·S₂·Uᵀ is not symmetric: `U·S` keys must not forget which S.
  const [, U] = linalg.eigh(input("S0", [4, 4], { structure: "symmetric" }));
  const S1 = input("S1", [4, 4], { structure: "symmetric" });
  const S2 = input("S2", [4, 4], { structure: "symmetric" });
  const US1 = ops.matmul(U, S1);
  const US2 = ops.matmul(U, S2);
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(ops.matmul(US1, ops.transpose(US2)));
  // (U·S₁)·S₂·Uᵀ: the left factor is U·S₁ times S₂, not U times a symmetric matrix.
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(ops.matmul(ops.matmul(US1, S2), ops.transpose(U)));
  // Uᵀ·U of an orthogonal U is orthogonal (the IR says so too), not typed symmetric.
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "orthogonal"
  linalg.eigh(ops.matmul(ops.transpose(U), U));
  // Two different relu(·) intermediates.
  const H1 = nn.relu(ops.matmul(A, param("W1", [4, 5])));
  const H2 = nn.relu(ops.matmul(A, param("W2", [4, 5])));
  // @ts-expect-error -- eigh needs a symmetric-typed matrix: "general"
  linalg.eigh(ops.matmul(ops.transpose(H1), H2));

  // Accepted: AᵀA and AAᵀ.
  const AtA = ops.matmul(ops.transpose(A), A);
  type _ata = Expect<Equal<StructureOf<typeof AtA>, "symmetric">>;
  type _atas = Expect<Equal<ShapeOf<typeof AtA>, [4, 4]>>;
  const AAt = ops.matmul(A, ops.transpose(A));
  type _aat = Expect<Equal<ShapeOf<typeof AAt>, [6, 6]>>;
  linalg.eigh(AtA);
  linalg.eigh(AAt);
  linalg.expm(AtA);
  linalg.topEigenProjector(AAt, 2);
  // ... also of intermediates.
  const X = input("X", ["B", 8, 4]);
  const W = param("W", [4, 6], { init: "normal" });
  const H = nn.relu(ops.matmul(X, W));
  const HtH = ops.matmul(ops.transpose(H), H);
  type _hth = Expect<Equal<ShapeOf<typeof HtH>, ["B", 6, 6]>>;
  linalg.eigh(HtH);
  linalg.eigh(ops.matmul(H, ops.transpose(H)));
  const Z = ops.add(ops.mul(ops.exp(A), 2), 1);
  linalg.eigh(ops.matmul(ops.transpose(Z), Z));
  // U·diag(w)·Uᵀ, U·(diag(w)·Uᵀ) and (U ∘ w)·Uᵀ from an eigendecomposition.
  const S = input("S", [4, 4], { structure: "symmetric" });
  const [w, V] = linalg.eigh(S);
  const R = ops.matmul(ops.matmul(V, ops.diagm(ops.exp(w))), ops.transpose(V));
  type _r = Expect<Equal<StructureOf<typeof R>, "symmetric">>;
  linalg.eigh(R);
  linalg.expm(ops.matmul(V, ops.matmul(ops.diagm(w), ops.transpose(V))));
  linalg.eigh(ops.matmul(ops.mul(V, ops.log(ops.abs(w))), ops.transpose(V)));
  // U·M·Uᵀ for any symmetric-typed M, even one without a key (logm's output).
  linalg.eigh(ops.matmul(ops.matmul(V, linalg.logm(ops.eye(4))), ops.transpose(V)));
  // Symmetric inputs and results stay symmetric under elementwise maps and sums.
  linalg.eigh(S);
  linalg.eigh(ops.add(S, AtA));
  linalg.eigh(ops.exp(S));
  linalg.eigh(nn.relu(S));
  linalg.eigh(ops.mul(ops.sub(S, 1), 0.5));
  linalg.eigh(linalg.topEigenProjector(S, 2));
  linalg.eigh(ops.diagm(w));
  linalg.eigh(ops.assume(G, "symmetric"));
  linalg.eigh(input("P", [4, 4], { structure: "spd" }));
  return { loss: ops.sum(R) };
});

// ---- eigh shapes ---------------------------------------------------------------------------------

export const eighShapes = model("eigh-shapes", ({ input }) => {
  const [w, U] = linalg.eigh(input("S", ["B", 4, 4], { structure: "symmetric" }));
  type _w = Expect<Equal<ShapeOf<typeof w>, ["B", 4]>>;
  type _u = Expect<Equal<ShapeOf<typeof U>, ["B", 4, 4]>>;
  type _us = Expect<Equal<StructureOf<typeof U>, "orthogonal">>;
  const P = linalg.topEigenProjector(input("T", [5, 5], { structure: "symmetric" }), 2);
  type _p = Expect<Equal<StructureOf<typeof P>, "projector">>;
  return { w: ops.sum(w), u: ops.sum(U) };
});

// ---- 4. broadcasting and nn layers ---------------------------------------------------------------

export const broadcasting = model("broadcasting", ({ input, param }) => {
  const A = input("A", [4, 3]);
  const C = input("C", [4, 2]);
  // @ts-expect-error -- shapes do not broadcast: [[4, 3], [4, 2]]
  ops.add(A, C);
  // @ts-expect-error -- shapes do not broadcast
  ops.mul(A, C);
  // @ts-expect-error -- shapes do not broadcast
  ops.sub(input("v", [4]), A);
  // @ts-expect-error -- shapes do not broadcast
  ops.maximum(input("Nb", ["n", 3]), input("Mb", ["m", 3]));

  // Accepted: NumPy broadcasting, numbers, wide dims.
  const AB = ops.add(A, input("b", [3]));
  type _ab = Expect<Equal<ShapeOf<typeof AB>, [4, 3]>>;
  const Ac = ops.mul(A, input("c", [4, 1]));
  type _ac = Expect<Equal<ShapeOf<typeof Ac>, [4, 3]>>;
  const Bc = ops.div(input("X", ["B", 1, 3]), input("Y", [5, 1]));
  type _bc = Expect<Equal<ShapeOf<typeof Bc>, ["B", 5, 3]>>;
  const k: number = 3;
  ops.add(A, input("K", [4, k]));
  ops.mul(A, 2);

  // nn layers.
  const x = input("x", ["B", 16]);
  const W1 = param("W1", [32, 16]);
  const b1 = param("b1", [32]);
  const h = nn.linear(x, W1, b1);
  type _h = Expect<Equal<ShapeOf<typeof h>, ["B", 32]>>;
  // @ts-expect-error -- linear in-features (x's last dim, W's second) differ: [16, 8]
  nn.linear(x, param("W2", [32, 8]));
  // @ts-expect-error -- '16' is not assignable to type '32' (bias length)
  nn.linear(x, W1, param("b2", [16]));

  const img = input("img", ["N", 3, 32, 32]);
  const k1 = param("k1", [8, 3, 3, 3]);
  const y = nn.conv2d(img, k1, { padding: 1, bias: param("kb", [8]) });
  type _y = Expect<Equal<ShapeOf<typeof y>, ["N", 8, number, number]>>;
  // @ts-expect-error -- conv2d channels (x's dim 1, w's dim 1) differ: [3, 4]
  nn.conv2d(img, param("k2", [8, 4, 3, 3]));
  // @ts-expect-error -- Source has 2 element(s) but target requires 4 (conv2d takes NCHW)
  nn.conv2d(input("flat", ["N", 3072]), k1);
  const p = nn.maxPool2d(nn.relu(y), 2);
  type _p = Expect<Equal<ShapeOf<typeof p>, ["N", 8, number, number]>>;
  const q = nn.avgPool2d(p, [2, 2], { stride: 2 });
  type _q = Expect<Equal<ShapeOf<typeof q>, ["N", 8, number, number]>>;
  const logits = nn.linear(ops.reshape(q, ["N", -1]), param("Wo", [10, 512]));
  type _lg = Expect<Equal<ShapeOf<typeof logits>, ["N", 10]>>;
  const labels = input("labels", ["N"], { dtype: "i32" });
  const loss = nn.softmaxCrossEntropy(logits, labels);
  type _loss = Expect<Equal<ShapeOf<typeof loss>, []>>;
  // @ts-expect-error -- softmaxCrossEntropy batch sizes (logits, labels) differ: ["N", "M"]
  nn.softmaxCrossEntropy(logits, input("labels2", ["M"], { dtype: "i32" }));
  return { loss, h: ops.sum(h) };
});
