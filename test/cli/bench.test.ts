/**
 * `matprop bench`: `--json` prints exactly the documented keys; on WebGPU the o2p-mnist training
 * step, after its warm-up, creates no buffer, uploads no more than the batch's inputs and reads back
 * the loss and nothing else (the kernels' failure flags are folded into it on the device) — while the
 * `--one-shot` baseline (a fresh program per step) creates buffers and reads every gradient back.
 * Bad options are coded errors.
 */
import { describe, expect, it } from "vitest";
import { hasGPU } from "../webgpu/gpu.js";
import { matprop } from "./helpers.js";

const KEYS = ["buffersCreatedPerStep", "bytesReadPerStep", "bytesUploadedPerStep", "dispatchesPerStep", "msPerStep", "unfusedDispatchesPerStep"];
const O2P = ["examples/o2p-mnist/model.ts", "--inputs", "examples/o2p-mnist/inputs.json", "--steps", "3", "--warmup", "2", "--json"];
/** The O2P layer alone (F [8, 4], W [4, 4]): cheaper, for what does not need the whole network. */
const LAYER = ["examples/o2p-layer/model.ts", "--inputs", "examples/o2p-layer/inputs.json", "--steps", "3", "--warmup", "1", "--json"];
/** x [2, 1, 28, 28] and y [2] as f32. */
const BATCH_BYTES = 4 * (2 * 784 + 2);

function bench(args: readonly string[]) {
  const r = matprop(["bench", ...args]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number & { median: number; p90: number }>;
}

describe("matprop bench", () => {
  it("--backend cpu --json: exactly the documented keys; no device traffic", () => {
    const r = bench([...LAYER, "--backend", "cpu"]);
    expect(Object.keys(r).sort()).toEqual(KEYS);
    expect(r.msPerStep.median).toBeGreaterThan(0);
    expect(r.msPerStep.p90).toBeGreaterThanOrEqual(r.msPerStep.median);
    expect([r.dispatchesPerStep, r.unfusedDispatchesPerStep, r.bytesUploadedPerStep, r.bytesReadPerStep, r.buffersCreatedPerStep]).toEqual([null, null, 0, 0, 0]);
  });

  it.runIf(hasGPU)("o2p-mnist on WebGPU: no buffer created per step, the batch's inputs up, the loss back", () => {
    const r = bench([...O2P, "--backend", "webgpu"]);
    expect(Object.keys(r).sort()).toEqual(KEYS);
    expect(r.buffersCreatedPerStep).toBe(0);
    expect(r.bytesUploadedPerStep).toBeLessThanOrEqual(BATCH_BYTES);
    expect(r.bytesReadPerStep, "the loss, 4 bytes").toBe(4);
    expect(r.dispatchesPerStep).toBeGreaterThan(0);
    expect(r.unfusedDispatchesPerStep).toBeGreaterThan(r.dispatchesPerStep);
    // The counters see traffic where there is some: the one-shot path creates every buffer, uploads
    // the params with the batch and reads the loss and every gradient back (the layer's W [4, 4]).
    const layer = bench([...LAYER, "--backend", "webgpu"]);
    const before = bench([...LAYER, "--backend", "webgpu", "--one-shot"]);
    expect(layer.buffersCreatedPerStep).toBe(0);
    expect(before.buffersCreatedPerStep).toBeGreaterThan(3);
    expect(before.bytesUploadedPerStep).toBeGreaterThan(layer.bytesUploadedPerStep);
    expect(layer.bytesReadPerStep).toBe(4);
    expect(before.bytesReadPerStep).toBeGreaterThanOrEqual(4 + 4 * 16);
  });

  it("refuses bad options with a coded error", () => {
    for (const args of [["--steps", "0"], ["--backend", "tpu"], ["--warmup", "x"]]) {
      const r = matprop(["bench", "examples/o2p-layer/model.ts", ...args]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/error MP4010/);
    }
    const cpuOneShot = matprop(["bench", "examples/o2p-layer/model.ts", "--backend", "cpu", "--one-shot"]);
    expect(cpuOneShot.stderr).toMatch(/error MP4010: --one-shot/);
  });
});
