/** The conv2d WGSL kernels against the f64 CPU kernels (numeric/nn/conv.ts, numeric/nn/conv-grad.ts). */
import { describe, it } from "vitest";
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "../../../codegen/kernels/nn/conv.js";
import { conv2d } from "../../../numeric/nn/conv.js";
import { conv2dGradInput, conv2dGradWeight } from "../../../numeric/nn/conv-grad.js";
import { buffers, device, expectClose, nd, OUT, random, reportErrors, run } from "./gpu.js";

type Shape4 = [number, number, number, number];
type Pair = [number, number];

interface Case {
  readonly name: string;
  readonly x: Shape4;
  readonly w: Shape4;
  readonly stride: Pair;
  readonly padding: Pair;
}

const CASES: readonly Case[] = [
  { name: "3x3 same padding", x: [2, 3, 7, 6], w: [4, 3, 3, 3], stride: [1, 1], padding: [1, 1] },
  { name: "3x2 kernel, stride 2, padding 1", x: [2, 3, 8, 7], w: [5, 3, 3, 2], stride: [2, 2], padding: [1, 1] },
  // H' = 3 reads rows 0,1,3,4,6,7 of 9: row 8 (and column 7) never enter a window.
  { name: "ragged: stride 3x2 leaves the last row and column unread", x: [1, 2, 9, 8], w: [3, 2, 2, 3], stride: [3, 2], padding: [0, 0] },
  // H = 1 with a 3-row kernel: taps p = 0 and p = 2 only ever land in the padding.
  { name: "taps that only see padding", x: [2, 2, 1, 5], w: [3, 2, 3, 3], stride: [1, 2], padding: [1, 1] },
];

function outShape(c: Case): Shape4 {
  const [N, , H, W] = c.x;
  const [O, , kh, kw] = c.w;
  return [N, O, Math.floor((H + 2 * c.padding[0] - kh) / c.stride[0]) + 1, Math.floor((W + 2 * c.padding[1] - kw) / c.stride[1]) + 1];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

describe.skipIf(!device)("conv2d WGSL kernels vs the f64 CPU", () => {
  reportErrors("conv.test.ts");
  CASES.forEach((c, k) => {
    const x = random(size(c.x), 100 + k);
    const w = random(size(c.w), 200 + k);
    const yShape = outShape(c);
    const g = random(size(yShape), 300 + k);

    it(`forward: ${c.name}`, async () => {
      const [y] = await run(conv2dKernel(...buffers(c.x, c.w), OUT, c.stride, c.padding), [x, w], [size(yShape)]);
      expectClose(`conv2d ${c.name}`, y, conv2d(nd(c.x, x), nd(c.w, w), c.stride, c.padding).data);
    });

    it(`grad input: ${c.name}`, async () => {
      const [dx] = await run(conv2dGradInputKernel(...buffers(yShape, c.w), OUT, c.stride, c.padding, [c.x[2], c.x[3]]), [g, w], [size(c.x)]);
      expectClose(`conv2dGradInput ${c.name}`, dx, conv2dGradInput(nd(yShape, g), nd(c.w, w), c.stride, c.padding, [c.x[2], c.x[3]]).data);
    });

    it(`grad weight: ${c.name}`, async () => {
      const [dw] = await run(conv2dGradWeightKernel(...buffers(c.x, yShape), OUT, c.stride, c.padding, [c.w[2], c.w[3]]), [x, g], [size(c.w)]);
      expectClose(`conv2dGradWeight ${c.name}`, dw, conv2dGradWeight(nd(c.x, x), nd(yShape, g), c.stride, c.padding, [c.w[2], c.w[3]]).data);
    });

    it(`grad weight and bias in one kernel: ${c.name}`, async () => {
      const [dw, db] = await run(conv2dGradWeightKernel(...buffers(c.x, yShape), OUT, c.stride, c.padding, [c.w[2], c.w[3]], OUT + 1), [x, g], [size(c.w), yShape[1]]);
      expectClose(`conv2dGradWeight+bias ${c.name} weight`, dw, conv2dGradWeight(nd(c.x, x), nd(yShape, g), c.stride, c.padding, [c.w[2], c.w[3]]).data);
      const [N, O, HO, WO] = yShape;
      const want = Array.from({ length: O }, (_, o) => {
        let t = 0;
        for (let n = 0; n < N; n++) for (let k = 0; k < HO * WO; k++) t += g[(n * O + o) * HO * WO + k];
        return t;
      });
      expectClose(`conv2dGradWeight+bias ${c.name} bias`, db, want);
    });
  });
});

describe("conv2d kernel generators reject what the CPU rejects", () => {
  it("channel mismatch, a window that does not fit, a cotangent of the wrong shape", async () => {
    const { expect } = await import("vitest");
    expect(() => conv2dKernel(...buffers([1, 2, 5, 5], [1, 3, 3, 3]), OUT, [1, 1], [0, 0])).toThrow(/channels/);
    expect(() => conv2dKernel(...buffers([1, 2, 2, 2], [1, 2, 3, 3]), OUT, [1, 1], [0, 0])).toThrow(/does not fit/);
    expect(() => conv2dGradInputKernel(...buffers([1, 1, 4, 4], [1, 2, 3, 3]), OUT, [1, 1], [0, 0], [5, 5])).toThrow(/cotangent/);
    expect(() => conv2dKernel(...buffers([1, 2, 5, 5], [1, 2, 3, 3]), OUT, [0, 1], [0, 0])).toThrow(/stride/);
  });
});
