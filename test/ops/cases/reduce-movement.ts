/** Known values for reductions (axis, keepdims, negative axes) and data movement ops. */
import { model, ops } from "../../../index.js";
import { F64, type CaseTable } from "./types.js";

// T[b, i, j] = 100·b + 10·i + j for b < 2, i < 2, j < 3.
const T = [[[0, 1, 2], [10, 11, 12]], [[100, 101, 102], [110, 111, 112]]];

export const REDUCE_CASES: CaseTable = {
  sum: [
    {
      name: "all axes, one axis, a negative axis with keepdims, two axes",
      model: model("sum", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return {
          all: ops.sum(t),
          b: ops.sum(t, { axis: 0 }),
          lastKeep: ops.sum(t, { axis: -1, keepdims: true }),
          outer: ops.sum(t, { axis: [0, -1] }),
          allKeep: ops.sum(t, { keepdims: true }),
        };
      }),
      inputs: { T },
      expected: {
        // Σ of 12 entries: 100·6 (the b = 1 half) + 10·6 (the i = 1 half) + 4·(0+1+2) = 672.
        all: 672,
        // Sum over b: T[0] + T[1].
        b: [[100, 102, 104], [120, 122, 124]],
        // Row sums: 0+1+2 = 3, 10+11+12 = 33, 303, 333.
        lastKeep: [[[3], [33]], [[303], [333]]],
        // Over b and j: 3 + 303 = 306, 33 + 333 = 366.
        outer: [306, 366],
        allKeep: [[[672]]],
      },
    },
  ],
  mean: [
    {
      name: "all axes, axis −2, keepdims",
      model: model("mean", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return { all: ops.mean(t), rows: ops.mean(t, { axis: -2 }), keep: ops.mean(t, { axis: [1, 2], keepdims: true }) };
      }),
      inputs: { T },
      expected: {
        all: 56, // 672 / 12
        rows: [[5, 6, 7], [105, 106, 107]],
        keep: [[[6]], [[106]]], // (3 + 33)/6, (303 + 333)/6
      },
    },
  ],
};

export const MOVEMENT_CASES: CaseTable = {
  transpose: [
    {
      name: "swaps the last two dims, batched",
      model: model("transpose", ({ input }) => ({ y: ops.transpose(input("T", [2, 2, 3], F64)) })),
      inputs: { T },
      expected: { y: [[[0, 10], [1, 11], [2, 12]], [[100, 110], [101, 111], [102, 112]]] },
    },
  ],
  reshape: [
    {
      name: "row-major reshape with an inferred −1",
      model: model("reshape", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return { flat: ops.reshape(t, [-1]), x: ops.reshape(t, [3, -1]), keepB: ops.reshape(input("V", ["B", 4], F64), ["B", 2, 2]) };
      }),
      inputs: { T, V: [[1, 2, 3, 4], [5, 6, 7, 8]] },
      expected: {
        flat: [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112],
        x: [[0, 1, 2, 10], [11, 12, 100, 101], [102, 110, 111, 112]],
        keepB: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
      },
    },
  ],
  trace: [
    {
      name: "sum of the diagonal, batched",
      model: model("trace", ({ input }) => ({ y: ops.trace(input("X", [2, 2, 2], F64)), one: ops.trace(input("M", [3, 3], F64)) })),
      inputs: { X: [[[1, 2], [3, 4]], [[-1, 9], [9, 0.5]]], M: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] },
      expected: { y: [5, -0.5], one: 15 },
    },
  ],
  diag: [
    {
      name: "the main diagonal, batched",
      model: model("diag", ({ input }) => ({ y: ops.diag(input("X", [2, 2, 2], F64)) })),
      inputs: { X: [[[1, 2], [3, 4]], [[-1, 9], [9, 0.5]]] },
      expected: { y: [[1, 4], [-1, 0.5]] },
    },
  ],
  diagm: [
    {
      name: "diagonal matrices from vectors, batched",
      model: model("diagm", ({ input }) => ({ y: ops.diagm(input("v", [2, 3], F64)) })),
      inputs: { v: [[1, 2, 3], [-1, 0, 4]] },
      expected: {
        y: [
          [[1, 0, 0], [0, 2, 0], [0, 0, 3]],
          [[-1, 0, 0], [0, 0, 0], [0, 0, 4]],
        ],
      },
    },
  ],
};

export const MATMUL_CASES: CaseTable = {
  matmul: [
    {
      name: "2×3 @ 3×2",
      model: model("matmul", ({ input }) => ({ y: ops.matmul(input("A", [2, 3], F64), input("B", [3, 2], F64)) })),
      inputs: { A: [[1, 2, 3], [4, 5, 6]], B: [[7, 8], [9, 10], [11, 12]] },
      // [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12].
      expected: { y: [[58, 64], [139, 154]] },
    },
    {
      name: "batched [2,2,2] @ [2,2,2], and one matrix broadcast over the batch",
      model: model("matmul-batch", ({ input }) => {
        const a = input("A", [2, 2, 2], F64);
        return { y: ops.matmul(a, input("B", [2, 2, 2], F64)), z: ops.matmul(input("P", [2, 2], F64), a) };
      }),
      inputs: {
        A: [[[1, 2], [3, 4]], [[0, 1], [1, 0]]],
        B: [[[1, 0], [0, 1]], [[2, 3], [4, 5]]],
        P: [[0, 1], [1, 0]],
      },
      // y[0] = A[0]·I; y[1] swaps B[1]'s rows. z = P·A[b] swaps each A[b]'s rows.
      expected: {
        y: [[[1, 2], [3, 4]], [[4, 5], [2, 3]]],
        z: [[[3, 4], [1, 2]], [[1, 0], [0, 1]]],
      },
    },
    {
      name: "batch dims broadcast: [2,1,1,2] @ [3,2,1] → [2,3,1,1]",
      model: model("matmul-bcast", ({ input }) => ({ y: ops.matmul(input("A", [2, 1, 1, 2], F64), input("B", [3, 2, 1], F64)) })),
      inputs: { A: [[[[1, 1]]], [[[1, -1]]]], B: [[[1], [2]], [[3], [4]], [[5], [6]]] },
      // y[a, b] = A[a] · B[b]: sums 3, 7, 11 and differences −1, −1, −1.
      expected: { y: [[[[3]], [[7]], [[11]]], [[[-1]], [[-1]], [[-1]]]] },
    },
    {
      name: "1-D operands: vector @ matrix, matrix @ vector, vector @ vector",
      model: model("matmul-vec", ({ input }) => {
        const v = input("v", [3], F64);
        const m = input("M", [3, 2], F64);
        return { vm: ops.matmul(v, m), mv: ops.matmul(ops.transpose(m), v), dot: ops.matmul(v, v), batched: ops.matmul(input("S", [2, 2, 3], F64), v) };
      }),
      inputs: { v: [1, 2, 3], M: [[1, 0], [0, 1], [1, 1]], S: [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 1, 1]]] },
      expected: { vm: [4, 5], mv: [4, 5], dot: 14, batched: [[1, 2], [3, 6]] },
    },
  ],
};
