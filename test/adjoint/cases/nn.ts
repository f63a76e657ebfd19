/**
 * Network layers: conv2d (stride 2, padding 1, with and without bias), pooling (no ties for max,
 * zero padding counted for average), softmax cross-entropy (i32 labels are not differentiated),
 * softmax, and the DSL composites nn.linear and nn.relu.
 */
import { model, nn, ops, type Tensor } from "../../../index.js";
import { awayFromZero, F64, graphModel, labels, randn, type GradCase, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

function poolCases(op: "avgPool2d" | "maxPool2d"): GradCase[] {
  const variants = [
    { kernel: 2, stride: 2, padding: 0, out: [2, 2, 2, 2] },
    { kernel: 3, stride: 2, padding: 1, out: [2, 2, 2, 2] },
    { kernel: 2, stride: 1, padding: 0, out: [2, 2, 3, 3] },
  ];
  return variants.map((v) => ({
    name: `${op}: x [2, 2, 4, 4], kernel ${v.kernel}, stride ${v.stride}, padding ${v.padding}`,
    model: model(`${op}-${v.kernel}-${v.stride}-${v.padding}`, ({ input }) => {
      const y = nn[op](input("x", [2, 2, 4, 4], F64), v.kernel, { stride: v.stride, padding: v.padding });
      return { loss: dot(y as Tensor, input("W", v.out, F64)) };
    }),
    // Continuous random values: no two entries of a window tie (with probability 1).
    inputs: (r) => ({ x: randn(r, [2, 2, 4, 4]), W: randn(r, v.out) }),
  }));
}

export const NN_GRAD_CASES: GradTable = {
  conv2d: [
    {
      name: "conv2d: x [2, 2, 5, 5] ⋆ w [3, 2, 3, 3], stride 2, padding 1",
      model: model("conv-s2-p1", ({ input }) => {
        const y = nn.conv2d(input("x", [2, 2, 5, 5], F64), input("w", [3, 2, 3, 3], F64), { stride: 2, padding: 1 });
        return { loss: dot(y as Tensor, input("W", [2, 3, 3, 3], F64)) };
      }),
      inputs: (r) => ({ x: randn(r, [2, 2, 5, 5]), w: randn(r, [3, 2, 3, 3]), W: randn(r, [2, 3, 3, 3]) }),
    },
    {
      name: "conv2d: x [1, 2, 4, 5] ⋆ w [2, 2, 2, 3] with bias, stride (1, 2), padding (0, 1)",
      model: model("conv-bias", ({ input, param }) => {
        const y = nn.conv2d(input("x", [1, 2, 4, 5], F64), param("w", [2, 2, 2, 3], F64), { stride: [1, 2], padding: [0, 1], bias: param("b", [2], F64) });
        return { loss: dot(y as Tensor, input("W", [1, 2, 3, 3], F64)) };
      }),
      inputs: (r) => ({ x: randn(r, [1, 2, 4, 5]), w: randn(r, [2, 2, 2, 3]), b: randn(r, [2]), W: randn(r, [1, 2, 3, 3]) }),
    },
  ],
  avgPool2d: poolCases("avgPool2d"),
  maxPool2d: poolCases("maxPool2d"),
  softmaxCrossEntropy: [
    {
      name: "softmaxCrossEntropy: logits [4, 3], i32 labels",
      model: model("sce", ({ input }) => ({ loss: nn.softmaxCrossEntropy(input("z", [4, 3], F64), input("y", [4], { dtype: "i32" })) })),
      inputs: (r) => ({ z: randn(r, [4, 3]), y: labels(r, 4, 3) }),
    },
    {
      name: "softmaxCrossEntropy: after nn.linear (params W, b), scaled loss",
      model: model("sce-linear", ({ input, param }) => {
        const z = nn.linear(input("x", [5, 4], F64), param("W", [3, 4], F64), param("b", [3], F64));
        return { loss: ops.mul(nn.softmaxCrossEntropy(z as never, input("y", [5], { dtype: "i32" })), 3) };
      }),
      inputs: (r) => ({ x: randn(r, [5, 4]), W: randn(r, [3, 4]), b: randn(r, [3]), y: labels(r, 5, 3) }),
    },
  ],
  softmax: [
    {
      name: "softmax: rows of [2, 3, 4]",
      model: graphModel("softmax", (b) => ({ loss: b.dot(b.op("softmax", [b.input("z", [2, 3, 4])])) })),
      inputs: (r) => ({ z: randn(r, [2, 3, 4]), W: randn(r, [2, 3, 4]) }),
    },
  ],
  "dsl:linear": [
    {
      name: "nn.linear: x [2, 3, 4] (batch), W [5, 4], b [5] as params",
      model: model("linear", ({ input, param }) => {
        const y = nn.linear(input("x", [2, 3, 4], F64), param("W", [5, 4], F64), param("b", [5], F64));
        return { loss: dot(y as Tensor, input("V", [2, 3, 5], F64)) };
      }),
      inputs: (r) => ({ x: randn(r, [2, 3, 4]), W: randn(r, [5, 4]), b: randn(r, [5]), V: randn(r, [2, 3, 5]) }),
    },
    {
      name: "nn.linear: 1-D x [4], no bias",
      model: model("linear-vec", ({ input }) => ({ loss: dot(nn.linear(input("x", [4], F64), input("W", [3, 4], F64)) as Tensor, input("V", [3], F64)) })),
      inputs: (r) => ({ x: randn(r, [4]), W: randn(r, [3, 4]), V: randn(r, [3]) }),
    },
  ],
  "dsl:relu": [
    {
      name: "nn.relu: [3, 4], entries away from 0",
      model: model("relu", ({ input }) => ({ loss: dot(nn.relu(input("X", [3, 4], F64)), input("W", [3, 4], F64)) })),
      inputs: (r) => ({ X: awayFromZero(r, [3, 4]), W: randn(r, [3, 4]) }),
    },
  ],
};
