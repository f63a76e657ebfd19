/**
 * Known values for max, min, argmax, argmin, logsumexp, softmax and logSoftmax: axis, keepdims,
 * negative axes, ties (the first position wins, as NumPy) and entries large enough that a naive
 * log Σ exp would overflow.
 */
import { model, nn, ops } from "../../../index.js";
import { F64, type CaseTable } from "./types.js";

// T[b, i, j] = 100·b + 10·i + j, with T[1, 0, 2] = 111 tied with T[1, 1, 1].
const T = [[[0, 1, 2], [10, 11, 12]], [[100, 101, 111], [110, 111, 112]]];
// A matrix with ties along rows and columns.
const M = [[3, -1, 3], [-2, 5, 5]];
const L = [Math.log(1), Math.log(2), Math.log(3), Math.log(4)];

export const EXTREME_CASES: CaseTable = {
  max: [
    {
      name: "all axes, one axis, a negative axis with keepdims, two axes",
      model: model("max", ({ input }) => {
        const t = input("T", [2, 2, 3], F64);
        return { all: ops.max(t), b: ops.max(t, { axis: 0 }), lastKeep: ops.max(t, { axis: -1, keepdims: true }), outer: ops.max(t, { axis: [0, -1] }) };
      }),
      inputs: { T },
      expected: { all: 112, b: [[100, 101, 111], [110, 111, 112]], lastKeep: [[[2], [12]], [[111], [112]]], outer: [111, 112] },
    },
  ],
  min: [
    {
      name: "all axes, rows, columns with keepdims",
      model: model("min", ({ input }) => {
        const m = input("M", [2, 3], F64);
        return { all: ops.min(m), rows: ops.min(m, { axis: 1 }), cols: ops.min(m, { axis: 0, keepdims: true }) };
      }),
      inputs: { M },
      expected: { all: -2, rows: [-1, -2], cols: [[-2, -1, 3]] },
    },
  ],
  argmax: [
    {
      name: "the first maximum wins ties; flattened when no axis; keepdims",
      model: model("argmax", ({ input }) => {
        const m = input("M", [2, 3], F64);
        return { flat: ops.argmax(m), rows: ops.argmax(m, { axis: -1 }), cols: ops.argmax(m, { axis: 0, keepdims: true }), t: ops.argmax(input("T", [2, 2, 3], F64), { axis: 2 }) };
      }),
      inputs: { M, T },
      // Row 0: 3 at 0 and 2 → 0; row 1: 5 at 1 and 2 → 1. Flattened: 5 first at 4. Columns: 3 > −2, 5 > −1, 5 > 3.
      expected: { flat: 4, rows: [0, 1], cols: [[0, 1, 1]], t: [[2, 2], [2, 2]] },
      check: (out) => {
        if (out.get("rows")!.data.some((x) => !Number.isInteger(x))) throw new Error("argmax must give integers");
      },
    },
  ],
  argmin: [
    {
      name: "the first minimum wins ties; flattened when no axis",
      model: model("argmin", ({ input }) => {
        const m = input("M", [2, 3], F64);
        return { flat: ops.argmin(m), rows: ops.argmin(m, { axis: 1 }), cols: ops.argmin(m, { axis: -2 }) };
      }),
      inputs: { M: [[3, -1, 3], [-2, 5, -2]] },
      expected: { flat: 3, rows: [1, 0], cols: [1, 0, 1] },
    },
  ],
  "dsl:ops.logsumexp": [
    {
      name: "log(1 + 2 + 3 + 4) = log 10; rows with keepdims; entries of 1000 do not overflow",
      model: model("logsumexp", ({ input }) => {
        const x = input("x", [4], F64);
        const big = input("big", [2, 2], F64);
        return { all: ops.logsumexp(x), rows: ops.logsumexp(big, { axis: -1, keepdims: true }), cols: ops.logsumexp(big, { axis: 0 }) };
      }),
      inputs: { x: L, big: [[1000, 1000], [-1000, 1000 - Math.log(3)]] },
      // Row 0: 1000 + log 2. Row 1: 1000 − log 3 + log(1 + 0) (e^−2000 vanishes). Column 1: 1000 + log(1 + 1/3).
      expected: { all: Math.log(10), rows: [[1000 + Math.LN2], [1000 - Math.log(3)]], cols: [1000, 1000 + Math.log(4 / 3)] },
    },
  ],
  "dsl:nn.softmax": [
    {
      name: "nn.softmax along the last axis: e^(log k) / Σ = k / 10; shifting by 1000 changes nothing",
      model: model("softmax-last", ({ input }) => {
        const x = input("x", [2, 4], F64);
        return { p: nn.softmax(x) };
      }),
      inputs: { x: [L, L.map((v) => v + 1000)] },
      expected: { p: [[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]] },
    },
    {
      name: "along axis 0 (composed of max, exp, sum, div): columns sum to 1",
      model: model("softmax-axis0", ({ input }) => ({ p: nn.softmax(input("x", [4, 2], F64), { axis: 0 }) })),
      inputs: { x: L.map((v, i) => [v, i === 0 ? 500 : 500 - 1000]) },
      // Column 1: e^500 dominates, the others are e^−1000 smaller: 1, 0, 0, 0.
      expected: { p: [[0.1, 1], [0.2, 0], [0.3, 0], [0.4, 0]] },
    },
  ],
  "dsl:nn.logSoftmax": [
    {
      name: "log(k / 10) along the last axis; a confident row keeps its tiny log-probabilities (−2000, not −∞)",
      model: model("log-softmax", ({ input }) => ({ y: nn.logSoftmax(input("x", [2, 4], F64)), cols: nn.logSoftmax(input("c", [2, 2], F64), { axis: 0 }) })),
      inputs: { x: [L, [0, 0, 0, 2000]], c: [[0, 1], [0, 1]] },
      // Row 1: 2000 − logsumexp = 2000 − (2000 + log(1 + 3e^−2000)) = 0 (to double precision), the others −2000.
      expected: {
        y: [L.map((v) => v - Math.log(10)), [-2000, -2000, -2000, 0]],
        cols: [[-Math.LN2, -Math.LN2], [-Math.LN2, -Math.LN2]],
      },
    },
  ],
};
