/**
 * The batched Jacobi eigensolver against the CPU f64 eigh: residual ‖AU − UΛ‖_F/‖A‖_F and
 * orthogonality ‖UᵀU − I‖_F in f64 from the f32 results, eigenvalues against the CPU, and U column
 * by column where the eigenvalues are well separated (the sign convention must match).
 */
import { afterAll, describe, expect } from "vitest";
import { eighKernels, eighScratchLength } from "../../../codegen/kernels/linalg/eigh.js";
import { eighMatrix } from "../../../numeric/linalg/eigh.js";
import { adapterInfo, f32, frob, gpuIt, matmul, payloads, random, runKernels, transpose } from "./gpu.js";

const BATCH = 4;

/** Random SPD: GGᵀ/n + 0.1·I, rounded to f32 and exactly symmetric. */
function randomSpd(n: number, seed: number): Float64Array {
  const g = random(n * n, seed);
  const a = matmul(g, transpose(g, n, n), n, n, n);
  for (let i = 0; i < n * n; i++) a[i] /= n;
  for (let i = 0; i < n; i++) a[i * n + i] += 0.1;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
  return Float64Array.from(f32(a));
}

/** Q diag(λ) Qᵀ with Q a random orthogonal matrix (Gram–Schmidt in f64) and the given spectrum. */
function withSpectrum(lambda: readonly number[], seed: number): Float64Array {
  const n = lambda.length;
  const q = random(n * n, seed);
  for (let c = 0; c < n; c++) {
    for (let p = 0; p < c; p++) {
      let d = 0;
      for (let r = 0; r < n; r++) d += q[r * n + c] * q[r * n + p];
      for (let r = 0; r < n; r++) q[r * n + c] -= d * q[r * n + p];
    }
    let s = 0;
    for (let r = 0; r < n; r++) s += q[r * n + c] ** 2;
    for (let r = 0; r < n; r++) q[r * n + c] /= Math.sqrt(s);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += q[i * n + c] * lambda[c] * q[j * n + c];
    a[i * n + j] = a[j * n + i] = s;
  }
  return Float64Array.from(f32(a));
}

const timings: string[] = [];
afterAll(() => {
  if (timings.length) console.log(`eigh on ${adapterInfo}:\n  ${timings.join("\n  ")}`);
});

async function check(label: string, mats: Float64Array[], n: number, storage: number, compareVectors: boolean) {
  const BATCH = mats.length;
  const opts = { workgroupStorageBytes: storage };
  const kernels = eighKernels(BATCH, n, opts);
  const scratch = eighScratchLength(BATCH, n, opts);
  const a = new Float32Array(BATCH * n * n);
  mats.forEach((m, b) => a.set(m, b * n * n));
  const { outputs, ms } = await runKernels(kernels, [a], scratch ? [BATCH * n, BATCH * n * n, scratch] : [BATCH * n, BATCH * n * n]);
  const [w, u] = outputs;
  let worst = { res: 0, orth: 0, w: 0, u: 0 };
  for (let b = 0; b < BATCH; b++) {
    const A = Float64Array.from(a.subarray(b * n * n, (b + 1) * n * n));
    const U = Float64Array.from(u.subarray(b * n * n, (b + 1) * n * n));
    const W = Float64Array.from(w.subarray(b * n, (b + 1) * n));
    const AU = matmul(A, U, n, n, n);
    const UL = U.map((v, i) => v * W[i % n]);
    const UtU = matmul(transpose(U, n, n), U, n, n, n);
    for (let i = 0; i < n; i++) UtU[i * n + i] -= 1;
    const ref = eighMatrix(A, n);
    const scale = Math.max(...ref.w.map(Math.abs));
    let werr = 0;
    for (let i = 0; i < n; i++) werr = Math.max(werr, Math.abs(W[i] - ref.w[i]) / scale);
    let uerr = 0;
    for (let i = 0; i < n * n; i++) uerr = Math.max(uerr, Math.abs(U[i] - ref.u[i]));
    worst = { res: Math.max(worst.res, frob(AU, UL) / frob(A)), orth: Math.max(worst.orth, frob(UtU)), w: Math.max(worst.w, werr), u: Math.max(worst.u, uerr) };
  }
  timings.push(`${label} (${kernels[0].name}, ${kernels[0].workgroupBytes} B workgroup): ${ms.toFixed(0)} ms; ‖AU−UΛ‖/‖A‖ ${worst.res.toExponential(1)}, ‖UᵀU−I‖ ${worst.orth.toExponential(1)}, λ ${worst.w.toExponential(1)}, U ${worst.u.toExponential(1)}`);
  expect(worst.res, `${label}: residual`).toBeLessThanOrEqual(1e-5);
  expect(worst.orth, `${label}: orthogonality`).toBeLessThanOrEqual(1e-5);
  expect(worst.w, `${label}: eigenvalues vs CPU (relative to max |λ|)`).toBeLessThanOrEqual(1e-5);
  if (compareVectors) expect(worst.u, `${label}: eigenvectors vs CPU`).toBeLessThanOrEqual(compareVectors === true ? 1e-3 : 1);
}

describe("eigh (Jacobi, round-robin)", () => {
  const spd = (n: number) => Array.from({ length: BATCH }, (_, b) => randomSpd(n, 100 * n + b));

  for (const n of [8, 32]) {
    gpuIt(`random SPD n=${n} in workgroup memory`, async () => {
      expect(eighScratchLength(BATCH, n)).toBe(0);
      await check(`SPD n=${n} workgroup`, spd(n), n, 16384, n === 8);
    });
  }
  gpuIt("random SPD n=64 through global memory (16 KiB limit)", async () => {
    expect(eighScratchLength(BATCH, 64)).toBe(BATCH * 2 * 64 * 64);
    await check("SPD n=64 global", spd(64), 64, 16384, false);
  });
  gpuIt("random SPD n=8 and odd n=9 forced through global memory", async () => {
    await check("SPD n=8 global", spd(8), 8, 512, true);
    await check("SPD n=9 global", Array.from({ length: BATCH }, (_, b) => randomSpd(9, 7 + b)), 9, 512, true);
  });
  gpuIt("random SPD n=64 with A in workgroup memory and V in global memory (32 KiB)", async () => {
    expect(eighScratchLength(BATCH, 64, { workgroupStorageBytes: 32768 })).toBe(BATCH * 64 * 64);
    expect(eighKernels(BATCH, 64, { workgroupStorageBytes: 32768 })[0].name).toMatch(/_mixed$/);
    await check("SPD n=64 mixed", spd(64), 64, 32768, false);
  });
  gpuIt("several small matrices per workgroup, the last workgroup part empty: 19 matrices at n = 8, 5 and 2", async () => {
    for (const n of [8, 5, 2]) {
      const [k] = eighKernels(19, n);
      expect([k.workgroupSize[0], k.dispatch[0]], `n=${n}: 16 matrices of 2 invocations per workgroup`).toEqual([32, 2]);
      await check(`SPD n=${n}, 19 matrices`, Array.from({ length: 19 }, (_, b) => randomSpd(n, 50 * n + b)), n, 16384, true);
    }
  });
  gpuIt("odd n=7 and n=1 in workgroup memory", async () => {
    await check("SPD n=7 workgroup", Array.from({ length: BATCH }, (_, b) => randomSpd(7, 3 + b)), 7, 16384, true);
    await check("n=1", Array.from({ length: BATCH }, (_, b) => Float64Array.of(b - 1.5)), 1, 16384, true);
  });
  gpuIt("clustered and repeated eigenvalues, n=16", async () => {
    const n = 16;
    const clustered = Array.from({ length: n }, (_, i) => 1 + i * 1e-4);
    const repeated = Array.from({ length: n }, (_, i) => [1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 5, 5, 6][i]);
    const mixed = Array.from({ length: n }, (_, i) => (i < 8 ? -2 : 1 + 1e-4 * (i % 3)));
    const mats = [withSpectrum(clustered, 1), withSpectrum(repeated, 2), withSpectrum(mixed, 3), withSpectrum(repeated.map((x) => x * 1e3), 4)];
    await check("clustered n=16 workgroup", mats, n, 16384, false);
    await check("clustered n=16 global", mats, n, 1024, false);
  });
  gpuIt("clustered and repeated eigenvalues, n=64 through global memory", async () => {
    const n = 64;
    const clustered = Array.from({ length: n }, (_, i) => 1 + i * 1e-4);
    const repeated = Array.from({ length: n }, (_, i) => 1 + Math.floor(i / 8));
    await check("clustered n=64 global", [withSpectrum(clustered, 5), withSpectrum(repeated, 6), withSpectrum(clustered.map((x) => -x), 7), withSpectrum(repeated, 8)], n, 16384, false);
  });
  gpuIt("a solver stopped at its sweep cap reports no-convergence per matrix instead of returning what it holds", async () => {
    const n = 8;
    // Matrix 0 is diagonal (converged before the first sweep ends); the others need several sweeps.
    const mats = [withSpectrum(Array.from({ length: n }, (_, i) => i + 1), 0).map((_, t) => (t % (n + 1) === 0 ? 1 + t : 0)), ...spd(n).slice(1)];
    const a = new Float32Array(BATCH * n * n);
    mats.forEach((m, b) => a.set(m, b * n * n));
    const capped = eighKernels(BATCH, n, { maxSweeps: 1, op: "logm" });
    expect(capped[0].checks![0].message).toBe("logm failed: no-convergence: eigh: the Jacobi solver did not converge in 1 sweeps (matrix {i} of the batch)");
    const { status } = await runKernels(capped, [a], [BATCH * n, BATCH * n * n], { failures: "expected" });
    expect(payloads(status[0])).toEqual([1]);
    // The default cap converges on the same matrices (and runKernels fails on any status word).
    await runKernels(eighKernels(BATCH, n), [a], [BATCH * n, BATCH * n * n]);
  });
});
