/** Solve and inverse (Gaussian elimination, partial pivoting) against the CPU f64 LU; a singular A sets the kernel's status word. */
import { describe, expect } from "vitest";
import { invKernel, solveKernel, solveScratchLength } from "../../../codegen/kernels/linalg/solve.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { inv, solve } from "../../../numeric/linalg/solve.js";
import { f32, gpuIt, payloads, random, relMaxErr, runKernels } from "./gpu.js";

const BATCH = 2;

describe("solve / inv", () => {
  for (const [n, k, storage] of [[1, 1, 16384], [5, 3, 16384], [8, 8, 16384], [6, 2, 64]] as const) {
    const where = solveScratchLength(BATCH, n, k, { workgroupStorageBytes: storage }) ? "global memory" : "workgroup memory";
    gpuIt(`solve n=${n} k=${k} in ${where}`, async () => {
      const a = f32(random(BATCH * n * n, 5 * n + k));
      const b = f32(random(BATCH * n * k, 7 * n + k));
      const opts = { workgroupStorageBytes: storage };
      const scratch = solveScratchLength(BATCH, n, k, opts);
      const [x] = (await runKernels([solveKernel(BATCH, n, k, opts)], [a, b], scratch ? [BATCH * n * k, scratch] : [BATCH * n * k])).outputs;
      const want = solve(ndarray([BATCH, n, n], Float64Array.from(a)), ndarray([BATCH, n, k], Float64Array.from(b)));
      expect(relMaxErr(x, want.data)).toBeLessThanOrEqual(1e-4);
    });
    gpuIt(`inv n=${n} in ${where}`, async () => {
      const a = f32(random(BATCH * n * n, 11 * n));
      const opts = { workgroupStorageBytes: storage };
      const scratch = solveScratchLength(BATCH, n, n, opts);
      const [x] = (await runKernels([invKernel(BATCH, n, opts)], [a], scratch ? [BATCH * n * n, scratch] : [BATCH * n * n])).outputs;
      expect(relMaxErr(x, inv(ndarray([BATCH, n, n], Float64Array.from(a))).data)).toBeLessThanOrEqual(1e-4);
    });
  }
  for (const [name, kernel] of [["solve", (n: number) => solveKernel(BATCH, n, 2)], ["inv", (n: number) => invKernel(BATCH, n)]] as const) {
    gpuIt(`${name}: a singular matrix sets the status word with its batch index and gives NaN; its neighbour is unaffected`, async () => {
      const n = 4;
      const a = f32(random(BATCH * n * n, 3));
      const bad = BATCH - 1;
      for (let j = 0; j < n; j++) a[bad * n * n + 3 * n + j] = 2 * a[bad * n * n + 1 * n + j]; // row 3 = 2·row 1
      const k = kernel(n);
      const inputs = name === "solve" ? [a, f32(random(BATCH * n * 2, 4))] : [a];
      const { outputs, status } = await runKernels([k], inputs, [BATCH * n * (name === "solve" ? 2 : n)], { failures: "expected" });
      expect(payloads(status[0])).toEqual([bad]);
      expect(k.checks![0].message).toMatch(new RegExp(`^${name} failed: singular: ${name}: matrix \\{i\\} of the batch is singular`));
      const per = outputs[0].length / BATCH;
      expect(Array.from(outputs[0].subarray(bad * per)).every(Number.isNaN)).toBe(true);
      expect(Array.from(outputs[0].subarray(0, per)).every(Number.isFinite)).toBe(true);
    });
  }
  gpuIt("a tiny but well-conditioned matrix (scaled by 1e-30) is not singular: the pivot test is relative", async () => {
    const n = 5;
    const a = Float32Array.from(random(BATCH * n * n, 8), (x) => x * 1e-30);
    const [x] = (await runKernels([invKernel(BATCH, n)], [a], [BATCH * n * n])).outputs;
    expect(relMaxErr(x, inv(ndarray([BATCH, n, n], Float64Array.from(a))).data)).toBeLessThanOrEqual(1e-4);
  });
});
