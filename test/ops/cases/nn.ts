/**
 * Known values for the network ops (conv2d, pooling, softmax cross-entropy), the DSL composites
 * nn.linear and nn.relu, and batched matrix ops. These models live in test/models/ so that the
 * value test can also run them through `matprop run`.
 */
import { model, nn } from "../../../index.js";
import convPool from "../../models/conv-pool.js";
import classifier from "../../models/classifier.js";
import batchedSpectral from "../../models/batched-spectral.js";
import { F64, ROT3, spectral, type CaseTable, type OpCase } from "./types.js";

const grid = (h: number, w: number, f: (k: number) => number) => Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => f(i * w + j + 1)));
const nine = grid(3, 3, (k) => k); // [[1,2,3],[4,5,6],[7,8,9]]

const CONV_POOL: OpCase = {
  name: "conv2d (stride, padding, bias), avg/max pooling (padding; avg counts padded zeros, max pads with −∞)",
  model: convPool,
  cli: "test/models/conv-pool.ts",
  inputs: {
    x: [[nine, nine]],
    // Output 0 reads channel 0 through [[1,0],[0,−1]]; output 1 sums channel 1's 2×2 windows.
    w: [
      [[[1, 0], [0, -1]], [[0, 0], [0, 0]]],
      [[[0, 0], [0, 0]], [[1, 1], [1, 1]]],
    ],
    bias: [10, -10],
    p: [[grid(4, 4, (k) => k)]],
    q: [[grid(3, 3, (k) => -k)]],
  },
  expected: {
    // x[i,j] − x[i+1,j+1] = −4 everywhere; window sums 1+2+4+5 = 12, 16, 24, 28.
    y: [[[[-4, -4], [-4, -4]], [[12, 16], [24, 28]]]],
    // Padding 1, stride 2: windows start at −1 and 1. Output 0: x[2i−1, 2j−1] − x[2i, 2j] = [0−1, 0−3; 0−7, 5−9].
    // Output 1: the in-bounds parts of the windows: 1; 2+3; 4+7; 5+6+8+9.
    z: [[[[-1, -3], [-7, -4]], [[1, 5], [11, 28]]]],
    yb: [[[[6, 6], [6, 6]], [[2, 6], [14, 18]]]],
    // Means of the 2×2 blocks of 1..16: (1+2+5+6)/4, ...
    avg: [[[[3.5, 5.5], [11.5, 13.5]]]],
    // Padded zeros count in the divisor (4): −1/4, (−2−3)/4, (−4−7)/4, (−5−6−8−9)/4.
    avgPad: [[[[-0.25, -1.25], [-2.75, -7]]]],
    max: [[[[6, 8], [14, 16]]]],
    // Max over the in-bounds parts only (zeros would win otherwise).
    maxPad: [[[[-1, -2], [-4, -5]]]],
    // 3×3 neighbourhood max of 1..16 is x[min(i+1,3), min(j+1,3)].
    max3: [[[[6, 7, 8, 8], [10, 11, 12, 12], [14, 15, 16, 16], [14, 15, 16, 16]]]],
  },
};

// relu(x) = [[1,0,0],[0,2,3]]; logits = relu(x) Wᵀ + b = [[1, 0, −1], [0, 2, 3]].
const CLASSIFIER: OpCase = {
  name: "softmax cross-entropy of nn.linear(relu(x), W, b) against i32 labels",
  model: classifier,
  cli: "test/models/classifier.ts",
  inputs: { x: [[1, -2, 0], [-1, 2, 3]], labels: [0, 2], W: [[1, 0, 0], [0, 1, 0], [0, 0.5, 1]], b: [0, 0, -1] },
  expected: {
    logits: [[1, 0, -1], [0, 2, 3]],
    // mean of (log Σ e^z − z_label): row 0 log(e + 1 + 1/e) − 1, row 1 log(1 + e² + e³) − 3.
    loss: (Math.log(Math.E + 1 + 1 / Math.E) - 1 + Math.log(1 + Math.E ** 2 + Math.E ** 3) - 3) / 2,
  },
};

export const NN_CASES: CaseTable = {
  conv2d: [CONV_POOL],
  avgPool2d: [CONV_POOL],
  maxPool2d: [CONV_POOL],
  softmaxCrossEntropy: [
    CLASSIFIER,
    {
      name: "−log softmax by hand: uniform logits give ln 3; logits ln(1,2,5) give −ln(2/8)",
      model: model("softmax-ce", ({ input }) => ({ loss: nn.softmaxCrossEntropy(input("z", [2, 3], F64), input("y", [2], { dtype: "i32" })) })),
      inputs: { z: [[0, 0, 0], [0, Math.LN2, Math.log(5)]], y: [2, 1] },
      expected: { loss: (Math.log(3) + 2 * Math.LN2) / 2 },
    },
  ],
};

// Batch entry 1: diag(4, 1, e²), whose functions are diagonal too.
const E2 = Math.E ** 2;
const diag3 = (a: number, b: number, c: number) => [[a, 0, 0], [0, b, 0], [0, 0, c]];

/** DSL composites (no op of their own) and the batch-mapping rule, checked the same way. */
export const DSL_CASES: CaseTable = {
  "dsl:nn.linear": [
    CLASSIFIER,
    {
      name: "x Wᵀ + b, and a 1-D x without bias",
      model: model("linear", ({ input }) => {
        const W = input("W", [2, 3], F64);
        return { y: nn.linear(input("x", [2, 3], F64), W, input("b", [2], F64)), v: nn.linear(input("v", [3], F64), W) };
      }),
      inputs: { x: [[1, 2, 3], [4, 5, 6]], W: [[1, 0, -1], [0.5, 0.5, 0.5]], b: [10, -10], v: [1, 2, 3] },
      // x Wᵀ = [[1−3, 6/2], [4−6, 15/2]].
      expected: { y: [[8, -7], [8, -2.5]], v: [-2, 3] },
    },
  ],
  "dsl:nn.relu": [
    {
      name: "max(x, 0)",
      model: model("relu", ({ input }) => ({ y: nn.relu(input("x", [2, 2], F64)) })),
      inputs: { x: [[-1, 0], [2, -3]] },
      expected: { y: [[0, 0], [2, 0]] },
    },
  ],
  "dsl:batched-matrix-ops": [
    {
      name: "logm, sqrtm, inv, eigh and trace of a [2,3,3] batch equal the per-matrix closed forms",
      model: batchedSpectral,
      cli: "test/models/batched-spectral.ts",
      inputs: { X: [spectral([1, 4, 9], ROT3), diag3(4, 1, E2)] },
      expected: {
        logm: [spectral([0, 2 * Math.LN2, Math.log(9)], ROT3), diag3(2 * Math.LN2, 0, 2)],
        sqrtm: [spectral([1, 2, 3], ROT3), diag3(2, 1, Math.E)],
        inv: [spectral([1, 1 / 4, 1 / 9], ROT3), diag3(1 / 4, 1, 1 / E2)],
        w: [[1, 4, 9], [1, 4, E2]],
        tr: [14, 5 + E2],
      },
    },
  ],
};
