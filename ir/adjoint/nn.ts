/** Adjoint rules of the neural-network ops. */
import { fail } from "../diagnostics.js";
import type { AdjointRule } from "../op.js";

const window = (attrs: Record<string, unknown>) => ({ kernel: attrs.kernel, stride: attrs.stride, padding: attrs.padding }) as never;

export const NN_ADJOINTS: Record<string, AdjointRule> = {
  conv2d: ({ inputs: [x, w], attrs, cotangents: [g], e }) => {
    const [, , h, wd] = x.type.shape;
    const [, , kh, kw] = w.type.shape;
    return [
      e.op("conv2dGradInput", [g!, w], { stride: attrs.stride, padding: attrs.padding, inputSize: [h, wd] as number[] }),
      e.op("conv2dGradWeight", [x, g!], { stride: attrs.stride, padding: attrs.padding, kernel: [kh, kw] as number[] }),
    ];
  },
  avgPool2d: ({ inputs: [x], attrs, cotangents: [g], e }) => [e.op("avgPool2dBackward", [x, g!], window(attrs))],
  maxPool2d: ({ inputs: [x], attrs, cotangents: [g], e }) => [e.op("maxPool2dBackward", [x, g!], window(attrs))],
  // ℓ = mean_b −log softmax(z_b)[y_b]: z̄ = (softmax(z) − onehot(y)) · ḡ / B. The label's entry
  // p_y − 1 is formed as −Σ_{c≠y} p_c: for a confident prediction p_y rounds to 1 and p_y − 1
  // would lose every digit (in f32 from a margin of about 12).
  softmaxCrossEntropy: ({ inputs: [z, labels], cotangents: [g], e }) => {
    const [b, c] = z.type.shape;
    if (typeof c !== "number") fail("MP2012", "softmaxCrossEntropy: the number of classes must be a size to differentiate");
    const onehot = e.op("oneHot", [labels], { classes: c });
    const others = e.mul(e.op("softmax", [z]), e.sub(1, onehot));
    const rest = e.op("sum", [others], { axis: [-1], keepdims: true });
    const diff = e.sub(others, e.mul(onehot, rest));
    return [e.div(e.mul(diff, g!), e.count([b], z.type.dtype)), null];
  },
  // y = softmax(z): z̄ = y ∘ (ȳ − Σ ȳ∘y) along the last axis.
  softmax: ({ outputs: [y], cotangents: [g], e }) => {
    const dot = e.op("sum", [e.mul(g!, y)], { axis: [-1], keepdims: true });
    return [e.mul(y, e.sub(g!, dot))];
  },
};
