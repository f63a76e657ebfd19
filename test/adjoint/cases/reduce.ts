/**
 * Gradient checks of max, min, logsumexp, softmax and logSoftmax. Maxima are either well separated
 * or exactly tied two ways (central differences then see half the cotangent on each, which is the
 * even split of the adjoint); argmax/argmin ride along as outputs so WebGPU compares them too.
 */
import { model, nn, ops, type Tensor } from "../../../index.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { F64, randn, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

/** Distinct multiples of 1/4 (exact in f32), shuffled: no ties, gaps ≥ 0.25. */
function distinct(r: { uniform(): number }, shape: number[]) {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) / 4);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r.uniform() * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return ndarray(shape, v);
}

export const REDUCE_GRAD_CASES: GradTable = {
  max: [
    {
      name: "max over the last axis with keepdims, over axis 0, and of everything; argmax rides along",
      model: model("max", ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        const y = ops.add(ops.max(X, { axis: -1, keepdims: true }), ops.max(X, { axis: 0 }));
        return { loss: ops.add(dot(y as Tensor, input("W", [2, 3, 4], F64)), ops.max(X)), pos: ops.argmax(X, { axis: 1 }), flat: ops.argmax(X) };
      }),
      inputs: (r) => ({ X: distinct(r, [2, 3, 4]), W: randn(r, [2, 3, 4]) }),
    },
    {
      name: "two-way ties split the cotangent evenly (rows [1, 3, 3] and [2, 0, 2])",
      model: model("max-ties", ({ input }) => ({ loss: dot(ops.max(input("X", [2, 3], F64), { axis: 1 }), input("w", [2], F64)) })),
      inputs: (r) => ({ X: ndarray([2, 3], [1, 3, 3, 2, 0, 2]), w: randn(r, [2]) }),
    },
    {
      name: "rows of 150 (the workgroup tree on WebGPU) with the maximum tied at 70 and 130: argmax is 70",
      model: model("max-long", ({ input }) => {
        const X = input("X", [2, 150], F64);
        return { loss: dot(ops.max(X, { axis: -1 }), input("w", [2], F64)), pos: ops.argmax(X, { axis: -1 }), low: ops.argmin(ops.neg(X), { axis: 1 }) };
      }),
      inputs: (r) => {
        const X = distinct(r, [2, 150]);
        for (const row of [0, 150]) X.data[row + 70] = X.data[row + 130] = 100;
        return { X, w: randn(r, [2]) };
      },
    },
  ],
  min: [
    {
      name: "min over axes [0, 2] and over rows; argmin rides along",
      model: model("min", ({ input }) => {
        const X = input("X", [3, 2, 4], F64);
        const a = dot(ops.min(X, { axis: [0, 2] }), input("u", [2], F64));
        const b = dot(ops.min(X, { axis: -1 }), input("W", [3, 2], F64));
        return { loss: ops.add(a, b), pos: ops.argmin(X, { axis: -1, keepdims: true }), flat: ops.argmin(X) };
      }),
      inputs: (r) => ({ X: distinct(r, [3, 2, 4]), u: randn(r, [2]), W: randn(r, [3, 2]) }),
    },
  ],
  "dsl:logsumexp": [
    {
      name: "ops.logsumexp over the last axis and over axes [0, 1] with keepdims",
      model: model("logsumexp", ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        const a = dot(ops.logsumexp(X, { axis: -1 }), input("W", [2, 3], F64));
        return { loss: ops.add(a, ops.sum(ops.mul(ops.logsumexp(X, { axis: [0, 1], keepdims: true }), input("v", [4], F64)))) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 3, 4], 2), W: randn(r, [2, 3]), v: randn(r, [4]) }),
    },
  ],
  "dsl:softmax": [
    {
      name: "nn.softmax along the last axis (the softmax op) and along axis 1 (composed)",
      model: model("softmax", ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        const y = ops.add(nn.softmax(X), nn.softmax(X, { axis: 1 }));
        return { loss: dot(y, input("W", [2, 3, 4], F64)) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 3, 4], 2), W: randn(r, [2, 3, 4]) }),
    },
  ],
  "dsl:logSoftmax": [
    {
      name: "nn.logSoftmax along the last axis and along axis 0",
      model: model("log-softmax", ({ input }) => {
        const X = input("X", [3, 5], F64);
        const y = ops.add(nn.logSoftmax(X), nn.logSoftmax(X, { axis: 0 }));
        return { loss: dot(y, input("W", [3, 5], F64)) };
      }),
      inputs: (r) => ({ X: randn(r, [3, 5], 2), W: randn(r, [3, 5]) }),
    },
  ],
};
