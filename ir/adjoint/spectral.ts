/**
 * Adjoint rules of spectral matrix functions and the normalized-cuts projectors (DESIGN rules 2–4).
 * Each is finite where the eigendecomposition rule is not: the Daleckii–Krein form needs no
 * eigenvalue gap at all, and the top-k projector only the gap between the kept and dropped blocks.
 */
import type { Emitter } from "../emitter.js";
import type { Value } from "../graph.js";
import type { AdjointRule } from "../op.js";

/** X̄ = U (K ∘ (Uᵀ sym(Ȳ) U)) Uᵀ for a kernel matrix K built from the eigenvalues. */
export function spectralConjugate(e: Emitter, u: Value, k: Value, g: Value): Value {
  const m = e.matmul(e.matmul(e.transpose(u), e.sym(g)), u);
  return e.conjugate(u, e.mul(k, m));
}

/** Y = f(X) (logm, sqrtm, expm): Daleckii–Krein with the stably evaluated Loewner matrix. */
const spectral = (fn: "log" | "sqrt" | "exp"): AdjointRule => ({ inputs: [x], cotangents: [g], e }) => {
  const [w, u] = e.ops("eigh", [x]);
  return [spectralConjugate(e, u, e.op("loewner", [w], { fn }), g!)];
};

export const SPECTRAL_ADJOINTS: Record<string, AdjointRule> = {
  logm: spectral("log"),
  sqrtm: spectral("sqrt"),
  expm: spectral("exp"),
  // The canonical form of logm/sqrtm/expm in gradient graphs: the same rule on the shared eigh.
  spectralFn: ({ inputs: [, w, u], attrs, cotangents: [g], e }) => [spectralConjugate(e, u, e.op("loewner", [w], { fn: attrs.fn }), g!), null, null],
  // Y = U diag(g(w)) Uᵀ written by hand and recognised by the spectral rewrite: the same
  // Daleckii–Krein rule with divided differences of the user's g (w, U, g(w), g'(w) are functions
  // of X, so X receives the whole derivative and they receive none from this node).
  spectralApply: ({ inputs: [, w, u, gw, dgw], cotangents: [g], e }) => [spectralConjugate(e, u, e.op("divdiff", [w, gw, dgw]), g!), null, null, null, null],
  topEigenProjector: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const [w, u] = e.ops("eigh", [x]);
    return [spectralConjugate(e, u, e.op("projectorGap", [w], { k: attrs.k }), g!)];
  },
  // Π = Z (ZᵀZ)⁻¹ Zᵀ: Z̄ = 2 (I − Π) sym(Π̄) (Z⁺)ᵀ with (Z⁺)ᵀ = Z (ZᵀZ)⁻¹.
  rangeProjector: ({ inputs: [z], outputs: [p], cotangents: [g], e }) => {
    const zt = e.transpose(z);
    const zpt = e.transpose(e.op("solve", [e.matmul(zt, z), zt]));
    const a = e.matmul(e.sym(g!), zpt);
    return [e.mul(e.sub(a, e.matmul(p, a)), 2)];
  },
};
