/** Known values for ops.einsum: matmul, batched matmul, dot, outer, transpose, sums, implicit output, three operands. */
import { model, ops } from "../../../index.js";
import { F64, type CaseTable } from "./types.js";

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[1, 0], [0, 1], [2, -1]];
const C = [[1, 2], [3, 4]];

export const EINSUM_CASES: CaseTable = {
  "dsl:ops.einsum": [
    {
      name: "ij,jk->ik is A·B; implicit 'ij,jk' the same; ij->ji; ij->j; i,i-> and i,j->ij",
      model: model("einsum", ({ input }) => {
        const a = input("A", [2, 3], F64);
        const b = input("B", [3, 2], F64);
        const u = input("u", [3], F64);
        const v = input("v", [2], F64);
        return {
          ab: ops.einsum("ij,jk->ik", a, b),
          implicit: ops.einsum("ij,jk", a, b),
          t: ops.einsum("ij->ji", a),
          cols: ops.einsum("ij->j", a),
          dot: ops.einsum("i,i->", u, u),
          outer: ops.einsum("i,j->ij", v, u),
          abc: ops.einsum("ij,jk,kl->il", a, b, input("C", [2, 2], F64)),
        };
      }),
      inputs: { A, B, C, u: [1, 2, 3], v: [10, -1] },
      // A·B = [[1 + 6, 2 − 3], [4 + 12, 5 − 6]] = [[7, −1], [16, −1]]; (A·B)·C = [[7 − 3, 14 − 4], [16 − 3, 32 − 4]].
      expected: {
        ab: [[7, -1], [16, -1]],
        implicit: [[7, -1], [16, -1]],
        t: [[1, 4], [2, 5], [3, 6]],
        cols: [5, 7, 9],
        dot: 14,
        outer: [[10, 20, 30], [-1, -2, -3]],
        abc: [[4, 10], [13, 28]],
      },
    },
    {
      name: "bij,bjk->bik (batched, named batch), bij->b (a trace-free sum) and ijk,ik->j (two subscripts summed)",
      model: model("einsum-batch", ({ input }) => {
        const x = input("X", ["B", 2, 2], F64);
        const y = input("Y", ["B", 2, 2], F64);
        return { xy: ops.einsum("bij,bjk->bik", x, y), total: ops.einsum("bij->b", x), mixed: ops.einsum("bij,bj->i", x, ops.sum(y, { axis: -1 })) };
      }),
      inputs: { X: [C, [[0, 1], [1, 0]]], Y: [[[1, 0], [0, 1]], C] },
      // X₀·I = C; the swap times C swaps its rows. Row sums of Y: [1, 1] and [3, 7];
      // mixed_i = Σ_b Σ_j X[b,i,j]·rowsum(Y_b)_j = (1 + 2) + (7) for i = 0, (3 + 4) + (3) for i = 1.
      expected: { xy: [C, [[3, 4], [1, 2]]], total: [10, 2], mixed: [10, 10] },
    },
  ],
};
