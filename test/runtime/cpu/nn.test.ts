import { describe, expect, it } from "vitest";
import { conv2d } from "../../../numeric/nn/conv.js";
import { avgPool2d, maxPool2d } from "../../../numeric/nn/pool.js";
import { softmaxCrossEntropy } from "../../../numeric/nn/softmax.js";
import { type NDArray, ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, randn, relErr } from "./helpers.js";

const x33 = arr([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]); // [1, 1, 3, 3]

/** Direct definition, independent loop order: y[n,o,i,j] = Σ x[n,c,i·s−p+a, j·s−p+b]·w[o,c,a,b]. */
function convRef(x: NDArray, w: NDArray, s: [number, number], p: [number, number]): NDArray {
  const [N, C, H, W] = x.shape;
  const [O, , kh, kw] = w.shape;
  const Ho = Math.floor((H + 2 * p[0] - kh) / s[0]) + 1;
  const Wo = Math.floor((W + 2 * p[1] - kw) / s[1]) + 1;
  const out = ndarray([N, O, Ho, Wo]);
  const at = (n: number, c: number, r: number, q: number) => (r < 0 || r >= H || q < 0 || q >= W ? 0 : x.data[((n * C + c) * H + r) * W + q]);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          let sum = 0;
          for (let c = 0; c < C; c++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) sum += at(n, c, i * s[0] - p[0] + a, j * s[1] - p[1] + b) * w.data[((o * C + c) * kh + a) * kw + b];
          out.data[((n * O + o) * Ho + i) * Wo + j] = sum;
        }
  return out;
}

describe("conv2d", () => {
  it("known values: w = [[1,0],[0,−1]] computes x[i,j] − x[i+1,j+1]", () => {
    const w = arr([[[[1, 0], [0, -1]]]]);
    // No padding, stride 1: 1−5, 2−6, 4−8, 5−9 = −4 everywhere.
    expectClose(conv2d(x33, w, [1, 1], [0, 0]), arr([[[[-4, -4], [-4, -4]]]]), 0);
    // Padding 1, stride 2: H' = floor((3+2−2)/2)+1 = 2; y[i,j] = x[2i−1, 2j−1] − x[2i, 2j] (zeros outside):
    // (0,0): 0 − 1, (0,1): 0 − 3, (1,0): 0 − 7, (1,1): 5 − 9.
    expectClose(conv2d(x33, w, [2, 2], [1, 1]), arr([[[[-1, -3], [-7, -4]]]]), 0);
  });

  it("known values: two input channels summed, two output filters", () => {
    // Channel 0 = x33, channel 1 = 10·x33; filter 0 = 1×1 weights (1, 1), filter 1 = (1, −0.1).
    const x = ndarray([1, 2, 3, 3], [...x33.data, ...x33.data.map((v) => 10 * v)]);
    const w = arr([[[[1]], [[1]]], [[[1]], [[-0.1]]]]); // [2, 2, 1, 1]
    const y = conv2d(x, w, [1, 1], [0, 0]);
    expectClose(y, ndarray([1, 2, 3, 3], [...x33.data.map((v) => 11 * v), ...new Array(9).fill(0)]), 1e-15);
  });

  it.each([
    [[1, 1], [0, 0]],
    [[2, 1], [1, 0]],
    [[2, 3], [2, 1]],
  ] as [[number, number], [number, number]][])("matches the direct definition (stride %j, padding %j)", (s, p) => {
    const x = randn([2, 3, 7, 6], 1);
    const w = randn([4, 3, 3, 2], 2);
    expect(relErr(conv2d(x, w, s, p), convRef(x, w, s, p))).toBeLessThan(1e-14);
  });

  it("throws RangeError on a channel mismatch or a window that does not fit", () => {
    expect(() => conv2d(randn([1, 2, 3, 3], 1), randn([1, 3, 1, 1], 2), [1, 1], [0, 0])).toThrow(RangeError);
    expect(() => conv2d(randn([1, 1, 2, 2], 1), randn([1, 1, 3, 3], 2), [1, 1], [0, 0])).toThrow(RangeError);
  });
});

describe("pooling", () => {
  it("known values: 2×2 windows, stride 2, on 1..16", () => {
    const x = ndarray([1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => i + 1));
    // Windows {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}.
    expectClose(avgPool2d(x, [2, 2], [2, 2], [0, 0]), arr([[[[3.5, 5.5], [11.5, 13.5]]]]), 0);
    expectClose(maxPool2d(x, [2, 2], [2, 2], [0, 0]), arr([[[[6, 8], [14, 16]]]]), 0);
  });

  it("known values: 3×3 windows, stride 2, padding 1 on a 3×3 input", () => {
    // H' = floor((3+2−3)/2)+1 = 2. Windows hold rows/cols {−1,0,1} or {1,2,3}; in range:
    // (0,0): 1+2+4+5 = 12, (0,1): 2+3+5+6 = 16, (1,0): 4+5+7+8 = 24, (1,1): 5+6+8+9 = 28;
    // count_include_pad divides by 9 everywhere.
    expectClose(avgPool2d(x33, [3, 3], [2, 2], [1, 1]), arr([[[[12 / 9, 16 / 9], [24 / 9, 28 / 9]]]]), 1e-15);
    expectClose(maxPool2d(x33, [3, 3], [2, 2], [1, 1]), arr([[[[5, 6], [8, 9]]]]), 0);
    // Max padding is −∞, not 0: on −x the maxima are −1, −2, −4, −5.
    const neg = ndarray(x33.shape, x33.data.map((v) => -v));
    expectClose(maxPool2d(neg, [3, 3], [2, 2], [1, 1]), arr([[[[-1, -2], [-4, -5]]]]), 0);
  });

  it("maps over N and C and supports rectangular windows", () => {
    const x = randn([2, 3, 5, 6], 4);
    const y = avgPool2d(x, [1, 2], [1, 2], [0, 0]);
    expect(y.shape).toEqual([2, 3, 5, 3]);
    for (let f = 0; f < y.data.length; f++) expect(Math.abs(y.data[f] - (x.data[2 * f] + x.data[2 * f + 1]) / 2)).toBeLessThan(1e-15);
  });

  it("rejects padding above half the kernel (PyTorch's rule)", () => {
    expect(() => maxPool2d(x33, [2, 2], [1, 1], [2, 2])).toThrow(RangeError);
  });
});

describe("softmaxCrossEntropy", () => {
  it("known values", () => {
    // Row 0: logits (0, 0), label 0 → −log(1/2) = log 2.
    // Row 1: logits (0, log 3), label 1 → softmax = 3/(1+3) → −log(3/4) = log(4/3).
    // Mean: (log 2 + log(4/3))/2 = log(8/3)/2.
    const loss = softmaxCrossEntropy(arr([[0, 0], [0, Math.log(3)]]), arr([0, 1]));
    expect(loss.shape).toEqual([]);
    expect(Math.abs(loss.data[0] - Math.log(8 / 3) / 2)).toBeLessThan(1e-15);
  });

  it("is stable for large logits (log-sum-exp)", () => {
    // −log softmax(1000, 0)[1] = 1000 + log(1 + e^−1000) = 1000 in f64; label 0 gives log(1 + e^−1000) ≈ e^−1000 → 0.
    expect(softmaxCrossEntropy(arr([[1000, 0]]), arr([1])).data[0]).toBe(1000);
    expect(softmaxCrossEntropy(arr([[1000, 0]]), arr([0])).data[0]).toBe(0);
    expect(softmaxCrossEntropy(arr([[-1000, -1000, -1000]]), arr([2])).data[0]).toBeCloseTo(Math.log(3), 14);
  });

  it("throws domain for a label out of range or not an integer", () => {
    const logits = arr([[0, 1, 2]]);
    expectNumericError(() => softmaxCrossEntropy(logits, arr([3])), "domain");
    expectNumericError(() => softmaxCrossEntropy(logits, arr([-1])), "domain");
    expectNumericError(() => softmaxCrossEntropy(logits, arr([0.5])), "domain");
    expectNumericError(() => softmaxCrossEntropy(logits, arr([NaN])), "domain");
    expect(() => softmaxCrossEntropy(logits, arr([0, 1]))).toThrow(RangeError);
  });
});
