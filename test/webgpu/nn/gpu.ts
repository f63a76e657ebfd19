/**
 * The NN kernel tests' device and comparison helpers. Without an adapter the GPU tests are skipped
 * locally, but with CI=true a missing adapter fails the file: CI must not go green having run no
 * WGSL at all.
 */
import { afterAll, expect } from "vitest";
import { acquireDevice } from "../../../runtime/webgpu/device.js";
import type { KernelSource } from "../../../codegen/kernel.js";
import { load, type Expr } from "../../../codegen/expr.js";
import type { BuiltKernel } from "../../../codegen/kernels/scaffold.js";
import { runKernel } from "../../../runtime/webgpu/run-kernel.js";
import { type NDArray, ndarray } from "../../../numeric/ndarray.js";
import { Random } from "../../../numeric/random.js";

const acquired = await acquireDevice();
if (!acquired && process.env.CI === "true") {
  throw new Error("CI=true but no WebGPU adapter was found (install chromium + libvulkan1 for SwiftShader): the WGSL kernel tests cannot be skipped in CI");
}

/** The device, or null when the GPU tests are skipped (only outside CI). */
export const device: GPUDevice | null = acquired?.device ?? null;
export const adapterInfo = acquired?.adapterInfo ?? "none";

/** Operands for a kernel generator: value i is a plain buffer of `shapes[i]` (bound in this order). */
export function buffers<T extends readonly (readonly number[])[]>(...shapes: T): { [K in keyof T]: Expr } {
  return shapes.map((s, i) => load(i, s)) as { [K in keyof T]: Expr };
}

/** The value id a test kernel writes (after its operands). */
export const OUT = 1000;

/** Runs a kernel, failing on any validation error (a bind-group/layout mismatch would otherwise read back zeros). */
export async function run(built: KernelSource | BuiltKernel, inputs: readonly Float32Array[], outputLengths: readonly number[]): Promise<Float32Array[]> {
  const k = "kernel" in built ? built.kernel : built;
  const dev = device!;
  dev.pushErrorScope("validation");
  const { outputs, status } = await runKernel(dev, k, inputs, outputLengths);
  const err = await dev.popErrorScope();
  if (err) throw new Error(`${k.name}: ${err.message}`);
  if (status.some((w) => w !== 0)) throw new Error(`${k.name} reported a failure: status words ${[...status].join(", ")}`);
  return outputs;
}

/** Deterministic uniform values in [lo, hi), already rounded to f32. */
export function random(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
}

/** The CPU reference's input: the same f32 values, widened to f64. */
export function nd(shape: readonly number[], data: Float32Array): NDArray {
  return ndarray(shape, Float64Array.from(data));
}

const errors: { name: string; maxAbs: number; rel: number }[] = [];

/**
 * Asserts max |got − want| ≤ rtol · max(max |want|, floor) (norm-wise relative: sums of products
 * cancel, so elementwise relative error is meaningless near zero) and records the error.
 */
export function expectClose(name: string, got: Float32Array, want: ArrayLike<number>, rtol = 1e-5, floor = 1e-6): void {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(got[i]) !== Number.isNaN(want[i])) throw new Error(`${name}: element ${i} is ${got[i]}, expected ${want[i]}`);
    maxAbs = Math.max(maxAbs, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  const rel = maxAbs / Math.max(scale, floor);
  errors.push({ name, maxAbs, rel });
  expect(rel, `${name}: max abs error ${maxAbs} at scale ${scale}`).toBeLessThanOrEqual(rtol);
}

/** Prints the worst measured error of each kernel once a file's tests are done. */
export function reportErrors(file: string): void {
  afterAll(() => {
    const worst = new Map<string, { name: string; maxAbs: number; rel: number }>();
    for (const e of errors) {
      const kernel = e.name.split(" ")[0];
      if (!(worst.get(kernel)?.rel! >= e.rel)) worst.set(kernel, e);
    }
    const lines = [...worst].map(([k, e]) => `  ${k}: ${e.rel.toExponential(2)} relative, ${e.maxAbs.toExponential(2)} abs (${e.name})`);
    if (lines.length) console.log(`${file} on ${adapterInfo}, worst error per kernel:\n${lines.join("\n")}`);
  });
}
