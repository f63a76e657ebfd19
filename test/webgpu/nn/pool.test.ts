/** The pooling WGSL kernels against the f64 CPU kernels (numeric/nn/pool.ts, numeric/nn/pool-grad.ts). */
import { describe, expect, it } from "vitest";
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from "../../../codegen/kernels/nn/pool.js";
import { avgPool2d, maxPool2d } from "../../../numeric/nn/pool.js";
import { avgPool2dBackward, maxPool2dBackward } from "../../../numeric/nn/pool-grad.js";
import { buffers, device, expectClose, nd, OUT, random, reportErrors, run } from "./gpu.js";

type Shape4 = [number, number, number, number];
type Pair = [number, number];

interface Case {
  readonly name: string;
  readonly x: Shape4;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  /** The input values; random in [−1, 1) (no ties) unless given. */
  readonly values?: (n: number, seed: number) => Float32Array;
}

const CASES: readonly Case[] = [
  { name: "2x2 stride 2, odd width", x: [2, 3, 6, 7], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
  { name: "3x3 stride 2 padding 1", x: [1, 2, 7, 7], kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
  { name: "3x2 kernel, stride 1x2, padding 1", x: [2, 2, 5, 8], kernel: [3, 2], stride: [1, 2], padding: [1, 1] },
  // H' = 3 reads rows 0,1,3,4,6,7 of 9: rows 2, 5 and 8 get no gradient.
  { name: "ragged: stride 3 leaves rows unread", x: [1, 1, 9, 7], kernel: [2, 3], stride: [3, 3], padding: [0, 1] },
  { name: "overlapping 3x3 windows, stride 1", x: [1, 2, 5, 5], kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
  // All negative: a padded zero would win if padding were 0 instead of −∞.
  { name: "all negative with padding", x: [1, 2, 5, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1], values: (n, s) => random(n, s, -3, -1) },
  // Ties everywhere: values in {0, 1, 2}, and a constant plane: the first maximum in row-major order wins.
  { name: "ties (values in {0, 1, 2})", x: [2, 2, 6, 6], kernel: [3, 3], stride: [1, 1], padding: [1, 1], values: (n, s) => random(n, s, 0, 3).map(Math.floor) },
  { name: "ties, stride 2 (constant input)", x: [1, 1, 5, 5], kernel: [2, 3], stride: [2, 2], padding: [1, 1], values: (n) => new Float32Array(n).fill(0.5) },
];

function outShape(c: Case): Shape4 {
  const [N, C, H, W] = c.x;
  return [N, C, Math.floor((H + 2 * c.padding[0] - c.kernel[0]) / c.stride[0]) + 1, Math.floor((W + 2 * c.padding[1] - c.kernel[1]) / c.stride[1]) + 1];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

describe.skipIf(!device)("pooling WGSL kernels vs the f64 CPU", () => {
  reportErrors("pool.test.ts");
  CASES.forEach((c, k) => {
    const x = (c.values ?? ((n, s) => random(n, s)))(size(c.x), 400 + k);
    const yShape = outShape(c);
    const g = random(size(yShape), 500 + k);
    const args = [c.kernel, c.stride, c.padding] as const;

    it(`avg forward and backward: ${c.name}`, async () => {
      const [y] = await run(avgPool2dKernel(...buffers(c.x), OUT, ...args), [x], [size(yShape)]);
      expectClose(`avgPool2d ${c.name}`, y, avgPool2d(nd(c.x, x), ...args).data);
      const [dx] = await run(avgPool2dBackwardKernel(c.x, ...buffers(yShape), OUT, ...args), [g], [size(c.x)]);
      expectClose(`avgPool2dBackward ${c.name}`, dx, avgPool2dBackward(nd(c.x, x), nd(yShape, g), ...args).data);
    });

    // Max picks an element, so the forward is exact; the backward is exact too unless two windows
    // route to the same element, when their g's are summed in f32.
    it(`max forward and backward: ${c.name}`, async () => {
      const [y] = await run(maxPool2dKernel(...buffers(c.x), OUT, ...args), [x], [size(yShape)]);
      expect(Array.from(y)).toEqual(Array.from(maxPool2d(nd(c.x, x), ...args).data));
      const [dx] = await run(maxPool2dBackwardKernel(...buffers(c.x, yShape), OUT, ...args), [x, g], [size(c.x)]);
      const want = maxPool2dBackward(nd(c.x, x), nd(yShape, g), ...args).data;
      // Routing: the same elements receive gradient on both sides.
      expect(Array.from(dx, (v) => v !== 0)).toEqual(Array.from(want, (v) => v !== 0));
      expectClose(`maxPool2dBackward ${c.name}`, dx, want);
    });
  });
});

describe.skipIf(!device)("a one-invocation-per-element kernel past 65 535 workgroups", () => {
  // 2100 × 2000 elements at 64 per workgroup: 65 625 workgroups, so the grid folds into 2-D.
  it("avgPool2d 1×1 over 4.2 million elements", async () => {
    const shape = [1, 1, 2100, 2000] as const;
    const k = avgPool2dKernel(...buffers(shape), OUT, [1, 1], [1, 1], [0, 0]);
    expect(k.kernel.dispatch[1]).toBe(2);
    const x = random(size(shape), 1300);
    const [y] = await run(k, [x], [size(shape)]);
    let wrong = 0;
    for (let i = 0; i < y.length; i++) if (y[i] !== x[i]) wrong++;
    expect(wrong).toBe(0);
  });
});

describe("pooling kernel generators reject what the CPU rejects", () => {
  it("padding over half the kernel, a window that does not fit, a cotangent of the wrong shape", () => {
    expect(() => maxPool2dKernel(...buffers([1, 1, 5, 5]), OUT, [2, 2], [1, 1], [2, 0])).toThrow(/half the kernel/);
    expect(() => avgPool2dKernel(...buffers([1, 1, 2, 2]), OUT, [3, 3], [1, 1], [0, 0])).toThrow(/does not fit/);
    expect(() => maxPool2dBackwardKernel(...buffers([1, 1, 4, 4], [1, 1, 3, 3]), OUT, [2, 2], [2, 2], [0, 0])).toThrow(/cotangent/);
  });
});
