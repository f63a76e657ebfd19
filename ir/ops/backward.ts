/**
 * Ops that only appear in the backward graphs the adjoint pass builds: the F and G matrices of the
 * eigen, SVD and projector rules, Loewner matrices and the spectral-function rewrite target
 * (DESIGN.md "Matrix calculus the adjoint pass needs"), and the transposes of the network layers.
 * They are not differentiated again (no `adjoint`): the adjoint pass lists them in its filter table.
 */
import { dimListAttr, intAttr, intListAttr, stringAttr } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { nchw, windowAttrs, windowOut, type Pair } from "../window.js";
import { broadcastShapes, squareDims } from "../shape.js";
import { DTYPES, formatShape, isFloat, isSymmetric, promote, tensorType, type Dim, type Shape, type TensorType } from "../types.js";
import { demand } from "./linalg.js";
import { scalar } from "../../numeric/ndarray.js";
import type { SpectralFn } from "../../numeric/spectral/spectral.js";
import { sign } from "../../numeric/sign.js";
import { broadcastTo } from "../../numeric/broadcast.js";
import { lowerHalf } from "../../numeric/linalg/lower-half.js";
import { eigGapInverse, svdGapInverse } from "../../numeric/spectral/gap-inverse.js";
import { projectorGap } from "../../numeric/spectral/projector-gap.js";
import { divdiff, loewner } from "../../numeric/spectral/loewner.js";
import { spectralApply } from "../../numeric/spectral/spectral-apply.js";
import { conv2dGradInput, conv2dGradWeight } from "../../numeric/nn/conv-grad.js";
import { avgPool2dBackward, maxPool2dBackward } from "../../numeric/nn/pool-grad.js";
import { softmax } from "../../numeric/nn/softmax-grad.js";
import { oneHot } from "../../numeric/nn/one-hot.js";

const table = new OpTable();


function demandFloat(op: string, t: TensorType, what = "input"): void {
  if (!isFloat(t.dtype)) fail("MP2006", `${op}: ${what} must be float, got ${t.dtype}`);
}

/** A batch of float vectors [..., n]; returns [batch, n]. */
function vectorDims(op: string, t: TensorType, what = "input"): [Dim[], Dim] {
  if (t.shape.length < 1) fail("MP2007", `${op}: ${what} must be a vector [..., n], got shape ${formatShape(t.shape)}`);
  demandFloat(op, t, what);
  return [t.shape.slice(0, -1), t.shape[t.shape.length - 1]];
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function demandShape(op: string, t: TensorType, want: Shape, what: string): void {
  if (!sameShape(t.shape, want)) fail("MP2001", `${op}: ${what} must have shape ${formatShape(want)}, got ${formatShape(t.shape)}`);
}

// ---- elementwise and movement -------------------------------------------------------------

table.define({
  name: "sign",
  family: "elementwise",
  arity: 1,
  doc: "NumPy sign elementwise: −1, 0 or 1 (the derivative of abs)",
  infer: ([x]) => [tensorType(x.dtype, x.shape, isSymmetric(x.structure) ? "symmetric" : "general")],
  evalCPU: ([x]) => [sign(x)],
});

table.define({
  name: "broadcastTo",
  family: "movement",
  arity: 1,
  doc: "NumPy broadcast_to: x repeated along new leading dims and dims of size 1 to `shape`",
  infer: ([x], attrs) => {
    const target = dimListAttr("broadcastTo", attrs, "shape");
    if (target.some((d) => typeof d === "number" && d < 0)) fail("MP2012", `broadcastTo: invalid target shape ${formatShape(target)}`);
    const out = x.shape.length <= target.length ? broadcastShapes("broadcastTo", x.shape, target) : null;
    if (!out || !sameShape(out, target)) fail("MP2003", `broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(target)}`);
    return [tensorType(x.dtype, target)];
  },
  evalCPU: ([x], attrs, ctx) => [broadcastTo(x, (attrs.shape as Dim[]).map((d) => ctx.dim(d)))],
});

table.define({
  name: "dimSize",
  family: "source",
  arity: 0,
  typeAttrs: ["dtype"],
  doc: "a scalar holding the size of a dim (the count a mean divides by, when the dim is named)",
  infer: (_, attrs) => {
    const d = attrs.dim;
    const ok = (typeof d === "number" && Number.isInteger(d) && d >= 0) || (typeof d === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d));
    if (!ok) fail("MP2004", `dimSize: attribute 'dim' must be a size or a named dim, got ${JSON.stringify(d)}`);
    return [tensorType(stringAttr("dimSize", attrs, "dtype", DTYPES), [])];
  },
  evalCPU: (_, attrs, ctx) => [scalar(ctx.dim(attrs.dim as Dim))],
});

// ---- linalg: Cholesky, eigh and SVD rules ----------------------------------------------------

table.define({
  name: "lowerHalf",
  family: "linalg",
  arity: 1,
  doc: "Φ(A) (Murray 2016): the lower triangle with the diagonal halved, zeros above",
  infer: ([a]) => {
    squareDims("lowerHalf", a);
    return [tensorType(a.dtype, a.shape)];
  },
  evalCPU: ([a]) => [lowerHalf(a)],
});

for (const [name, kernel, doc] of [
  ["eigGapInverse", eigGapInverse, "eigenvalues w [..., n] → F, F_ij = 1/(w_j − w_i) off the diagonal, 0 on it; an error at repeated eigenvalues"],
  ["svdGapInverse", svdGapInverse, "singular values S [..., k] → F, F_ij = 1/(S_j² − S_i²) off the diagonal, 0 on it; an error at repeated values"],
] as const) {
  table.define({
    name,
    family: "linalg",
    arity: 1,
    doc,
    infer: ([w]) => {
      const [batch, n] = vectorDims(name, w);
      return [tensorType(w.dtype, [...batch, n, n])];
    },
    evalCPU: ([w]) => [kernel(w)],
  });
}

// ---- spectral: Daleckii–Krein and the eigenprojector ----------------------------------------

const LOEWNER_FNS: readonly SpectralFn[] = ["log", "sqrt", "exp"];

table.define({
  name: "loewner",
  family: "spectral",
  arity: 1,
  doc: "eigenvalues → the Loewner matrix (f(λ_i) − f(λ_j))/(λ_i − λ_j), f′(λ_i) on the diagonal, f = log, sqrt or exp, evaluated stably",
  infer: ([w], attrs) => {
    stringAttr("loewner", attrs, "fn", LOEWNER_FNS);
    const [batch, n] = vectorDims("loewner", w);
    return [tensorType(w.dtype, [...batch, n, n], "symmetric")];
  },
  evalCPU: ([w], attrs) => [loewner(w, attrs.fn as SpectralFn)],
});

table.define({
  name: "divdiff",
  family: "spectral",
  arity: 3,
  doc: "w, g(w), g′(w) → the Loewner matrix of an elementwise g (mean derivative where w_i ≈ w_j)",
  infer: ([w, gw, dgw]) => {
    const [batch, n] = vectorDims("divdiff", w, "w");
    demandShape("divdiff", gw, w.shape, "g(w)");
    demandShape("divdiff", dgw, w.shape, "g′(w)");
    return [tensorType(promote(w.dtype, promote(gw.dtype, dgw.dtype)), [...batch, n, n], "symmetric")];
  },
  evalCPU: ([w, gw, dgw]) => [divdiff(w, gw, dgw)],
});

/**
 * `U diag(g(w)) Uᵀ` where (w, U) = eigh(X): the target of the rewrite of a hand-built spectral
 * function. Its value ignores X and g′(w); they are inputs so that the adjoint can apply the
 * Daleckii–Krein rule X̄ = U (L ∘ (Uᵀ sym(Ȳ) U)) Uᵀ, L = divdiff(w, g(w), g′(w)), which stays
 * finite at repeated eigenvalues (DESIGN.md rule 2).
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
});

table.define({
  name: "projectorGap",
  family: "spectral",
  arity: 1,
  doc: "ascending eigenvalues → G, G_ij = G_ji = 1/(λ_i − λ_j) for i among the top k and j not, else 0; an error with no gap",
  infer: ([w], attrs) => {
    const k = intAttr("projectorGap", attrs, "k", 1);
    const [batch, n] = vectorDims("projectorGap", w);
    if (typeof n === "number" && k > n) fail("MP2004", `projectorGap: k = ${k} exceeds the number of eigenvalues ${n}`);
    return [tensorType(w.dtype, [...batch, n, n], "symmetric")];
  },
  evalCPU: ([w], attrs) => [projectorGap(w, attrs.k as number)],
});

// ---- nn: transposes of the layers, softmax, one-hot -----------------------------------------




/** The cotangent g must have the shape of the forward output: [n, c, out(h), out(w)]. */
function demandWindowed(op: string, g: TensorType, n: Dim, c: Dim, size: Pair, kernel: Pair, stride: Pair, padding: Pair): void {
  const want = [n, c, windowOut(op, size[0], kernel[0], stride[0], padding[0]), windowOut(op, size[1], kernel[1], stride[1], padding[1])];
  demandShape(op, g, want, "the cotangent g");
}

table.define({
  name: "conv2dGradInput",
  family: "nn",
  arity: 2,
  doc: "transposed convolution: g [N,O,H',W'], w [O,C,kh,kw] → x̄ [N,C,H,W], the adjoint of conv2d in x",
  infer: ([g, w], attrs) => {
    const { stride, padding } = windowAttrs("conv2dGradInput", attrs);
    const size = intListAttr("conv2dGradInput", attrs, "inputSize", 2, 1) as Pair;
    const [n] = nchw("conv2dGradInput", g, "g");
    const [o, c, kh, kw] = nchw("conv2dGradInput", w, "weight");
    demandWindowed("conv2dGradInput", g, n, o, size, [kh, kw], stride, padding);
    return [tensorType(promote(g.dtype, w.dtype), [n, c, ...size])];
  },
  evalCPU: ([g, w], attrs) => [conv2dGradInput(g, w, attrs.stride as Pair, attrs.padding as Pair, attrs.inputSize as Pair)],
});

table.define({
  name: "conv2dGradWeight",
  family: "nn",
  arity: 2,
  doc: "x [N,C,H,W], g [N,O,H',W'] → w̄ [O,C,kh,kw], the adjoint of conv2d in the weight",
  infer: ([x, g], attrs) => {
    const { stride, padding } = windowAttrs("conv2dGradWeight", attrs);
    const kernel = intListAttr("conv2dGradWeight", attrs, "kernel", 2, 1) as Pair;
    const [n, c, h, w] = nchw("conv2dGradWeight", x, "x");
    const [, o] = nchw("conv2dGradWeight", g, "g");
    demandWindowed("conv2dGradWeight", g, n, o, [h, w], kernel, stride, padding);
    return [tensorType(promote(x.dtype, g.dtype), [o, c, ...kernel])];
  },
  evalCPU: ([x, g], attrs) => [conv2dGradWeight(x, g, attrs.stride as Pair, attrs.padding as Pair, attrs.kernel as Pair)],
});

for (const [name, kernel, doc] of [
  ["avgPool2dBackward", avgPool2dBackward, "x, g → x̄, the adjoint of avgPool2d: each window's g spread as g/(kh·kw) over its positions"],
  ["maxPool2dBackward", maxPool2dBackward, "x, g → x̄, the adjoint of maxPool2d: each window's g added at its first maximum"],
] as const) {
  table.define({
    name,
    family: "nn",
    arity: 2,
    doc,
    infer: ([x, g], attrs) => {
      const { stride, padding } = windowAttrs(name, attrs);
      const k = intListAttr(name, attrs, "kernel", 2, 1) as Pair;
      if (padding[0] * 2 > k[0] || padding[1] * 2 > k[1]) fail("MP2004", `${name}: padding must be at most half the kernel`);
      const [n, c, h, w] = nchw(name, x, "x");
      demandWindowed(name, g, n, c, [h, w], k, stride, padding);
      return [tensorType(promote(x.dtype, g.dtype), x.shape)];
    },
    evalCPU: ([x, g], attrs) => [kernel(x, g, attrs.kernel as Pair, attrs.stride as Pair, attrs.padding as Pair)],
  });
}

table.define({
  name: "softmax",
  family: "nn",
  arity: 1,
  doc: "softmax over the last axis, max subtracted first",
  infer: ([z]) => {
    if (z.shape.length < 1) fail("MP2007", "softmax: input must have rank ≥ 1, got a scalar");
    demandFloat("softmax", z);
    return [tensorType(z.dtype, z.shape)];
  },
  evalCPU: ([z]) => [softmax(z)],
});

table.define({
  name: "oneHot",
  family: "nn",
  arity: 1,
  doc: "i32 class labels [B] → f32 [B, classes] with a 1 at each label",
  infer: ([labels], attrs) => {
    const classes = intAttr("oneHot", attrs, "classes", 1);
    if (labels.dtype !== "i32") fail("MP2006", `oneHot: labels must be i32 class indices, got ${labels.dtype}`);
    return [tensorType("f32", [...labels.shape, classes])];
  },
  evalCPU: ([labels], attrs) => [oneHot(labels, attrs.classes as number)],
});

/** The backward ops, for ir/registry.ts. */
export const BACKWARD_OPS = table.ops;
