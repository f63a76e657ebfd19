/**
 * Known values for the ops only gradient graphs use (the `backward-only` op group, and ir/ops/spectral-fn.ts). The DSL does
 * not expose them, so these models are built with the Graph API; expected values follow from each
 * op's documented formula, worked out by hand below.
 */
import { graphModel, type CaseTable } from "./types.js";

const S = Math.SQRT1_2;

export const BACKWARD_CASES: CaseTable = {
  sign: [
    {
      name: "−1, 0, 1",
      model: graphModel("sign", (b) => ({ y: b.op("sign", [b.input("x", [4])]) })),
      inputs: { x: [-2, 0, 3, -0.5] },
      expected: { y: [-1, 0, 1, -1] },
    },
  ],
  broadcastTo: [
    {
      name: "a row repeated down, a column repeated across, a new leading dim",
      model: graphModel("broadcast-to", (b) => ({
        rows: b.op("broadcastTo", [b.input("r", [3])], { shape: [2, 3] }),
        cols: b.op("broadcastTo", [b.input("c", [2, 1])], { shape: [2, 2, 3] }),
      })),
      inputs: { r: [1, 2, 3], c: [[1], [2]] },
      expected: { rows: [[1, 2, 3], [1, 2, 3]], cols: [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]] },
    },
  ],
  dimSize: [
    {
      name: "the size of a named dim (bound to 3 by the data) and of a fixed one",
      model: graphModel("dim-size", (b) => {
        b.input("X", ["n", 2]);
        return { n: b.op("dimSize", [], { dim: "n", dtype: "f64" }), five: b.op("dimSize", [], { dim: 5, dtype: "f64" }) };
      }),
      inputs: { X: [[1, 2], [3, 4], [5, 6]] },
      expected: { n: 3, five: 5 },
    },
  ],
  lowerHalf: [
    {
      name: "Φ: lower triangle, diagonal halved",
      model: graphModel("lower-half", (b) => ({ y: b.op("lowerHalf", [b.input("A", [3, 3])]) })),
      inputs: { A: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] },
      expected: { y: [[0.5, 0, 0], [4, 2.5, 0], [7, 8, 4.5]] },
    },
  ],
  eigGapInverse: [
    {
      name: "F_ij = 1/(w_j − w_i) for w = [1, 2, 4]",
      model: graphModel("eig-gap-inverse", (b) => ({ F: b.op("eigGapInverse", [b.input("w", [3])]) })),
      inputs: { w: [1, 2, 4] },
      expected: { F: [[0, 1, 1 / 3], [-1, 0, 1 / 2], [-1 / 3, -1 / 2, 0]] },
    },
  ],
  svdGapInverse: [
    {
      name: "F_ij = 1/(S_j² − S_i²) for S = [3, 1]",
      model: graphModel("svd-gap-inverse", (b) => ({ F: b.op("svdGapInverse", [b.input("S", [2])]) })),
      inputs: { S: [3, 1] },
      expected: { F: [[0, -1 / 8], [1 / 8, 0]] },
    },
  ],
  loewner: [
    {
      name: "divided differences of log, sqrt and exp, derivatives on the diagonal",
      model: graphModel("loewner", (b) => ({
        log: b.op("loewner", [b.input("a", [2])], { fn: "log" }),
        sqrt: b.op("loewner", [b.input("c", [2])], { fn: "sqrt" }),
        exp: b.op("loewner", [b.input("d", [2])], { fn: "exp" }),
      })),
      inputs: { a: [1, Math.E], c: [1, 4], d: [0, Math.LN2] },
      expected: {
        // (ln e − ln 1)/(e − 1); 1/λ on the diagonal.
        log: [[1, 1 / (Math.E - 1)], [1 / (Math.E - 1), 1 / Math.E]],
        // (2 − 1)/(4 − 1); 1/(2√λ).
        sqrt: [[0.5, 1 / 3], [1 / 3, 0.25]],
        // (2 − 1)/ln 2; e^λ.
        exp: [[1, 1 / Math.LN2], [1 / Math.LN2, 2]],
      },
    },
  ],
  divdiff: [
    {
      name: "g(x) = x² at w = [1, 3]: (9 − 1)/(3 − 1) = 4 off the diagonal, g′ = 2w on it",
      model: graphModel("divdiff", (b) => ({ L: b.op("divdiff", [b.input("w", [2]), b.input("gw", [2]), b.input("dgw", [2])]) })),
      inputs: { w: [1, 3], gw: [1, 9], dgw: [2, 6] },
      expected: { L: [[2, 4], [4, 6]] },
    },
  ],
  spectralApply: [
    {
      name: "U diag(10, 20) Uᵀ for the eigenvectors of [[2,1],[1,2]]",
      model: graphModel("spectral-apply", (b) => ({
        Y: b.op("spectralApply", [b.input("X", [2, 2], { structure: "symmetric" }), b.input("w", [2]), b.input("U", [2, 2]), b.input("gw", [2]), b.input("dgw", [2])]),
      })),
      inputs: { X: [[2, 1], [1, 2]], w: [1, 3], U: [[S, S], [-S, S]], gw: [10, 20], dgw: [0, 0] },
      // 10·½[[1,−1],[−1,1]] + 20·½[[1,1],[1,1]].
      expected: { Y: [[15, 5], [5, 15]] },
    },
  ],
  projectorGap: [
    {
      name: "w = [1, 2, 4]: k = 1 couples λ = 4 with the rest, k = 2 couples {2, 4} with 1",
      model: graphModel("projector-gap", (b) => {
        const w = b.input("w", [3]);
        return { k1: b.op("projectorGap", [w], { k: 1 }), k2: b.op("projectorGap", [w], { k: 2 }) };
      }),
      inputs: { w: [1, 2, 4] },
      expected: {
        k1: [[0, 0, 1 / 3], [0, 0, 1 / 2], [1 / 3, 1 / 2, 0]],
        k2: [[0, 1, 1 / 3], [1, 0, 0], [1 / 3, 0, 0]],
      },
    },
  ],
  conv2dGradInput: [
    {
      name: "g = [[1,0],[0,1]] places w at (0,0) and at (1,1)",
      model: graphModel("conv-grad-input", (b) => ({
        dx: b.op("conv2dGradInput", [b.input("g", [1, 1, 2, 2]), b.input("w", [1, 1, 2, 2])], { stride: [1, 1], padding: [0, 0], inputSize: [3, 3] }),
      })),
      inputs: { g: [[[[1, 0], [0, 1]]]], w: [[[[1, 2], [3, 4]]]] },
      expected: { dx: [[[[1, 2, 0], [3, 5, 2], [0, 3, 4]]]] },
    },
  ],
  conv2dGradWeight: [
    {
      name: "w̄[p,q] = x[p,q] + x[p+1,q+1] for g = [[1,0],[0,1]] and x = 1..9",
      model: graphModel("conv-grad-weight", (b) => ({
        dw: b.op("conv2dGradWeight", [b.input("x", [1, 1, 3, 3]), b.input("g", [1, 1, 2, 2])], { stride: [1, 1], padding: [0, 0], kernel: [2, 2] }),
      })),
      inputs: { x: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], g: [[[[1, 0], [0, 1]]]] },
      expected: { dw: [[[[6, 8], [12, 14]]]] },
    },
  ],
  avgPool2dBackward: [
    {
      name: "each window's g spread as g/4 over its 2×2 block",
      model: graphModel("avg-pool-backward", (b) => ({
        dx: b.op("avgPool2dBackward", [b.input("x", [1, 1, 4, 4]), b.input("g", [1, 1, 2, 2])], { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }),
      })),
      inputs: { x: [[[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]], g: [[[[4, 8], [12, 16]]]] },
      expected: { dx: [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]] },
    },
  ],
  maxPool2dBackward: [
    {
      name: "g goes to each window's (first) maximum",
      model: graphModel("max-pool-backward", (b) => ({
        dx: b.op("maxPool2dBackward", [b.input("x", [1, 1, 2, 4]), b.input("g", [1, 1, 1, 2])], { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }),
      })),
      // Window 0 [[1,5],[3,2]]: max 5 at (0,1). Window 1 [[7,7],[1,1]]: a tie, the first in row-major order wins.
      inputs: { x: [[[[1, 5, 7, 7], [3, 2, 1, 1]]]], g: [[[[10, 20]]]] },
      expected: { dx: [[[[0, 10, 20, 0], [0, 0, 0, 0]]]] },
    },
  ],
  spectralFn: [
    {
      name: "U diag(f(w)) Uᵀ from eigh([[5,4],[4,5]]) (eigenvalues 1 and 9): √ gives [[2,1],[1,2]], log gives ln 3·[[1,1],[1,1]]",
      model: graphModel("spectral-fn", (b) => {
        const x = b.input("X", [2, 2], { structure: "symmetric" });
        const [w, u] = b.ops("eigh", [x]);
        return { sqrt: b.op("spectralFn", [x, w, u], { fn: "sqrt" }), log: b.op("spectralFn", [x, w, u], { fn: "log" }) };
      }),
      inputs: { X: [[5, 4], [4, 5]] },
      // ½·f(9)·[[1,1],[1,1]] + ½·f(1)·[[1,−1],[−1,1]].
      expected: { sqrt: [[2, 1], [1, 2]], log: [[Math.log(3), Math.log(3)], [Math.log(3), Math.log(3)]] },
    },
  ],
  softmax: [
    {
      name: "uniform logits give 1/3; logits ln(1, 2, 5) give (1, 2, 5)/8",
      model: graphModel("softmax", (b) => ({ p: b.op("softmax", [b.input("z", [2, 3])]) })),
      inputs: { z: [[0, 0, 0], [0, Math.LN2, Math.log(5)]] },
      expected: { p: [[1 / 3, 1 / 3, 1 / 3], [1 / 8, 2 / 8, 5 / 8]] },
    },
  ],
  oneHot: [
    {
      name: "labels [2, 0, 1] with 3 classes",
      model: graphModel("one-hot", (b) => ({ y: b.op("oneHot", [b.input("labels", [3], { dtype: "i32" })], { classes: 3 }) })),
      inputs: { labels: [2, 0, 1] },
      expected: { y: [[0, 0, 1], [1, 0, 0], [0, 1, 0]] },
    },
  ],
};
