/**
 * Spectral matrix functions f(X) = U diag(f(λ)) Uᵀ of a symmetric X: logm, sqrtm, expm.
 * One table defines them; the adjoint pass adds the Daleckii–Krein rule (docs/architecture.md, rule 2).
 */
import { OpTable } from "../op.js";
import { squareDims } from "../shape.js";
import { promote, type Structure, tensorType } from "../types.js";

import { SPECTRAL_FNS, spectralFunction, type SpectralFn } from "../../numeric/spectral/spectral.js";
import { demand, demandFloat, demandShape, pairwiseInfer, vectorDims } from "./demand.js";
import { divdiff, loewner } from "../../numeric/spectral/loewner.js";
import { intAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { spectralApply } from "../../numeric/spectral/spectral-apply.js";
import { projectorGap } from "../../numeric/spectral/projector-gap.js";
import { type Value } from "../graph.js";
import { type Emitter } from "../emitter.js";

const table = new OpTable();

/** X̄ = U (K ∘ (Uᵀ sym(Ȳ) U)) Uᵀ for a kernel matrix K built from the eigenvalues (Daleckii–Krein). */
export function spectralConjugate(e: Emitter, u: Value, k: Value, g: Value): Value {
  const m = e.matmul(e.matmul(e.transpose(u), e.sym(g)), u);
  return e.conjugate(u, e.mul(k, m));
}

interface SpectralOp {
  readonly name: string;
  readonly fn: SpectralFn;
  readonly needs: Structure;
  readonly gives: Structure;
  readonly doc: string;
}

export const MATRIX_FUNCTIONS: readonly SpectralOp[] = [
  { name: "logm", fn: "log", needs: "spd", gives: "symmetric", doc: "matrix logarithm of an SPD matrix" },
  { name: "sqrtm", fn: "sqrt", needs: "spd", gives: "spd", doc: "principal square root of an SPD matrix" },
  { name: "expm", fn: "exp", needs: "symmetric", gives: "spd", doc: "matrix exponential of a symmetric matrix" },
];

for (const s of MATRIX_FUNCTIONS) {
  table.define({
    name: s.name,
    family: "spectral",
    arity: 1,
    doc: s.doc,
    infer: ([x]) => {
      squareDims(s.name, x);
      demand(s.name, x, s.needs);
      return [tensorType(x.dtype, x.shape, s.gives)];
    },
    evalCPU: ([x]) => [spectralFunction(x, s.fn)],
    // Daleckii–Krein with the stably evaluated Loewner matrix (docs/architecture.md).
    adjoint: ({ inputs: [x], cotangents: [g], e }) => {
      const [w, u] = e.ops("eigh", [x]);
      return [spectralConjugate(e, u, e.op("loewner", [w], { fn: s.fn }), g!)];
    },
  });
}

table.define({
  name: "loewner",
  family: "spectral",
  groups: ["backward-only", "expression"],
  arity: 1,
  doc: "eigenvalues → the Loewner matrix (f(λ_i) − f(λ_j))/(λ_i − λ_j), f′(λ_i) on the diagonal, f = log, sqrt or exp, evaluated stably",
  infer: pairwiseInfer("loewner", "symmetric", (attrs) => stringAttr("loewner", attrs, "fn", SPECTRAL_FNS)),
  evalCPU: ([w], attrs) => [loewner(w, attrs.fn as SpectralFn, attrs)],
  noAdjoint: "backward-only (spectral rules); second derivatives are not supported",
});

table.define({
  name: "divdiff",
  family: "spectral",
  groups: ["backward-only", "expression"],
  arity: 3,
  doc: "w, g(w), g′(w) → the Loewner matrix of an elementwise g (mean derivative where w_i ≈ w_j)",
  infer: ([w, gw, dgw]) => {
    const [batch, n] = vectorDims("divdiff", w, "w");
    demandShape("divdiff", gw, w.shape, "g(w)");
    demandShape("divdiff", dgw, w.shape, "g′(w)");
    return [tensorType(promote(w.dtype, promote(gw.dtype, dgw.dtype)), [...batch, n, n], "symmetric")];
  },
  evalCPU: ([w, gw, dgw]) => [divdiff(w, gw, dgw)],
  noAdjoint: "backward-only (spectralApply rule); second derivatives are not supported",
});

/**
 * `U diag(g(w)) Uᵀ` where (w, U) = eigh(X): the target of the rewrite of a hand-built spectral
 * function. Its value ignores X and g′(w); they are inputs so that the adjoint can apply the
 * Daleckii–Krein rule X̄ = U (L ∘ (Uᵀ sym(Ȳ) U)) Uᵀ, L = divdiff(w, g(w), g′(w)), which stays
 * finite at repeated eigenvalues (docs/architecture.md, rule 2).
 */
table.define({
  name: "spectralApply",
  family: "spectral",
  arity: 5,
  doc: "X, w, U, g(w), g′(w) with (w, U) = eigh(X) → U diag(g(w)) Uᵀ, exactly symmetric (differentiated by Daleckii–Krein)",
  infer: ([x, w, u, gw, dgw]) => {
    const [batch, n] = squareDims("spectralApply", x, "X");
    demand("spectralApply", x, "symmetric", "X");
    demandShape("spectralApply", w, [...batch, n], "w");
    demandShape("spectralApply", u, x.shape, "U");
    demandShape("spectralApply", gw, w.shape, "g(w)");
    demandShape("spectralApply", dgw, w.shape, "g′(w)");
    demandFloat("spectralApply", gw, "g(w)");
    return [tensorType(promote(u.dtype, gw.dtype), x.shape, "symmetric")];
  },
  evalCPU: ([x, w, u, gw, dgw]) => [spectralApply(x, w, u, gw, dgw)],
  // Y = U diag(g(w)) Uᵀ written by hand and recognised by the spectral rewrite: the same
  // Daleckii–Krein rule with divided differences of the user's g (w, U, g(w), g'(w) are functions
  // of X, so X receives the whole derivative and they receive none from this node).
  adjoint: ({ inputs: [, w, u, gw, dgw], cotangents: [g], e }) => [spectralConjugate(e, u, e.op("divdiff", [w, gw, dgw]), g!), null, null, null, null],
});

table.define({
  name: "projectorGap",
  family: "spectral",
  groups: ["backward-only", "expression"],
  arity: 1,
  doc: "ascending eigenvalues → G, G_ij = G_ji = 1/(λ_i − λ_j) for i among the top k and j not, else 0; an error with no gap",
  infer: pairwiseInfer(
    "projectorGap",
    "symmetric",
    (attrs) => intAttr("projectorGap", attrs, "k", 1),
    (attrs, n) => {
      if (typeof n === "number" && (attrs.k as number) > n) fail("MP2004", `projectorGap: k = ${attrs.k as number} exceeds the number of eigenvalues ${n}`);
    },
  ),
  evalCPU: ([w], attrs) => [projectorGap(w, attrs.k as number)],
  noAdjoint: "backward-only (topEigenProjector rule); second derivatives are not supported",
});

/** The spectral ops, for ir/registry.ts. */
export const SPECTRAL_OPS = table.ops;
