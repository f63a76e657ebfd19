import { describe, expect, it } from "vitest";
import { tensorType } from "../../ir/types.js";
import { conv2d } from "../../numeric/nn/conv.js";
import { avgPool2d, maxPool2d } from "../../numeric/nn/pool.js";
import { ndarray } from "../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, randn } from "../runtime/cpu/helpers.js";
import { dot, infer, run } from "./helpers.js";

type Pair = [number, number];

/** |a − b| relative to the scale of the terms of the inner products. */
function expectSameProduct(a: number, b: number, scale: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * scale);
}

interface Geometry {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly k: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
}

const GEOMETRIES: readonly Geometry[] = [
  { name: "3×3, stride 1, no padding", x: [2, 3, 5, 5], k: [3, 3], stride: [1, 1], padding: [0, 0] },
  { name: "3×2, stride [2, 1], padding [1, 1]", x: [2, 3, 7, 6], k: [3, 2], stride: [2, 1], padding: [1, 1] },
  { name: "stride 3 leaves rows unread", x: [1, 2, 8, 7], k: [2, 2], stride: [3, 3], padding: [1, 0] },
  { name: "window = input", x: [3, 1, 4, 4], k: [4, 4], stride: [2, 2], padding: [0, 0] },
];

describe("conv2dGradInput / conv2dGradWeight", () => {
  for (const gm of GEOMETRIES) {
    it(`⟨conv2d(x, w), g⟩ = ⟨x, gradInput(g, w)⟩ = ⟨w, gradWeight(x, g)⟩: ${gm.name}`, () => {
      const O = 4;
      const x = randn(gm.x, 1);
      const w = randn([O, gm.x[1], ...gm.k], 2);
      const y = conv2d(x, w, gm.stride, gm.padding);
      const g = randn(y.shape, 3);
      const attrs = { stride: gm.stride, padding: gm.padding };
      const gx = run("conv2dGradInput", [g, w], { ...attrs, inputSize: [gm.x[2], gm.x[3]] });
      const gw = run("conv2dGradWeight", [x, g], { ...attrs, kernel: gm.k });
      expect(gx.shape).toEqual(x.shape);
      expect(gw.shape).toEqual(w.shape);
      const scale = y.data.length * gm.x[1] * gm.k[0] * gm.k[1] * 10;
      expectSameProduct(dot(y, g), dot(x, gx), scale);
      expectSameProduct(dot(y, g), dot(w, gw), scale);
    });
  }
  it("known values: a single output spreads the kernel; gradWeight sums windows", () => {
    const w = arr([[[[1, 2], [3, 4]]]]);
    expectClose(run("conv2dGradInput", [arr([[[[1]]]]), w], { stride: [1, 1], padding: [0, 0], inputSize: [2, 2] }), arr([[[[1, 2], [3, 4]]]]), 0);
    // Stride 2 on a 4×4 input: windows do not overlap; g = [[1, 10], [100, 1000]] scales each copy.
    const gx = run("conv2dGradInput", [arr([[[[1, 10], [100, 1000]]]]), w], { stride: [2, 2], padding: [0, 0], inputSize: [4, 4] });
    expectClose(gx, arr([[[[1, 2, 10, 20], [3, 4, 30, 40], [100, 200, 1000, 2000], [300, 400, 3000, 4000]]]]), 0);
    // Padding 1 on a 1×1 input: 2×2 outputs; output (i, j) meets x[0, 0] through w[1 − i, 1 − j].
    const gp = run("conv2dGradInput", [arr([[[[1, 2], [3, 4]]]]), w], { stride: [1, 1], padding: [1, 1], inputSize: [1, 1] });
    expectClose(gp, arr([[[[1 * 4 + 2 * 3 + 3 * 2 + 4 * 1]]]]), 0);
    const x33 = arr([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const gw = run("conv2dGradWeight", [x33, arr([[[[1, 1], [1, 1]]]])], { stride: [1, 1], padding: [0, 0], kernel: [2, 2] });
    expectClose(gw, arr([[[[12, 16], [24, 28]]]]), 0);
  });
  it("type rules check the cotangent against the forward geometry", () => {
    const g = tensorType("f64", ["N", 4, 3, 3]);
    const w = tensorType("f64", [4, 2, 3, 3]);
    expect(infer("conv2dGradInput", [g, w], { stride: [2, 2], padding: [1, 1], inputSize: [5, 6] })).toEqual(tensorType("f64", ["N", 2, 5, 6]));
    expect(() => infer("conv2dGradInput", [g, w], { stride: [1, 1], padding: [1, 1], inputSize: [5, 6] })).toThrow(/cotangent/);
    expect(() => infer("conv2dGradInput", [tensorType("f64", ["N", 5, 3, 3]), w], { stride: [2, 2], padding: [1, 1], inputSize: [5, 6] })).toThrow(/cotangent/);
    const x = tensorType("f32", ["N", 2, 5, 6]);
    expect(infer("conv2dGradWeight", [x, g], { stride: [2, 2], padding: [1, 1], kernel: [3, 3] })).toEqual(tensorType("f64", [4, 2, 3, 3]));
    expect(() => infer("conv2dGradWeight", [x, tensorType("f64", ["M", 4, 3, 3])], { stride: [2, 2], padding: [1, 1], kernel: [3, 3] })).toThrow(/cotangent/);
  });
});

describe("avgPool2dBackward / maxPool2dBackward", () => {
  const POOLS: readonly Geometry[] = [
    { name: "2×2 stride 2", x: [2, 3, 6, 6], k: [2, 2], stride: [2, 2], padding: [0, 0] },
    { name: "3×3 stride 1 padding 1 (overlapping, padded)", x: [1, 2, 5, 4], k: [3, 3], stride: [1, 1], padding: [1, 1] },
    { name: "3×2 stride [2, 3] padding [1, 0], ragged", x: [2, 1, 7, 8], k: [3, 2], stride: [2, 3], padding: [1, 0] },
  ];
  for (const gm of POOLS) {
    const attrs = { kernel: gm.k, stride: gm.stride, padding: gm.padding };
    it(`⟨avgPool2d(x), g⟩ = ⟨x, avgPool2dBackward(x, g)⟩: ${gm.name}`, () => {
      const x = randn(gm.x, 4);
      const y = avgPool2d(x, gm.k, gm.stride, gm.padding);
      const g = randn(y.shape, 5);
      const gx = run("avgPool2dBackward", [x, g], attrs);
      expect(gx.shape).toEqual(x.shape);
      expectSameProduct(dot(y, g), dot(x, gx), y.data.length * 10);
    });
    it(`maxPool2dBackward is the transpose of the local Jacobian and ⟨maxPool2d(x), g⟩ = ⟨x, x̄⟩: ${gm.name}`, () => {
      const x = randn(gm.x, 6);
      const y = maxPool2d(x, gm.k, gm.stride, gm.padding);
      const g = randn(y.shape, 7);
      const gx = run("maxPool2dBackward", [x, g], attrs);
      // Max pooling is positively homogeneous and picks one input per window: y·g = x·x̄ exactly.
      expectSameProduct(dot(y, g), dot(x, gx), y.data.length * 10);
      // Directional derivative along a random dx (no argmax changes for a small step).
      const dx = randn(gm.x, 8);
      const t = 1e-7;
      const step = (s: number) => maxPool2d(ndarray(x.shape, x.data.map((v, i) => v + s * dx.data[i])), gm.k, gm.stride, gm.padding);
      const [yp, ym] = [step(t), step(-t)];
      const jvp = ndarray(y.shape, yp.data.map((v, i) => (v - ym.data[i]) / (2 * t)));
      expect(Math.abs(dot(jvp, g) - dot(dx, gx))).toBeLessThan(1e-7 * y.data.length);
    });
  }
  it("known values: avg spreads g/(kh·kw) even next to padding", () => {
    const x = ndarray([1, 1, 2, 2]);
    // 2×2 kernel, stride 1, padding 1 on a 2×2 input: 3×3 windows, each real position in 4 of them.
    const g = arr([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const gx = run("avgPool2dBackward", [x, g], { kernel: [2, 2], stride: [1, 1], padding: [1, 1] });
    expectClose(gx, arr([[[[(1 + 2 + 4 + 5) / 4, (2 + 3 + 5 + 6) / 4], [(4 + 5 + 7 + 8) / 4, (5 + 6 + 8 + 9) / 4]]]]), 1e-15);
  });
  it("known values: max routes to the first maximum in row-major window order, as the forward picks", () => {
    const attrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
    const x = arr([[[[1, 5, 0, 0], [5, 2, 0, 0]]]]);
    const gx = run("maxPool2dBackward", [x, arr([[[[10, 20]]]])], attrs);
    // Window 0: 5 at (0,1) and (1,0) tie → (0,1). Window 1: all equal → (0,2).
    expectClose(gx, arr([[[[0, 10, 20, 0], [0, 0, 0, 0]]]]), 0);
    // Overlapping windows accumulate: 3×3 input, 2×2 kernel, stride 1, the centre is every window's max.
    const c = arr([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]]);
    const gc = run("maxPool2dBackward", [c, arr([[[[1, 2], [3, 4]]]])], { kernel: [2, 2], stride: [1, 1], padding: [0, 0] });
    expectClose(gc, arr([[[[0, 0, 0], [0, 10, 0], [0, 0, 0]]]]), 0);
    // Padding is never the maximum, even when every real entry is negative.
    const neg = arr([[[[-3, -1], [-2, -4]]]]);
    const ones = arr([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]);
    const gn = run("maxPool2dBackward", [neg, ones], { kernel: [2, 2], stride: [1, 1], padding: [1, 1] });
    // The 3×3 windows hold {−3}, {−3, −1}, {−1}, {−3, −2}, {all}, {−1, −4}, {−2}, {−2, −4}, {−4}.
    expectClose(gn, arr([[[[1, 4], [3, 1]]]]), 0);
  });
  it("type rules check g against the pool of x", () => {
    const x = tensorType("f64", ["N", 3, 6, 6]);
    const attrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
    expect(infer("maxPool2dBackward", [x, tensorType("f64", ["N", 3, 3, 3])], attrs)).toEqual(x);
    expect(() => infer("avgPool2dBackward", [x, tensorType("f64", ["N", 3, 2, 3])], attrs)).toThrow(/cotangent/);
    expect(() => infer("avgPool2dBackward", [x, tensorType("f64", ["N", 3, 3, 3])], { ...attrs, padding: [2, 0] })).toThrow(/half the kernel/);
  });
});

describe("softmax", () => {
  it("known values, batched over leading dims", () => {
    const e = Math.E;
    const z = 1 + e + e * e;
    expectClose(run("softmax", [arr([[[0, 1, 2]], [[5, 5, 5]]])]), arr([[[1 / z, e / z, (e * e) / z]], [[1 / 3, 1 / 3, 1 / 3]]]), 1e-15);
  });
  it("is stable for large logits and sums to 1", () => {
    const y = run("softmax", [arr([[1000, 1000 + Math.log(3)], [-1e4, 0]])]);
    // 1000 + log 3 is itself rounded (to ~1e-13): compare at that accuracy.
    expectClose(y, arr([[0.25, 0.75], [0, 1]]), 1e-12);
    expectNumericError(() => run("softmax", [arr([[-Infinity, -Infinity]])]), "non-finite");
    expect(() => infer("softmax", [tensorType("i32", [3])])).toThrow(/float/);
  });
});

describe("oneHot", () => {
  it("puts a 1 at each label, f32", () => {
    expectClose(run("oneHot", [arr([2, 0, 1, 2])], { classes: 3 }), arr([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]), 0);
    expect(infer("oneHot", [tensorType("i32", ["B"])], { classes: 10 })).toEqual(tensorType("f32", ["B", 10]));
  });
  it("refuses labels out of range and non-i32 labels", () => {
    expectNumericError(() => run("oneHot", [arr([0, 3])], { classes: 3 }), "domain");
    expectNumericError(() => run("oneHot", [arr([-1])], { classes: 3 }), "domain");
    expectNumericError(() => run("oneHot", [arr([0.5])], { classes: 3 }), "domain");
    expect(() => infer("oneHot", [tensorType("f32", [2])], { classes: 3 })).toThrow(/i32/);
    expect(() => infer("oneHot", [tensorType("i32", [2])], { classes: 0 })).toThrow(/'classes'/);
  });
});

