/**
 * Softmax and softmax cross-entropy WGSL kernels against the f64 CPU kernels
 * (numeric/nn/softmax-grad.ts, numeric/nn/softmax.ts).
 */
import { describe, expect, it } from "vitest";
import { softmaxCrossEntropyKernel, softmaxKernel } from "../../../codegen/kernels/nn/softmax.js";
import { softmax } from "../../../numeric/nn/softmax-grad.js";
import { softmaxCrossEntropy } from "../../../numeric/nn/softmax.js";
import { buffers, device, expectClose, nd, OUT, random, reportErrors, run } from "./gpu.js";

/** Labels in [0, classes), as f32 integers. */
function labels(count: number, classes: number, seed: number): Float32Array {
  return random(count, seed, 0, classes).map(Math.floor);
}

describe.skipIf(!device)("softmax-family WGSL kernels vs the f64 CPU", () => {
  reportErrors("softmax.test.ts");

  // cols > 256 makes each invocation stride over several columns; the +80 offset would overflow
  // exp in f32 without the max subtracted.
  const SOFTMAX: readonly [string, number, number, number][] = [
    ["5 rows of 10", 5, 10, 0],
    ["3 rows of 300, offset 80", 3, 300, 80],
    ["one column", 4, 1, 0],
    ["wide logits (scale 30)", 6, 33, 0],
  ];
  it.each(SOFTMAX)("softmax: %s", async (name, rows, cols, offset) => {
    const scale = name.includes("scale") ? 30 : 4;
    const x = random(rows * cols, 600 + cols, offset - scale, offset + scale);
    const [y] = await run(softmaxKernel(...buffers([rows, cols]), OUT), [x], [rows * cols]);
    expectClose(`softmax ${name}`, y, softmax(nd([rows, cols], x)).data);
  });

  // batch > 256 makes invocations take several rows each; one class makes every loss 0.
  const CROSS_ENTROPY: readonly [string, number, number, number][] = [
    ["batch 7 of 10 classes", 7, 10, 0],
    ["batch 300 of 5 classes, offset 100", 300, 5, 100],
    ["batch 2 of 1 class", 2, 1, 0],
    ["batch 33 of 257 classes", 33, 257, -20],
  ];
  it.each(CROSS_ENTROPY)("softmaxCrossEntropy: %s", async (name, batch, classes, offset) => {
    const z = random(batch * classes, 700 + classes, offset - 5, offset + 5);
    const lab = labels(batch, classes, 800 + batch);
    const [loss] = await run(softmaxCrossEntropyKernel(...buffers([batch, classes], [batch]), OUT), [z, lab], [1]);
    expectClose(`softmaxCrossEntropy ${name}`, loss, softmaxCrossEntropy(nd([batch, classes], z), nd([batch], lab)).data, 1e-5, 1e-3);
  });

  it.each(CROSS_ENTROPY)("softmaxCrossEntropy writing the softmax too: %s", async (name, batch, classes, offset) => {
    const z = random(batch * classes, 700 + classes, offset - 5, offset + 5);
    const lab = labels(batch, classes, 800 + batch);
    const [loss, p] = await run(softmaxCrossEntropyKernel(...buffers([batch, classes], [batch]), OUT, OUT + 1), [z, lab], [1, batch * classes]);
    expectClose(`softmaxCrossEntropy+softmax ${name} loss`, loss, softmaxCrossEntropy(nd([batch, classes], z), nd([batch], lab)).data, 1e-5, 1e-3);
    expectClose(`softmaxCrossEntropy+softmax ${name} softmax`, p, softmax(nd([batch, classes], z)).data);
  });

  it("softmaxCrossEntropy: a label that is not a class index gives NaN, not a number", async () => {
    const z = random(4 * 3, 900);
    for (const bad of [3, -1, 1.5]) {
      const [loss] = await run(softmaxCrossEntropyKernel(...buffers([4, 3], [4]), OUT), [z, Float32Array.of(0, 2, bad, 1)], [1]);
      expect(loss[0], `label ${bad}`).toBeNaN();
    }
  });

  // 70 000 rows: one workgroup per row, so the grid is 2-D and 65 535 · 2 − 70 000 workgroups idle.
  it("softmax on a 2-D dispatch grid", async () => {
    const rows = 70_000;
    const k = softmaxKernel(...buffers([rows, 2]), OUT);
    expect(k.kernel.dispatch[1]).toBe(2);
    const x = random(rows * 2, 1200, -3, 3);
    const [y] = await run(k, [x], [rows * 2]);
    expectClose("softmax 2-D grid", y, softmax(nd([rows, 2], x)).data);
  });
});

describe("softmax kernel generators reject empty sizes", () => {
  it("zero rows, classes or batch", () => {
    expect(() => softmaxKernel(...buffers([0, 3]), OUT)).toThrow(/rows/);
    expect(() => softmaxCrossEntropyKernel(...buffers([3, 0], [3]), OUT)).toThrow(/classes/);
  });
});
