/**
 * Softmax, softmax cross-entropy and one-hot WGSL kernels against the f64 CPU kernels
 * (runtime/cpu/backward/softmax.ts, runtime/cpu/kernels/softmax.ts, runtime/cpu/backward/one-hot.ts).
 */
import { describe, expect, it } from "vitest";
import { oneHotKernel, softmaxCrossEntropyKernel, softmaxKernel } from "../../../codegen/kernels/nn/softmax.js";
import { softmax } from "../../../runtime/cpu/backward/softmax.js";
import { softmaxCrossEntropy } from "../../../runtime/cpu/kernels/softmax.js";
import { oneHot } from "../../../runtime/cpu/backward/one-hot.js";
import { device, expectClose, nd, random, reportErrors, run } from "./gpu.js";

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
    const [y] = await run(softmaxKernel(rows, cols), [x], [rows * cols]);
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
    const [loss] = await run(softmaxCrossEntropyKernel(batch, classes), [z, lab], [1]);
    expectClose(`softmaxCrossEntropy ${name}`, loss, softmaxCrossEntropy(nd([batch, classes], z), nd([batch], lab)).data, 1e-5, 1e-3);
  });

  it("softmaxCrossEntropy: a label that is not a class index gives NaN, not a number", async () => {
    const z = random(4 * 3, 900);
    for (const bad of [3, -1, 1.5]) {
      const [loss] = await run(softmaxCrossEntropyKernel(4, 3), [z, Float32Array.of(0, 2, bad, 1)], [1]);
      expect(loss[0], `label ${bad}`).toBeNaN();
    }
  });

  it.each([
    [9, 4],
    [5, 1],
    [300, 7],
  ])("oneHot: %i labels of %i classes", async (count, classes) => {
    const lab = labels(count, classes, 1000 + count);
    const [y] = await run(oneHotKernel(count, classes), [lab], [count * classes]);
    expect(Array.from(y)).toEqual(Array.from(oneHot(nd([count], lab), classes).data));
  });

  it("oneHot: an invalid label's row is NaN, the others are exact", async () => {
    const [y] = await run(oneHotKernel(3, 3), [Float32Array.of(2, 7, 0)], [9]);
    expect(Array.from(y.subarray(0, 3))).toEqual([0, 0, 1]);
    expect(Array.from(y.subarray(3, 6)).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.subarray(6))).toEqual([1, 0, 0]);
  });

  // 66 000 labels × 64 classes = 66 000 workgroups of 64: past 65 535, so the grid is 2-D.
  it("oneHot on a 2-D dispatch grid", async () => {
    const count = 66_000;
    const classes = 64;
    const k = oneHotKernel(count, classes);
    expect(k.dispatch[1]).toBe(2);
    const lab = labels(count, classes, 1100);
    const [y] = await run(k, [lab], [count * classes]);
    let wrong = 0;
    for (let b = 0; b < count; b++) for (let c = 0; c < classes; c++) if (y[b * classes + c] !== (lab[b] === c ? 1 : 0)) wrong++;
    expect(wrong).toBe(0);
  });

  // 70 000 rows: one workgroup per row, so the grid is 2-D and 65 535 · 2 − 70 000 workgroups idle.
  it("softmax on a 2-D dispatch grid", async () => {
    const rows = 70_000;
    const k = softmaxKernel(rows, 2);
    expect(k.dispatch[1]).toBe(2);
    const x = random(rows * 2, 1200, -3, 3);
    const [y] = await run(k, [x], [rows * 2]);
    expectClose("softmax 2-D grid", y, softmax(nd([rows, 2], x)).data);
  });
});

describe("softmax kernel generators reject empty sizes", () => {
  it("zero rows, classes or batch", () => {
    expect(() => softmaxKernel(0, 3)).toThrow(/rows/);
    expect(() => softmaxCrossEntropyKernel(3, 0)).toThrow(/classes/);
    expect(() => oneHotKernel(1.5, 3)).toThrow(/count/);
  });
});
