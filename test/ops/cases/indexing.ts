/** Known values for concatenate, stack, slice, take (and its scatter-add adjoint) and permute. */
import { model, ops } from "../../../index.js";
import { F64, graphModel, type CaseTable } from "./types.js";

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[7, 8, 9]];
// T[b, i, j] = 100·b + 10·i + j.
const T = [[[0, 1, 2], [10, 11, 12]], [[100, 101, 102], [110, 111, 112]]];
const I32 = { dtype: "i32" } as const;

export const INDEXING_CASES: CaseTable = {
  concatenate: [
    {
      name: "rows (axis 0), columns (axis −1), three inputs, and an f32 with an f64 input promotes",
      model: model("concatenate", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return {
          rows: ops.concatenate([a, input("B", [1, 3], F64)]),
          cols: ops.concatenate([a, input("C", [2, 1], F64), a], { axis: -1 }),
          mixed: ops.concatenate([input("f", [2]), input("d", [1], F64)]),
        };
      }),
      inputs: { A, B, C: [[-1], [-2]], f: [0.5, 1.5], d: [2.5] },
      expected: { rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], cols: [[1, 2, 3, -1, 1, 2, 3], [4, 5, 6, -2, 4, 5, 6]], mixed: [0.5, 1.5, 2.5] },
      check: () => {
        const g = model("concat-dtype", ({ input }) => ({ y: ops.concatenate([input("f", [2]), input("d", [1], F64)]) })).build();
        if (g.outputs[0].value.type.dtype !== "f64") throw new Error("concatenate of f32 and f64 should be f64");
      },
    },
  ],
  "dsl:ops.stack": [
    {
      name: "a new leading axis, and a new last axis",
      model: model("stack", ({ input }) => {
        const a = input("a", [3], F64);
        const b = input("b", [3], F64);
        return { first: ops.stack([a, b]), last: ops.stack([a, b], { axis: -1 }) };
      }),
      inputs: { a: [1, 2, 3], b: [4, 5, 6] },
      expected: { first: [[1, 2, 3], [4, 5, 6]], last: [[1, 4], [2, 5], [3, 6]] },
    },
  ],
  slice: [
    {
      name: "x[1:], x[:, 0:2], negative bounds, and a stop past the end (clamped, as Python)",
      model: model("slice", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return {
          tail: ops.slice(t, { axis: 0, start: 1 }),
          cols: ops.slice(t, { axis: -1, start: 0, stop: 2 }),
          neg: ops.slice(t, { axis: 2, start: -2, stop: -1 }),
          past: ops.slice(t, { axis: 1, start: 1, stop: 99 }),
        };
      }),
      inputs: { T },
      expected: {
        tail: [T[1]],
        cols: [[[0, 1], [10, 11]], [[100, 101], [110, 111]]],
        neg: [[[1], [11]], [[101], [111]]],
        past: [[[10, 11, 12]], [[110, 111, 112]]],
      },
    },
  ],
  take: [
    {
      name: "rows by index (repeats and a negative index), along axis 1 with a matrix of indices, and flattened",
      model: model("take", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        const a = input("A", [2, 3], F64);
        return {
          rows: ops.take(a, input("r", [3], I32), { axis: 0 }),
          inner: ops.take(t, input("m", [2, 2], I32), { axis: 2 }),
          flat: ops.take(a, input("f", [2], I32)),
        };
      }),
      inputs: { T, A, r: [1, 1, -2], m: [[2, 0], [-1, 1]], f: [5, 0] },
      expected: {
        rows: [[4, 5, 6], [4, 5, 6], [1, 2, 3]],
        // inner[b, i, p, q] = T[b, i, m[p, q]] with m = [[2, 0], [2, 1]].
        inner: [
          [[[2, 0], [2, 1]], [[12, 10], [12, 11]]],
          [[[102, 100], [102, 101]], [[112, 110], [112, 111]]],
        ],
        flat: [6, 1],
      },
    },
  ],
  takeGrad: [
    {
      name: "scatter-add: an index taken twice gets both cotangents, an index never taken gets 0",
      model: graphModel("take-grad", (b) => ({
        y: b.op("takeGrad", [b.input("g", [3, 2]), b.input("i", [3], { dtype: "i32" })], { axis: 0, size: 4 }),
      })),
      inputs: { g: [[1, 2], [10, 20], [100, 200]], i: [2, -2, 0] },
      // Rows 2 and −2 (= 2) add up; row 0 gets the last; rows 1 and 3 get nothing.
      expected: { y: [[100, 200], [0, 0], [11, 22], [0, 0]] },
    },
  ],
  permute: [
    {
      name: "batch to the back, and a full reversal",
      model: model("permute", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return { back: ops.permute(t, [1, 2, 0]), rev: ops.permute(t, [2, 1, 0]) };
      }),
      inputs: { T },
      // back[i, j, b] = T[b, i, j]; rev[j, i, b] = T[b, i, j].
      expected: {
        back: [[[0, 100], [1, 101], [2, 102]], [[10, 110], [11, 111], [12, 112]]],
        rev: [[[0, 100], [10, 110]], [[1, 101], [11, 111]], [[2, 102], [12, 112]]],
      },
    },
  ],
};

export const COMPARISON_CASES: CaseTable = {
  greater: [
    {
      name: "a > b with a broadcast row and a number; equal entries are not greater",
      model: model("greater", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { row: ops.greater(a, input("r", [3], F64)), num: ops.greater(3, a) };
      }),
      inputs: { A, r: [1, 5, 0] },
      expected: { row: [[0, 0, 1], [1, 0, 1]], num: [[1, 1, 0], [0, 0, 0]] },
      check: () => {
        const g = model("greater-dtype", ({ input }) => ({ y: ops.greater(input("x", [2]), 0) })).build();
        if (g.outputs[0].value.type.dtype !== "bool") throw new Error("a comparison should give bool");
      },
    },
  ],
  less: [
    {
      name: "a < b, broadcasting a column",
      model: model("less", ({ input }) => ({ y: ops.less(input("A", [2, 3], F64), input("c", [2, 1], F64)) })),
      inputs: { A, c: [[2], [6]] },
      expected: { y: [[1, 0, 0], [1, 1, 0]] },
    },
  ],
  equal: [
    {
      name: "exact equality (−0 equals +0)",
      model: model("equal", ({ input }) => ({ y: ops.equal(input("x", [4], F64), input("z", [4], F64)) })),
      inputs: { x: [1, -0, 0.1 + 0.2, 2], z: [1, 0, 0.3, 3] },
      expected: { y: [1, 1, 0, 0] },
    },
  ],
  where: [
    {
      name: "relu written as where(x > 0, x, 0), a 0/1 mask, and a bool cond broadcast against rows",
      model: model("where", ({ input }) => {
        const x = input("x", [2, 3], F64);
        const up = ops.greater(x, 0);
        return { relu: ops.where(up, x, 0), mask: ops.where(up, 1, 0), rows: ops.where(ops.less(input("c", [2, 1], F64), 0), x, input("y", [3], F64)) };
      }),
      inputs: { x: [[-1, 2, 0], [3, -4, 5]], c: [[-1], [1]], y: [10, 20, 30] },
      expected: { relu: [[0, 2, 0], [3, 0, 5]], mask: [[0, 1, 0], [1, 0, 1]], rows: [[-1, 2, 0], [10, 20, 30]] },
    },
  ],
};
