/** Neural-network ops on NCHW images: conv2d, average and max pooling, softmax cross-entropy. */
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { nchw, type Pair, windowAttrs, windowOut } from "../window.js";
import { type Dim, formatShape, isFloat, promote, type TensorType, tensorType } from "../types.js";
import { conv2d, avgPool2d, maxPool2d, softmaxCrossEntropy } from "../../numeric/nn/nn.js";
import { demandFloat, demandShape } from "./demand.js";
import { conv2dGradInput, conv2dGradWeight } from "../../numeric/nn/conv-grad.js";
import { avgPool2dBackward, maxPool2dBackward } from "../../numeric/nn/pool-grad.js";
import { intAttr, intListAttr } from "../attrs.js";
import { softmax } from "../../numeric/nn/softmax-grad.js";
import { oneHot } from "../../numeric/nn/one-hot.js";

const table = new OpTable();




table.define({
  name: "conv2d",
  family: "nn",
  arity: 2,
  doc: "2-D cross-correlation, x [N,C,H,W] ⋆ w [O,C,kh,kw] → [N,O,H',W'] (PyTorch conv2d, no bias)",
  infer: ([x, w], attrs) => {
    const { stride, padding } = windowAttrs("conv2d", attrs);
    const [n, c, h, wd] = nchw("conv2d", x, "x");
    const [o, cw, kh, kw] = nchw("conv2d", w, "weight");
    if (c !== cw) fail("MP2001", `conv2d: x has ${c} channels but the weight expects ${cw} (${formatShape(x.shape)} vs ${formatShape(w.shape)})`);
    const shape = [n, o, windowOut("conv2d", h, kh, stride[0], padding[0]), windowOut("conv2d", wd, kw, stride[1], padding[1])];
    return [tensorType(x.dtype, shape)];
  },
  evalCPU: ([x, w], attrs) => [conv2d(x, w, attrs.stride as [number, number], attrs.padding as [number, number])],
  adjoint: ({ inputs: [x, w], attrs, cotangents: [g], e }) => {
    const [, , h, wd] = x.type.shape;
    const [, , kh, kw] = w.type.shape;
    return [
      e.op("conv2dGradInput", [g!, w], { stride: attrs.stride, padding: attrs.padding, inputSize: [h, wd] as number[] }),
      e.op("conv2dGradWeight", [x, g!], { stride: attrs.stride, padding: attrs.padding, kernel: [kh, kw] as number[] }),
    ];
  },
});

for (const [name, kernel] of [["avgPool2d", avgPool2d], ["maxPool2d", maxPool2d]] as const) {
  table.define({
    name,
    family: "nn",
    arity: 1,
    doc: `${name === "avgPool2d" ? "average" : "max"} pooling over kernel windows of NCHW input (PyTorch semantics)`,
    infer: ([x], attrs) => {
      const { stride, padding, kernel: k } = windowAttrs(name, attrs, "kernel");
      const [n, c, h, w] = nchw(name, x, "x");
      if (padding[0] * 2 > k![0] || padding[1] * 2 > k![1]) fail("MP2004", `${name}: padding must be at most half the kernel`);
      return [tensorType(x.dtype, [n, c, windowOut(name, h, k![0], stride[0], padding[0]), windowOut(name, w, k![1], stride[1], padding[1])])];
    },
    evalCPU: ([x], attrs) => [kernel(x, attrs.kernel as [number, number], attrs.stride as [number, number], attrs.padding as [number, number])],
    adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => [e.op(`${name}Backward`, [x, g!], { kernel: attrs.kernel, stride: attrs.stride, padding: attrs.padding })],
  });
}

table.define({
  name: "softmaxCrossEntropy",
  family: "nn",
  arity: 2,
  doc: "mean over the batch of −log softmax(logits)[label]; logits [B, C], labels [B] (i32 class indices)",
  infer: ([logits, labels]) => {
    if (logits.shape.length !== 2) fail("MP2007", `softmaxCrossEntropy: logits must be [B, C], got ${formatShape(logits.shape)}`);
    if (labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
      fail("MP2001", `softmaxCrossEntropy: labels must be [${logits.shape[0]}], got ${formatShape(labels.shape)}`);
    }
    if (!isFloat(logits.dtype)) fail("MP2006", "softmaxCrossEntropy: logits must be float");
    if (labels.dtype !== "i32") fail("MP2006", `softmaxCrossEntropy: labels must be i32 class indices, got ${labels.dtype}`);
    return [tensorType(logits.dtype, [])];
  },
  evalCPU: ([logits, labels]) => [softmaxCrossEntropy(logits, labels)],
  // ℓ = mean_b −log softmax(z_b)[y_b]: z̄ = (softmax(z) − onehot(y)) · ḡ / B. The label's entry
  // p_y − 1 is formed as −Σ_{c≠y} p_c: for a confident prediction p_y rounds to 1 and p_y − 1
  // would lose every digit (in f32 from a margin of about 12).
  adjoint: ({ inputs: [z, labels], cotangents: [g], e }) => {
    const [b, c] = z.type.shape;
    if (typeof c !== "number") fail("MP2012", "softmaxCrossEntropy: the number of classes must be a size to differentiate");
    const onehot = e.op("oneHot", [labels], { classes: c });
    const others = e.mul(e.op("softmax", [z]), e.sub(1, onehot));
    const rest = e.op("sum", [others], { axis: [-1], keepdims: true });
    const diff = e.sub(others, e.mul(onehot, rest));
    return [e.div(e.mul(diff, g!), e.count([b], z.type.dtype)), null];
  },
});

/** The cotangent g must have the shape of the forward output: [n, c, out(h), out(w)]. */
function demandWindowed(op: string, g: TensorType, n: Dim, c: Dim, size: Pair, kernel: Pair, stride: Pair, padding: Pair): void {
  const want = [n, c, windowOut(op, size[0], kernel[0], stride[0], padding[0]), windowOut(op, size[1], kernel[1], stride[1], padding[1])];
  demandShape(op, g, want, "the cotangent g");
}

table.define({
  name: "conv2dGradInput",
  family: "nn",
  groups: ["backward-only"],
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
  noAdjoint: "backward-only (conv2d rule); second derivatives are not supported",
});

table.define({
  name: "conv2dGradWeight",
  family: "nn",
  groups: ["backward-only"],
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
  noAdjoint: "backward-only (conv2d rule); second derivatives are not supported",
});

for (const [name, kernel, doc] of [
  ["avgPool2dBackward", avgPool2dBackward, "x, g → x̄, the adjoint of avgPool2d: each window's g spread as g/(kh·kw) over its positions"],
  ["maxPool2dBackward", maxPool2dBackward, "x, g → x̄, the adjoint of maxPool2d: each window's g added at its first maximum"],
] as const) {
  table.define({
    name,
    family: "nn",
    groups: ["backward-only"],
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
    noAdjoint: `backward-only (${name === "avgPool2dBackward" ? "avgPool2d" : "maxPool2d"} rule); second derivatives are not supported`,
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
  // y = softmax(z): z̄ = y ∘ (ȳ − Σ ȳ∘y) along the last axis.
  adjoint: ({ outputs: [y], cotangents: [g], e }) => {
    const dot = e.op("sum", [e.mul(g!, y)], { axis: [-1], keepdims: true });
    return [e.mul(y, e.sub(g!, dot))];
  },
});

table.define({
  name: "oneHot",
  family: "nn",
  groups: ["backward-only", "expression", "finite-preserving"],
  arity: 1,
  doc: "i32 class labels [B] → f32 [B, classes] with a 1 at each label",
  infer: ([labels], attrs) => {
    const classes = intAttr("oneHot", attrs, "classes", 1);
    if (labels.dtype !== "i32") fail("MP2006", `oneHot: labels must be i32 class indices, got ${labels.dtype}`);
    return [tensorType("f32", [...labels.shape, classes])];
  },
  evalCPU: ([labels], attrs) => [oneHot(labels, attrs.classes as number)],
  noAdjoint: "integer labels in, constant out: nothing to differentiate",
});

/** The nn ops, for ir/registry.ts. */
export const NN_OPS = table.ops;
