/**
 * Linalg ops that reduce matrices to numbers: eigvalsh, det, slogdet, norm (and its backward-only
 * normWeights), each with its type rule, float64 evaluation and adjoint side by side. Derivations:
 * docs/matrix-functions.md.
 */
import { boolAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { matrixDims, squareDims } from "../shape.js";
import { formatShape, tensorType } from "../types.js";
import { demand, demandFloat } from "./demand.js";
import { asColumn, last } from "./linalg-helpers.js";
import { eigh } from "../../numeric/linalg/eigh.js";
import { det, slogdet } from "../../numeric/linalg/det.js";
import { norm, normWeights, type NormOrd } from "../../numeric/linalg/norm.js";

const table = new OpTable();

// ---- eigvalsh -------------------------------------------------------------------------------------

table.define({
  name: "eigvalsh",
  family: "linalg",
  arity: 1,
  doc: "eigenvalues of a symmetric matrix, ascending (numpy.linalg.eigvalsh)",
  infer: ([x]) => {
    const [batch, n] = squareDims("eigvalsh", x);
    demand("eigvalsh", x, "symmetric");
    return [tensorType(x.dtype, [...batch, n])];
  },
  evalCPU: ([x]) => [eigh(x)[0]],
  // X̄ = U diag(w̄) Uᵀ (eigh's rule without its eigenvector term).
  adjoint: ({ inputs: [x], cotangents: [g], e }) => {
    const [, u] = e.ops("eigh", [x]);
    return [e.conjugate(u, e.op("diagm", [g!]))];
  },
});

// ---- det, slogdet ---------------------------------------------------------------------------------

table.define({
  name: "det",
  family: "linalg",
  arity: 1,
  doc: "determinant by LU with partial pivoting: [..., n, n] → [...] (numpy.linalg.det)",
  infer: ([x]) => {
    const [batch] = squareDims("det", x);
    demandFloat("det", x);
    return [tensorType(x.dtype, batch)];
  },
  evalCPU: ([x]) => [det(x)],
  // Jacobi: Ā = ḡ · det A · A⁻ᵀ.
  adjoint: ({ inputs: [x], outputs: [d], cotangents: [g], e }) => [e.mul(e.transpose(e.op("inv", [x])), asColumn(e, e.mul(g!, d)))],
});

table.define({
  name: "slogdet",
  family: "linalg",
  arity: 1,
  doc: "[sign, log|det|] of square matrices (numpy.linalg.slogdet); a singular matrix is an error",
  infer: ([x]) => {
    const [batch] = squareDims("slogdet", x);
    demandFloat("slogdet", x);
    return [tensorType(x.dtype, batch), tensorType(x.dtype, batch)];
  },
  evalCPU: ([x]) => slogdet(x),
  // The sign is piecewise constant; d log|det A| = tr(A⁻¹ dA): Ā = l̄ · A⁻ᵀ.
  adjoint: ({ inputs: [x], cotangents: [, g], e }) => [g ? e.mul(e.transpose(e.op("inv", [x])), asColumn(e, g)) : null],
});

// ---- norm -----------------------------------------------------------------------------------------

const ORDS: readonly string[] = ["fro", "nuc", "2"];
function ordAttr(attrs: Record<string, unknown>): NormOrd {
  const o = String(attrs.ord);
  if (!ORDS.includes(o)) fail("MP2004", `norm: ord must be "fro", "nuc" or 2, got ${JSON.stringify(attrs.ord)}`);
  return o === "2" ? 2 : (o as NormOrd);
}

table.define({
  name: "norm",
  family: "linalg",
  arity: 1,
  doc: "‖x‖: Euclidean over the last dim (vector), or over the last two dims \"fro\", \"nuc\" (Σσ) or 2 (σ_max)",
  infer: ([x], attrs) => {
    const ord = ordAttr(attrs);
    const vector = boolAttr("norm", attrs, "vector");
    demandFloat("norm", x);
    if (vector) {
      if (ord !== 2) fail("MP2004", `norm: a vector norm has ord 2, got ${JSON.stringify(attrs.ord)}`);
      if (x.shape.length < 1) fail("MP2007", `norm: a vector norm needs rank ≥ 1, got ${formatShape(x.shape)}`);
      return [tensorType(x.dtype, x.shape.slice(0, -1))];
    }
    const [batch] = matrixDims("norm", x);
    return [tensorType(x.dtype, batch)];
  },
  evalCPU: ([x], attrs) => [norm(x, ordAttr(attrs), !attrs.vector)],
  adjoint: ({ inputs: [x], outputs: [y], attrs, cotangents: [g], e }) => {
    const dims = attrs.vector ? 1 : 2;
    const ord = ordAttr(attrs);
    if (ord === "fro" || ord === 2 && attrs.vector) {
      // x̄ = ḡ x / ‖x‖; at x = 0 the smallest subgradient 0 (x / tiny = 0 there).
      const tiny = x.type.dtype === "f64" ? 2.2250738585072014e-308 : 1.1754943508222875e-38;
      const safe = e.op("maximum", [y, e.constant(tiny, y.type.dtype)]);
      return [e.mul(x, asColumn(e, e.div(g!, safe), dims))];
    }
    // nuc / 2: Ā = ḡ · U diag(ω) Vh with the smallest-subgradient weights ω (docs/matrix-functions.md).
    const [u, s, vh] = e.ops("svd", [x]);
    const w = e.op("normWeights", [s], { ord: String(ord) });
    const uw = e.mul(u, e.reshape(w, [...w.type.shape.slice(0, -1), 1, last(w)]));
    return [e.mul(e.matmul(uw, vh), asColumn(e, g!))];
  },
});

table.define({
  name: "normWeights",
  family: "linalg",
  arity: 1,
  groups: ["backward-only", "expression"],
  doc: "backward-only (norm rule): weights ω on singular values with ḡ·U diag(ω) Vh the norm's smallest subgradient",
  infer: ([s], attrs) => {
    stringAttr("normWeights", attrs, "ord", ["nuc", "2"]);
    return [tensorType(s.dtype, s.shape)];
  },
  evalCPU: ([s], attrs) => [normWeights(s, attrs.ord === "2" ? 2 : "nuc")],
  noAdjoint: "backward-only (norm rule); second derivatives are not supported",
});

export const LINALG_REDUCTION_OPS = table.ops;
