/**
 * Known values for the elementwise ops, with NumPy broadcasting: a row vector against a matrix, a
 * column against a matrix, plain numbers on either side, and batch dims that broadcast ([2,1,3]
 * against [2,3] gives [2,2,3]).
 */
import { model, ops } from "../../../index.js";
import { E, F64, LN2, type CaseTable } from "./types.js";

const A = [[1, 2, 3], [4, 5, 6]];

export const ELEMENTWISE_CASES: CaseTable = {
  add: [
    {
      name: "matrix + row vector broadcasts over rows",
      model: model("add-row", ({ input }) => ({ y: ops.add(input("A", [2, 3], F64), input("r", [3], F64)) })),
      inputs: { A, r: [10, 20, 30] },
      expected: { y: [[11, 22, 33], [14, 25, 36]] },
    },
    {
      name: "batch dims broadcast: [2,1,3] + [2,3] → [2,2,3]",
      model: model("add-batch", ({ input }) => ({ y: ops.add(input("P", [2, 1, 3], F64), input("Q", [2, 3], F64)) })),
      inputs: { P: [[[0, 0, 0]], [[100, 200, 300]]], Q: A },
      // y[b, i, j] = P[b, 0, j] + Q[i, j].
      expected: { y: [[[1, 2, 3], [4, 5, 6]], [[101, 202, 303], [104, 205, 306]]] },
    },
    {
      name: "a number on the left",
      model: model("add-number", ({ input }) => ({ y: ops.add(1, input("x", [2], F64)) })),
      inputs: { x: [-1, 0.5] },
      expected: { y: [0, 1.5] },
    },
  ],
  sub: [
    {
      name: "matrix − column vector [2,1] broadcasts over columns",
      model: model("sub-col", ({ input }) => ({ y: ops.sub(input("A", [2, 3], F64), input("c", [2, 1], F64)) })),
      inputs: { A, c: [[1], [4]] },
      expected: { y: [[0, 1, 2], [0, 1, 2]] },
    },
    {
      name: "numbers on either side: 10 − x and x − 10",
      model: model("sub-number", ({ input }) => {
        const x = input("x", [3], F64);
        return { l: ops.sub(10, x), r: ops.sub(x, 10) };
      }),
      inputs: { x: [1, 2, 12] },
      expected: { l: [9, 8, -2], r: [-9, -8, 2] },
    },
  ],
  mul: [
    {
      name: "Hadamard product with a row vector scales columns",
      model: model("mul-row", ({ input }) => ({ y: ops.mul(input("A", [2, 3], F64), input("r", [3], F64)) })),
      inputs: { A, r: [1, 0, -2] },
      expected: { y: [[1, 0, -6], [4, 0, -12]] },
    },
    {
      name: "[2,1] ∘ [3] is the outer product [2,3]",
      model: model("mul-outer", ({ input }) => ({ y: ops.mul(input("c", [2, 1], F64), input("r", [3], F64)) })),
      inputs: { c: [[2], [-1]], r: [1, 2, 3] },
      expected: { y: [[2, 4, 6], [-1, -2, -3]] },
    },
  ],
  div: [
    {
      name: "matrix / row vector, and a number over a tensor",
      model: model("div", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { y: ops.div(a, input("r", [3], F64)), inv: ops.div(1, a) };
      }),
      inputs: { A, r: [2, 4, -8] },
      expected: { y: [[0.5, 0.5, -0.375], [2, 1.25, -0.75]], inv: [[1, 0.5, 1 / 3], [0.25, 0.2, 1 / 6]] },
    },
  ],
  neg: [
    {
      name: "−x",
      model: model("neg", ({ input }) => ({ y: ops.neg(input("x", [2, 2], F64)) })),
      inputs: { x: [[1, -2], [0, 3.25]] },
      expected: { y: [[-1, 2], [-0, -3.25]] },
    },
  ],
  exp: [
    {
      name: "e^0 = 1, e^1 = e, e^(ln 2) = 2, e^(−1) = 1/e",
      model: model("exp", ({ input }) => ({ y: ops.exp(input("x", [4], F64)) })),
      inputs: { x: [0, 1, LN2, -1] },
      expected: { y: [1, E, 2, 1 / E] },
    },
  ],
  log: [
    {
      name: "ln 1 = 0, ln e = 1, ln e² = 2, ln ½ = −ln 2",
      model: model("log", ({ input }) => ({ y: ops.log(input("x", [2, 2], F64)) })),
      inputs: { x: [[1, E], [E * E, 0.5]] },
      expected: { y: [[0, 1], [2, -LN2]] },
    },
  ],
  sqrt: [
    {
      name: "√4 = 2, √9 = 3, √2, √0 = 0",
      model: model("sqrt", ({ input }) => ({ y: ops.sqrt(input("x", [4], F64)) })),
      inputs: { x: [4, 9, 2, 0] },
      expected: { y: [2, 3, Math.SQRT2, 0] },
    },
  ],
  pow: [
    {
      name: "cubes, square roots and reciprocals",
      model: model("pow", ({ input }) => {
        const x = input("x", [3], F64);
        return { cube: ops.pow(x, 3), half: ops.pow(x, 0.5), recip: ops.pow(x, -1) };
      }),
      inputs: { x: [2, 16, 0.5] },
      expected: { cube: [8, 4096, 0.125], half: [Math.SQRT2, 4, Math.SQRT1_2], recip: [0.5, 0.0625, 2] },
    },
  ],
  abs: [
    {
      name: "|x|",
      model: model("abs", ({ input }) => ({ y: ops.abs(input("x", [4], F64)) })),
      inputs: { x: [-3, 0, 2.5, -1e-10] },
      expected: { y: [3, 0, 2.5, 1e-10] },
    },
  ],
  maximum: [
    {
      name: "maximum with a number (ReLU) and with a broadcast row",
      model: model("maximum", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { relu: ops.maximum(ops.sub(a, 3), 0), row: ops.maximum(a, input("r", [3], F64)) };
      }),
      inputs: { A, r: [3, 3, 7] },
      expected: { relu: [[0, 0, 0], [1, 2, 3]], row: [[3, 3, 7], [4, 5, 7]] },
    },
  ],
};
