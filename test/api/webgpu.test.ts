/**
 * compile(...) with backend "webgpu": the trainer keeps params and optimizer state on the device;
 * results agree with the CPU reference (f32 tolerance), 50 steps reduce the loss, and a checkpoint
 * (F32) restores the device's params and optimizer state exactly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { writeBundle } from "../../compiler/bundle/build.js";
import { compile, optim } from "../../index.js";
import { openBundle } from "../../runtime/bundle/open.js";
import { readSafetensors } from "../../runtime/bundle/safetensors.js";
import { hasGPU } from "../webgpu/gpu.js";
import { blobs, mlp } from "./model.js";

const data = blobs(24);
const feeds = { X: data.X, y: data.y };

function close(a: Float64Array, b: Float64Array, tol: number): void {
  const scale = Math.max(1, ...b.map(Math.abs));
  a.forEach((x, i) => expect(Math.abs(x - b[i]) / scale).toBeLessThan(tol));
}

describe.runIf(hasGPU)("compile on WebGPU", () => {
  it("run and grad agree with the CPU; 50 resident Adam steps reduce the loss; a checkpoint resumes exactly", async () => {
    const gpu = await compile(mlp, { backend: "webgpu", seed: 1 });
    const cpu = await compile(mlp, { backend: "cpu", seed: 1 });
    expect(gpu.backend).toBe("webgpu");
    const [g, c] = [await gpu.run(feeds), await cpu.run(feeds)];
    close(g.logits.data, c.logits.data, 1e-5);
    const [gg, cg] = [await gpu.grad(feeds), await cpu.grad(feeds)];
    for (const p of ["W1", "b1", "W2"]) close(gg.grads[p].data, cg.grads[p].data, 1e-4);

    const step = gpu.trainer(optim.adam({ lr: 0.02 }), { clipGradNorm: 5 });
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) losses.push(await step(feeds));
    expect(gpu.backend).toBe("webgpu");
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]);

    const bytes = await gpu.saveParams();
    const file = readSafetensors(bytes);
    expect(JSON.parse(file.metadata.optimizer)).toMatchObject({ kind: "adam", lr: 0.02 });
    expect(file.metadata.steps).toBe("50");
    expect(file.tensors.get("optim.step")!.data[0]).toBe(50);

    const again = await compile(mlp, { backend: "webgpu", seed: 7 });
    await again.loadParams(bytes);
    const atCheckpoint = await again.run(feeds);
    expect(atCheckpoint).toEqual(await gpu.run(feeds));
    const resumed = again.trainer(optim.adam({ lr: 0.02 }), { clipGradNorm: 5 });
    for (let i = 0; i < 2; i++) expect(await resumed(feeds)).toBe(await step(feeds));
    // The CPU takes the device's checkpoint too (f32 values, widened exactly).
    await cpu.loadParams(bytes);
    close((await cpu.run(feeds)).logits.data, atCheckpoint.logits.data, 1e-5);
    // A bundle built before training takes the checkpoint's params through setParams(bytes).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matprop-api-"));
    try {
      writeBundle(mlp.build(), { out: dir });
      const bundle = await openBundle(pathToFileURL(`${dir}/`));
      bundle.setParams(bytes);
      const out = await bundle.forward({ X: { shape: [24, 4], data: Float32Array.from(data.X.flat()) }, y: { shape: [24], data: Int32Array.from(data.y) } });
      close(Float64Array.from(out.logits as Float32Array), atCheckpoint.logits.data, 1e-6);
      bundle.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const p of [gpu, cpu, again]) p.dispose();
  });
});
