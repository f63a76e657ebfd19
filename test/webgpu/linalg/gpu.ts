/**
 * The linear-algebra kernel tests' device and helpers. Without an adapter the GPU tests are skipped
 * locally, but with CI=true a missing adapter fails the file: CI must not go green having run no
 * WGSL at all.
 */
import { it } from "vitest";
import { acquireDevice } from "../../../runtime/webgpu/device.js";
import type { KernelSource } from "../../../codegen/kernel.js";
import { pipelineFor } from "../../../runtime/webgpu/pipelines.js";
import { statusLayout } from "../../../runtime/webgpu/status.js";
import { Random } from "../../../numeric/random.js";

const acquired = await acquireDevice();
if (!acquired && process.env.CI === "true") {
  throw new Error("CI=true but no WebGPU adapter was found (install chromium + libvulkan1 for SwiftShader): the WGSL linalg kernel tests cannot be skipped in CI");
}

/** The device, or null when the GPU tests are skipped (only outside CI). */
export const device: GPUDevice | null = acquired?.device ?? null;
export const adapterInfo = acquired?.adapterInfo ?? "none";
export const software = acquired?.software ?? false;

/** `it`, or `it.skip` when there is no adapter (never under CI=true: the import above threw). */
export const gpuIt = device ? it : it.skip;

/**
 * Runs `kernels` in order on one set of buffers (inputs, then one output per remaining binding,
 * scratch included) and reads the outputs back, failing on validation errors — and on any status word
 * a kernel sets (a false failure report on a good input), unless `failures` says the test expects
 * them. `status[i]` holds the status words of kernel i (empty when it has no checks): 0 where
 * nothing failed, else ~payload (see `payloads`).
 */
export async function runKernels(
  kernels: readonly KernelSource[],
  inputs: readonly Float32Array[],
  outputLengths: readonly number[],
  opts: { failures?: "expected" } = {},
): Promise<{ outputs: Float32Array[]; status: Uint32Array[]; ms: number }> {
  const dev = device!;
  const nb = kernels[0].bindings.length;
  for (const k of kernels) {
    if (k.bindings.length !== nb || inputs.length + outputLengths.length !== nb) throw new Error(`${k.name}: ${k.bindings.length} bindings, got ${inputs.length} inputs and ${outputLengths.length} outputs`);
  }
  dev.pushErrorScope("validation");
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffers = [...inputs.map((a) => a.length), ...outputLengths].map((n) => dev.createBuffer({ size: Math.max(4, n * 4), usage }));
  inputs.forEach((a, i) => dev.queue.writeBuffer(buffers[i], 0, a as Float32Array<ArrayBuffer>));
  const pipelines = await Promise.all(kernels.map((k) => pipelineFor(dev, k)));
  const words = kernels.map((k) => k.checks?.length ?? 0);
  const layout = statusLayout(words, dev.limits.minStorageBufferOffsetAlignment);
  const status = dev.createBuffer({ size: Math.max(4, layout.bytes), usage });
  const enc = dev.createCommandEncoder();
  kernels.forEach((k, i) => {
    const pass = enc.beginComputePass();
    pass.setPipeline(pipelines[i]);
    pass.setBindGroup(0, dev.createBindGroup({ layout: pipelines[i].getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
    const at = layout.offsets[i];
    if (at !== undefined) pass.setBindGroup(1, dev.createBindGroup({ layout: pipelines[i].getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status, offset: at, size: 4 * words[i] } }] }));
    pass.dispatchWorkgroups(...k.dispatch);
    pass.end();
  });
  const reads = outputLengths.map((n, i) => {
    const rb = dev.createBuffer({ size: Math.max(4, n * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(buffers[inputs.length + i], 0, rb, 0, Math.max(4, n * 4));
    return rb;
  });
  const statusRead = dev.createBuffer({ size: Math.max(4, layout.bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  enc.copyBufferToBuffer(status, 0, statusRead, 0, Math.max(4, layout.bytes));
  const t0 = performance.now();
  dev.queue.submit([enc.finish()]);
  const outputs: Float32Array[] = [];
  for (const [i, rb] of reads.entries()) {
    await rb.mapAsync(GPUMapMode.READ);
    outputs.push(new Float32Array(rb.getMappedRange().slice(0, outputLengths[i] * 4)));
    rb.unmap();
    rb.destroy();
  }
  const ms = performance.now() - t0;
  await statusRead.mapAsync(GPUMapMode.READ);
  const all = new Uint32Array(statusRead.getMappedRange().slice(0));
  statusRead.unmap();
  statusRead.destroy();
  const statusOf = layout.offsets.map((at, i) => (at === undefined ? new Uint32Array(0) : all.slice(at / 4, at / 4 + words[i])));
  for (const b of [...buffers, status]) b.destroy();
  const err = await dev.popErrorScope();
  if (err) throw new Error(`${kernels.map((k) => k.name).join(", ")}: ${err.message}`);
  if (opts.failures !== "expected") {
    statusOf.forEach((words, i) => {
      const set = payloads(words);
      if (set.some((p) => p !== undefined)) throw new Error(`${kernels[i].name} reported a failure on a good input: ${set.map((p, w) => (p === undefined ? "" : `${kernels[i].checks![w].message} [payload ${p}]`)).filter(Boolean).join("; ")}`);
    });
  }
  return { outputs, status: statusOf, ms };
}

/** Status words → their payloads (the first failing element or matrix), undefined where nothing failed. */
export function payloads(words: Uint32Array): (number | undefined)[] {
  return Array.from(words, (w) => (w === 0 ? undefined : ~w >>> 0));
}

/** Deterministic uniform values in [lo, hi) (mulberry32). */
export function random(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
}

/** C = A·B for row-major A (m×k), B (k×n), in f64. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) { const x = a[i * k + p]; for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j]; }
  return c;
}

/** Row-major transpose of an m×n matrix. */
export function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

/** Frobenius norm of a − b (b omitted: of a). */
export function frob(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - (b ? b[i] : 0); s += d * d; }
  return Math.sqrt(s);
}

/** Max |a − b| / max(max |b|, floor). */
export function relMaxErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) { e = Math.max(e, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
  return Number.isNaN(e) ? Infinity : e / Math.max(s, floor);
}

/** Rounds to f32 (the GPU's input). */
export const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
