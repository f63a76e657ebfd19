/** Cholesky against the CPU f64 factor; a matrix that is not SPD, or not symmetric, sets the kernel's status word. */
import { describe, expect } from "vitest";
import { choleskyKernel } from "../../../codegen/kernels/linalg/cholesky.js";
import { choleskyMatrix } from "../../../numeric/linalg/cholesky.js";
import { f32, gpuIt, matmul, payloads, random, relMaxErr, runKernels, transpose } from "./gpu.js";

function spd(n: number, seed: number): Float64Array {
  const g = random(n * n, seed);
  const a = matmul(g, transpose(g, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
  return Float64Array.from(f32(a));
}

describe("cholesky", () => {
  for (const [n, storage] of [[1, 16384], [5, 16384], [8, 16384], [8, 64]] as const) {
    gpuIt(`n=${n} ${storage < 4 * n * n ? "in the output buffer" : "in workgroup memory"}`, async () => {
      const mats = [spd(n, n), spd(n, n + 1)];
      const a = new Float32Array(2 * n * n);
      mats.forEach((m, b) => a.set(m, b * n * n));
      const k = choleskyKernel(2, n, { workgroupStorageBytes: storage });
      const [l] = (await runKernels([k], [a], [2 * n * n])).outputs;
      mats.forEach((m, b) => expect(relMaxErr(l.subarray(b * n * n, (b + 1) * n * n), choleskyMatrix(m, n))).toBeLessThanOrEqual(1e-5));
    });
  }
  gpuIt("a matrix that is not positive definite sets word 1 with its batch index and gives NaN; its batch neighbour is unaffected", async () => {
    const n = 4;
    const good = spd(n, 9);
    const bad = Float64Array.from(good);
    bad[2 * n + 2] = -1;
    const a = new Float32Array(2 * n * n);
    a.set(good, 0);
    a.set(bad, n * n);
    const { outputs, status } = await runKernels([choleskyKernel(2, n)], [a], [2 * n * n], { failures: "expected" });
    const [l] = outputs;
    expect(payloads(status[0])).toEqual([undefined, 1]);
    expect(Array.from(l.subarray(n * n)).every(Number.isNaN)).toBe(true);
    expect(relMaxErr(l.subarray(0, n * n), choleskyMatrix(good, n))).toBeLessThanOrEqual(1e-5);
  });
  for (const [n, storage] of [[5, 16384], [9, 64]] as const) {
    gpuIt(`a matrix that is not symmetric sets word 0, n=${n} ${storage < 4 * n * n ? "in the output buffer" : "in workgroup memory"}`, async () => {
      const a = Float32Array.from(spd(n, 2));
      a[(n - 1) * n] += 0.01 * Math.abs(a[0]); // (n−1, 0) ≠ (0, n−1)
      const { status } = await runKernels([choleskyKernel(1, n, { workgroupStorageBytes: storage })], [a], [n * n], { failures: "expected" });
      expect(payloads(status[0])[0]).toBe(0);
    });
  }
  gpuIt("no failure at f32 round-off asymmetry (entries one ulp apart), nor for an SPD matrix scaled by 1e-20", async () => {
    const n = 6;
    const a = Float32Array.from(spd(n, 4));
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = Math.fround(a[j * n + i] * (1 + 2 ** -23));
    const tiny = Float32Array.from(spd(n, 5), (x) => x * 1e-20);
    await runKernels([choleskyKernel(2, n)], [Float32Array.from([...a, ...tiny])], [2 * n * n]);
  });
});
