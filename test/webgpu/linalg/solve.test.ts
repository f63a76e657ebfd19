/** Solve and inverse (Gaussian elimination, partial pivoting) against the CPU f64 LU; singular A gives NaN. */
import { describe, expect } from "vitest";
import { invKernel, solveKernel, solveScratchLength } from "../../../compiler/codegen/kernels/linalg/solve.js";
import { ndarray } from "../../../runtime/cpu/ndarray.js";
import { inv, solve } from "../../../runtime/cpu/kernels/solve.js";
import { f32, gpuIt, random, relMaxErr, runKernels } from "./gpu.js";

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
  gpuIt("a singular matrix gives NaN; its batch neighbour is unaffected", async () => {
    const n = 4;
    const a = f32(random(BATCH * n * n, 3));
    for (let j = 0; j < n; j++) a[3 * n + j] = 2 * a[1 * n + j]; // row 3 = 2·row 1 in matrix 0
    const [x] = (await runKernels([invKernel(BATCH, n)], [a], [BATCH * n * n])).outputs;
    expect(Array.from(x.subarray(0, n * n)).every(Number.isNaN)).toBe(true);
    expect(relMaxErr(x.subarray(n * n), inv(ndarray([1, n, n], Float64Array.from(a.subarray(n * n)))).data)).toBeLessThanOrEqual(1e-4);
  });
});
