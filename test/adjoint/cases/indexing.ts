/** Gradient checks of concatenate, stack, slice, take (scatter-add, repeated indices) and permute. */
import { model, ops, type Tensor } from "../../../index.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { F64, randn, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));
const I32 = { dtype: "i32" } as const;

export const INDEXING_GRAD_CASES: GradTable = {
  concatenate: [
    {
      name: "three inputs along the last axis, one used twice, after an elementwise map",
      model: model("concatenate", ({ input }) => {
        const a = input("a", [2, 3], F64);
        const y = ops.concatenate([ops.exp(a), input("b", [2, 2], F64), a], { axis: -1 });
        return { loss: dot(y, input("W", [2, 8], F64)) };
      }),
      inputs: (r) => ({ a: randn(r, [2, 3], 0.5), b: randn(r, [2, 2]), W: randn(r, [2, 8]) }),
    },
  ],
  "dsl:stack": [
    {
      name: "ops.stack along axis 1",
      model: model("stack", ({ input }) => {
        const y = ops.stack([input("a", [2, 3], F64), input("b", [2, 3], F64)], { axis: 1 });
        return { loss: dot(y, input("W", [2, 2, 3], F64)) };
      }),
      inputs: (r) => ({ a: randn(r, [2, 3]), b: randn(r, [2, 3]), W: randn(r, [2, 2, 3]) }),
    },
  ],
  slice: [
    {
      name: "a middle slice of a batch and a tail slice, summed",
      model: model("slice", ({ input }) => {
        const X = input("X", [2, 5, 3], F64);
        const y = ops.add(ops.slice(X, { axis: 1, start: 1, stop: 3 }), ops.slice(X, { axis: 1, start: -2 }));
        return { loss: dot(ops.mul(y, y), input("W", [2, 2, 3], F64)) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 5, 3]), W: randn(r, [2, 2, 3]) }),
    },
  ],
  take: [
    {
      name: "rows with a repeated and a negative index; a [2, 2] index matrix along the last axis",
      model: model("take", ({ input }) => {
        const X = input("X", [4, 3], F64);
        const rows = ops.take(X, input("r", [4], I32), { axis: 0 });
        const cols = ops.take(X, input("c", [2, 2], I32), { axis: -1 });
        return { loss: ops.add(dot(ops.mul(rows, rows), input("W", [4, 3], F64)), dot(cols, input("V", [4, 2, 2], F64))) };
      }),
      inputs: (r) => ({ X: randn(r, [4, 3]), r: ndarray([4], [2, 0, 2, -1]), c: ndarray([2, 2], [1, 1, -3, 2]), W: randn(r, [4, 3]), V: randn(r, [4, 2, 2]) }),
    },
  ],
  permute: [
    {
      name: "a rank-3 cycle, then a matmul over the permuted batch",
      model: model("permute", ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        const P = ops.permute(X, [2, 0, 1]);
        return { loss: dot(ops.matmul(P, input("M", [3, 2], F64)), input("W", [4, 2, 2], F64)) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 3, 4]), M: randn(r, [3, 2]), W: randn(r, [4, 2, 2]) }),
    },
  ],
};

export const WHERE_GRAD_CASES: GradTable = {
  where: [
    {
      name: "where(a > b, a·b, a − b) with broadcasting, comparisons riding along as outputs",
      model: model("where", ({ input }) => {
        const a = input("a", [3, 4], F64);
        const b = input("b", [4], F64);
        const y = ops.where(ops.greater(a, b), ops.mul(a, b), ops.sub(a, b));
        const z = ops.where(ops.less(a, 0), 0, a);
        return { loss: ops.add(dot(y, input("W", [3, 4], F64)), ops.sum(ops.mul(z, z))), eq: ops.equal(a, b), lt: ops.less(a, b) };
      }),
      // Multiples of 1/4 shifted by 1/8: exact in f32, ≥ 1/4 from every comparison's tie.
      inputs: (r) => {
        const q = (n: number) => ndarray([n], Array.from({ length: n }, () => Math.round(4 * r.normal()) / 4 + 0.125));
        return { a: ndarray([3, 4], q(12).data), b: ndarray([4], q(4).data.map((v) => v + 0.125)), W: randn(r, [3, 4]) };
      },
    },
  ],
};
