/** One-sided Jacobi SVD against the CPU f64 SVD: S, U and Vh entry by entry (same sign convention), and the reconstruction. */
import { describe, expect } from "vitest";
import { svdKernels, svdScratchLength } from "../../../codegen/kernels/linalg/svd.js";
import { svdMatrix } from "../../../numeric/linalg/svd.js";
import { f32, frob, gpuIt, matmul, payloads, random, relMaxErr, runKernels } from "./gpu.js";

const BATCH = 2;

async function check(m: number, n: number, storage = 16384, BATCH = 2) {
  const k = Math.min(m, n);
  const opts = { workgroupStorageBytes: storage };
  const a = f32(random(BATCH * m * n, 31 * m + n));
  const scratch = svdScratchLength(BATCH, m, n, opts);
  const lengths = [BATCH * m * k, BATCH * k, BATCH * k * n];
  const { outputs } = await runKernels(svdKernels(BATCH, m, n, opts), [a], scratch ? [...lengths, scratch] : lengths);
  const [u, s, vh] = outputs;
  for (let b = 0; b < BATCH; b++) {
    const A = Float64Array.from(a.subarray(b * m * n, (b + 1) * m * n));
    const ref = svdMatrix(A, m, n);
    const U = u.subarray(b * m * k, (b + 1) * m * k);
    const S = s.subarray(b * k, (b + 1) * k);
    const Vh = vh.subarray(b * k * n, (b + 1) * k * n);
    expect(relMaxErr(S, ref.s), `S ${m}x${n}`).toBeLessThanOrEqual(1e-5);
    expect(relMaxErr(U, ref.u), `U ${m}x${n}`).toBeLessThanOrEqual(1e-4);
    expect(relMaxErr(Vh, ref.vh), `Vh ${m}x${n}`).toBeLessThanOrEqual(1e-4);
    const US = Float64Array.from(U, (v, i) => v * S[i % k]);
    expect(frob(matmul(US, Vh, m, k, n), A) / frob(A), `reconstruction ${m}x${n}`).toBeLessThanOrEqual(1e-5);
  }
}

describe("svd (one-sided Jacobi)", () => {
  for (const [m, n] of [[6, 6], [8, 5], [3, 7], [7, 1], [1, 4], [5, 8]] as const) {
    gpuIt(`${m}x${n} in workgroup memory`, () => check(m, n));
  }
  gpuIt("several small matrices per workgroup, the last workgroup part empty: 19 matrices of 8x5, 3x7 and 9x2", async () => {
    for (const [m, n] of [[8, 5], [3, 7], [9, 2]] as const) {
      const [k] = svdKernels(19, m, n);
      expect([k.workgroupSize[0], k.dispatch[0]], `${m}x${n}: 16 matrices of 2 invocations per workgroup`).toEqual([32, 2]);
      await check(m, n, 16384, 19);
    }
  });
  gpuIt("8x5 and 3x7 through global memory", async () => {
    expect(svdScratchLength(BATCH, 8, 5, { workgroupStorageBytes: 64 })).toBe(BATCH * (8 * 5 + 25));
    await check(8, 5, 64);
    await check(3, 7, 64);
  });
  gpuIt("a solver stopped at its sweep cap reports no-convergence with the matrix's batch index", async () => {
    const [m, n] = [8, 5];
    const a = f32(random(BATCH * m * n, 5));
    const { status } = await runKernels(svdKernels(BATCH, m, n, { maxSweeps: 1 }), [a], [BATCH * m * n, BATCH * n, BATCH * n * n], { failures: "expected" });
    expect(payloads(status[0])).toEqual([0]);
  });
  gpuIt("with `rank`, a rank-deficient matrix is reported (rangeProjector) and a full-rank one is not", async () => {
    const [m, n] = [9, 3];
    const a = f32(random(BATCH * m * n, 6));
    for (let i = 0; i < m; i++) a[m * n + i * n + 2] = a[m * n + i * n] - 0.5 * a[m * n + i * n + 1]; // matrix 1: column 2 = c0 − c1/2
    const kernels = svdKernels(BATCH, m, n, { rank: true, op: "rangeProjector" });
    expect(kernels[0].checks!.map((c) => c.message.split(":")[0])).toEqual(["rangeProjector failed", "rangeProjector failed"]);
    const { status } = await runKernels(kernels, [a], [BATCH * m * n, BATCH * n, BATCH * n * n], { failures: "expected" });
    expect(payloads(status[0])).toEqual([undefined, 1]);
  });
});
