/**
 * The runtime's failure modes: a tensor or kernel beyond the device's limits is refused before
 * anything is allocated, naming it; a WGSL compile error names the kernel and the IR nodes it came
 * from; a lost device is an error, not a hang.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDevice } from "../../runtime/webgpu/device.js";
import { checkLimits, runProgram, WebGPURunError } from "../../runtime/webgpu/execute.js";
import type { Program } from "../../codegen/program.js";
import { device, hasGPU } from "./gpu.js";

const copy: Program = {
  name: "copy",
  buffers: [
    { id: 0, bytes: 16 },
    { id: 1, bytes: 16 },
  ],
  inputs: [{ name: "x", buffer: 0, value: 1, shape: [4], dtype: "f32" }],
  outputs: [{ name: "y", buffer: 1, value: 3, shape: [4], dtype: "f32" }],
  steps: [
    {
      kernel: {
        name: "double",
        wgsl: "@group(0) @binding(0) var<storage, read> x: array<f32>;\n@group(0) @binding(1) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = 2.0 * x[g.x]; }",
        workgroupSize: [4, 1, 1],
        dispatch: [1, 1, 1],
        bindings: [
          { name: "x", access: "read", elements: 4 },
          { name: "y", access: "read_write", elements: 4 },
        ],
        covers: [{ binding: 1, shape: [4], tile: [4] }],
      },
      buffers: [0, 1],
      values: [1, 3],
      nodes: [{ id: 3, op: "mul", loc: "model.ts:7:12" }],
    },
  ],
};

describe.runIf(hasGPU)("WebGPU runtime", () => {
  it("runs a program", async () => {
    const out = await runProgram(device!.device, copy, new Map([["x", Float32Array.of(1, 2, 3, 4)]]));
    expect([...out.get("y")!]).toEqual([2, 4, 6, 8]);
  });

  it("refuses a tensor larger than the storage binding limit, naming it", () => {
    const huge = device!.device.limits.maxStorageBufferBindingSize + 4;
    const p: Program = { ...copy, buffers: [{ id: 0, bytes: huge }, copy.buffers[1]], inputs: [{ name: "features", buffer: 0, value: 1, shape: [huge / 4], dtype: "f32" }] };
    expect(() => checkLimits(device!.device, p)).toThrow(/tensor 'features' \[\d+\] needs \d+ bytes, more than this device's storage binding limit/);
  });

  it("refuses a kernel needing more workgroup memory than the device has, naming it and its nodes", () => {
    const step = { ...copy.steps[0], kernel: { ...copy.steps[0].kernel, workgroupBytes: device!.device.limits.maxComputeWorkgroupStorageSize + 4 } };
    expect(() => checkLimits(device!.device, { ...copy, steps: [step] })).toThrow(/kernel 'double' \(mul at model\.ts:7:12\) needs \d+ bytes of workgroup memory/);
  });

  it("reports a WGSL compile error with the kernel's name and IR nodes", async () => {
    const bad = { ...copy.steps[0], kernel: { ...copy.steps[0].kernel, name: "broken_kernel", wgsl: copy.steps[0].kernel.wgsl.replace("2.0 * x[g.x]", "2.0 * undefined_thing") } };
    const err = await runProgram(device!.device, { ...copy, steps: [bad] }, new Map([["x", new Float32Array(4)]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPURunError);
    expect((err as WebGPURunError).kind).toBe("compile");
    expect((err as Error).message).toMatch(/broken_kernel.*undefined_thing.*mul at model\.ts:7:12/s);
  });

  it("turns a lost device into an error instead of hanging", async () => {
    const own = await acquireDevice({ fresh: true });
    own!.device.destroy();
    const err = await runProgram(own!.device, copy, new Map([["x", new Float32Array(4)]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });
});
