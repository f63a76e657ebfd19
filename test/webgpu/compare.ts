/**
 * WebGPU (f32) against the float64 CPU executor on one graph: every output agrees to a normwise
 * relative tolerance (largest absolute error over the largest |reference| entry). And the same
 * from a kernel bundle: built for the graph, written to a folder, loaded by the bundle runtime and
 * run through `grad` (or `forward`). Shared by the layer, example and lowering-regression tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { runWebGPU } from "../../compiler/backend/webgpu.js";
import { bundleFiles } from "../../compiler/bundle/build.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import type { Graph } from "../../ir/graph.js";
import { openBundle } from "../../runtime/bundle/open.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";

/** max |a − b| / max |a| (a is the reference; the plain max |a − b| where a is all zeros). */
export function normwise(want: ArrayLike<number>, got: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(want[i] - got[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale > 0 ? err / scale : err;
}

function expectClose(name: string, want: ArrayLike<number>, got: ArrayLike<number> | undefined, tol: number): void {
  expect(got, `${name} is returned`).toBeDefined();
  expect(got!.length, `${name} length`).toBe(want.length);
  expect(Array.from(got!).every(Number.isFinite), `${name} is finite`).toBe(true);
  expect(normwise(want, got!), name).toBeLessThanOrEqual(tol);
}

/** One graph on both backends; every output within `tol`. */
export async function compareOne(g: Graph, feeds: ReadonlyMap<string, NDArray>, tol: number, seed = 1): Promise<void> {
  const cpu = executeCPU(g, feeds, { seed });
  const gpu = await runWebGPU(g, feeds, { seed });
  for (const [name, want] of cpu.outputs) expectClose(`${g.name}: ${name}`, want.data, gpu.outputs.get(name)?.data, tol);
}

/** The forward graph and the training step (forward + backward), each on both backends. */
export async function compareBoth(g: Graph, feeds: ReadonlyMap<string, NDArray>, tol: number): Promise<void> {
  for (const step of [g, differentiate(g).graph]) await compareOne(step, feeds, tol);
}

/**
 * The graph as a bundle (params built in from `feeds`): `grad` against the
 * CPU's training step when it has a scalar `loss`, else `forward` against the CPU's forward pass.
 */
export async function compareBundle(g: Graph, feeds: ReadonlyMap<string, NDArray>, tol: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matprop-compare-"));
  try {
    const { files } = bundleFiles(g, { inputs: feeds, wrt: "all" });
    for (const [rel, contents] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), contents);
    }
    const bundle = await openBundle(pathToFileURL(dir));
    // Params travel in the bundle (built from the same values); inputs are passed per call.
    const x = Object.fromEntries(bundle.manifest.inputs.map((t) => [t.name, t.dtype === "i32" ? Int32Array.from(feeds.get(t.name)!.data) : Float32Array.from(feeds.get(t.name)!.data)]));
    const hasLoss = g.outputs.some((o) => o.name === "loss" && o.value.type.shape.length === 0);
    const cpu = executeCPU(hasLoss ? differentiate(g).graph : g, feeds, { seed: 1 }).outputs;
    if (hasLoss) {
      const r = await bundle.grad(x);
      for (const [name, want] of cpu) {
        const got = name.startsWith("grad.") ? r.grads[name.slice(5)] : r.outputs[name];
        expectClose(`${g.name} bundle: ${name}`, want.data, typeof got === "number" ? [got] : got, tol);
      }
    } else {
      const out = await bundle.forward(x);
      for (const [name, want] of cpu) expectClose(`${g.name} bundle: ${name}`, want.data, typeof out[name] === "number" ? [out[name] as number] : (out[name] as Float32Array), tol);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
