/** Neural-network ops on NCHW images: conv2d, average and max pooling, softmax cross-entropy. */
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { nchw, windowAttrs, windowOut } from "../window.js";
import { formatShape, isFloat, tensorType } from "../types.js";
import { conv2d, avgPool2d, maxPool2d, softmaxCrossEntropy } from "../../numeric/nn/nn.js";

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
});

/** The nn ops, for ir/registry.ts. */
export const NN_OPS = table.ops;
