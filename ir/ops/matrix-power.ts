/**
 * Matrix powers of SPD matrices: powm(X, p) = X^p as a spectral function (Daleckii–Krein adjoint
 * through the Loewner matrix of λ^p, backward-only powLoewner) and the Newton–Schulz square root
 * (iSQRT-COV), differentiated through its unrolled iteration. Derivations: docs/matrix-functions.md.
 */
import { intAttr, numberAttr } from "../attrs.js";
import type { Value } from "../graph.js";
import { OpTable, type AdjointRule } from "../op.js";
import { squareDims } from "../shape.js";
import { tensorType } from "../types.js";
import { demand } from "./demand.js";
import { spectralConjugate } from "./spectral.js";
import { asColumn } from "./linalg-helpers.js";
import { powLoewner, powm } from "../../numeric/spectral/matrix-power.js";
import { newtonSchulzSqrtm } from "../../numeric/linalg/newton-schulz.js";

const table = new OpTable();

// ---- powm -----------------------------------------------------------------------------------------

table.define({
  name: "powm",
  family: "spectral",
  arity: 1,
  doc: "X^p = U diag(λ^p) Uᵀ of an SPD matrix (MPN-COV's matrix power normalisation)",
  infer: ([x], attrs) => {
    numberAttr("powm", attrs, "p");
    squareDims("powm", x);
    demand("powm", x, "spd");
    return [tensorType(x.dtype, x.shape, "spd")];
  },
  evalCPU: ([x], attrs) => [powm(x, attrs.p as number)],
  adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const [w, u] = e.ops("eigh", [x]);
    return [spectralConjugate(e, u, e.op("powLoewner", [w], { p: attrs.p }), g!)];
  },
});
table.define({
  name: "powLoewner",
  family: "spectral",
  arity: 1,
  groups: ["backward-only", "expression"],
  doc: "backward-only (powm rule): the Loewner matrix (λᵢ^p − λⱼ^p)/(λᵢ − λⱼ), pλ^(p−1) on the diagonal",
  infer: ([w], attrs) => {
    numberAttr("powLoewner", attrs, "p");
    return [tensorType(w.dtype, [...w.shape, w.shape[w.shape.length - 1]], "symmetric")];
  },
  evalCPU: ([w], attrs) => [powLoewner(w, attrs.p as number)],
  noAdjoint: "backward-only (powm rule); second derivatives are not supported",
});

// ---- Newton–Schulz sqrtm --------------------------------------------------------------------------

/** The reverse sweep through the unrolled iteration (docs/matrix-functions.md), forward recomputed. */
const newtonSchulzAdjoint: AdjointRule = ({ inputs: [x], outputs: [y], attrs, cotangents: [g], e }) => {
  const iters = attrs.iters as number;
  const [batch, n] = squareDims("sqrtmNewtonSchulz", x.type);
  const dtype = x.type.dtype;
  const eye = e.op("eye", [], { shape: [n, n], dtype });
  const tau = asColumn(e, e.op("trace", [x]));
  const a = e.div(x, tau);
  const three = e.mul(eye, 3);
  // Forward: Y₀ = A, Z₀ = I, so T₁ = ½(3I − A), Y₁ = A T₁, Z₁ = T₁.
  const ys: Value[] = [a];
  const zs: (Value | null)[] = [null]; // null = I
  const ts: Value[] = [a]; // ts[k] = T_k (index 0 unused)
  for (let k = 1; k <= iters; k++) {
    const zy = zs[k - 1] ? e.matmul(zs[k - 1]!, ys[k - 1]) : ys[k - 1];
    ts[k] = e.mul(e.sub(three, zy), 0.5);
    ys[k] = e.matmul(ys[k - 1], ts[k]);
    if (k < iters) zs[k] = zs[k - 1] ? e.matmul(ts[k], zs[k - 1]!) : ts[k];
  }
  // Backward.
  let gy = e.mul(e.sym(g!), e.op("sqrt", [tau]));
  let gz: Value | null = null;
  for (let k = iters; k >= 1; k--) {
    let gt = e.matmul(e.transpose(ys[k - 1]), gy);
    if (gz) gt = e.add(gt, zs[k - 1] ? e.matmul(gz, e.transpose(zs[k - 1]!)) : gz);
    const gp = e.mul(gt, -0.5);
    const prevY = e.add(e.matmul(gy, e.transpose(ts[k])), zs[k - 1] ? e.matmul(e.transpose(zs[k - 1]!), gp) : gp);
    if (k > 1) {
      const fromT = e.matmul(gp, e.transpose(ys[k - 1]));
      gz = gz ? e.add(e.matmul(e.transpose(ts[k]), gz), fromT) : fromT;
    }
    gy = prevY;
  }
  const inner = (p: Value, q: Value) => asColumn(e, e.op("sum", [e.mul(p, q)], { axis: [batch.length, batch.length + 1], keepdims: false }));
  const gTau = e.sub(e.div(inner(g!, y), e.mul(tau, 2)), e.div(inner(gy, x), e.mul(tau, tau)));
  return [e.add(e.div(gy, tau), e.mul(eye, gTau))];
};

table.define({
  name: "sqrtmNewtonSchulz",
  family: "linalg",
  arity: 1,
  doc: "√X of an SPD matrix by `iters` coupled Newton–Schulz steps after trace normalisation (iSQRT-COV)",
  infer: ([x], attrs) => {
    intAttr("sqrtmNewtonSchulz", attrs, "iters", 1);
    squareDims("sqrtmNewtonSchulz", x);
    demand("sqrtm (Newton–Schulz)", x, "spd");
    return [tensorType(x.dtype, x.shape, "spd")];
  },
  evalCPU: ([x], attrs) => [newtonSchulzSqrtm(x, attrs.iters as number)],
  adjoint: newtonSchulzAdjoint,
});


export const MATRIX_POWER_OPS = table.ops;
