/**
 * Executing a kernel program on a WebGPU device: check the device's limits before allocating
 * anything (naming the tensor or kernel that does not fit), create the planned buffers, upload
 * inputs, record every dispatch in one command buffer, read the outputs back. Compile errors name
 * the kernel and the IR nodes it came from; a lost device is an error, not a hang, and so is a
 * submission that does not finish in time (watchdog.ts).
 */
import type { Program } from "./program.js";
import { KernelCompileError, pipelineFor } from "./pipelines.js";
import { gpuTimeout, isReleased, releaseDevice, TIMED_OUT, withDeadline } from "./watchdog.js";

export class WebGPURunError extends Error {
  constructor(
    readonly kind: "limits" | "compile" | "device-lost" | "validation" | "input" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

function nodesOf(step: Program["steps"][number]): string {
  return step.nodes.map((n) => `${n.op}${n.loc ? ` at ${n.loc}` : ""}`).join(", ");
}

/** Throws WebGPURunError("limits") when a buffer or kernel exceeds what the device allows. */
export function checkLimits(device: GPUDevice, p: Program): void {
  const maxBinding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  for (const b of p.buffers) {
    if (b.bytes > maxBinding) {
      const who = [...p.inputs, ...p.outputs].find((s) => s.buffer === b.id);
      const what = who ? `tensor '${who.name}' [${who.shape.join(", ")}]` : `an intermediate buffer`;
      throw new WebGPURunError("limits", `${what} needs ${b.bytes} bytes, more than this device's storage binding limit of ${maxBinding} bytes`);
    }
  }
  for (const s of p.steps) {
    const k = s.kernel;
    if ((k.workgroupBytes ?? 0) > device.limits.maxComputeWorkgroupStorageSize) {
      throw new WebGPURunError("limits", `kernel '${k.name}' (${nodesOf(s)}) needs ${k.workgroupBytes} bytes of workgroup memory; this device allows ${device.limits.maxComputeWorkgroupStorageSize}`);
    }
    if (k.bindings.length > device.limits.maxStorageBuffersPerShaderStage) {
      throw new WebGPURunError("limits", `kernel '${k.name}' binds ${k.bindings.length} storage buffers; this device allows ${device.limits.maxStorageBuffersPerShaderStage}`);
    }
    if (k.dispatch.some((d) => d > device.limits.maxComputeWorkgroupsPerDimension)) {
      throw new WebGPURunError("limits", `kernel '${k.name}' dispatches [${k.dispatch.join(", ")}] workgroups; this device allows ${device.limits.maxComputeWorkgroupsPerDimension} per dimension`);
    }
  }
}

export async function runProgram(device: GPUDevice, p: Program, feeds: ReadonlyMap<string, Float32Array>, opts: { timeoutMs?: number } = {}): Promise<Map<string, Float32Array>> {
  if (isReleased(device)) throw new WebGPURunError("timeout", `the WebGPU device was released after a submission that did not finish; run again on a fresh device`);
  checkLimits(device, p);
  let lost: string | undefined;
  const lostPromise = device.lost.then((info) => {
    lost = info.message || info.reason || "device lost";
  });
  const pipelines = await Promise.all(
    p.steps.map((s) =>
      pipelineFor(device, s.kernel).catch((e: unknown) => {
        if (e instanceof KernelCompileError) throw new WebGPURunError("compile", `${e.message} (from ${nodesOf(s)})`);
        throw e;
      }),
    ),
  );
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffers = p.buffers.map((b) => device.createBuffer({ size: Math.ceil(b.bytes / 4) * 4, usage, label: `buffer ${b.id}` }));
  try {
    for (const slot of p.inputs) {
      const data = feeds.get(slot.name);
      if (!data) throw new WebGPURunError("input", `no data for input '${slot.name}'`);
      const want = slot.shape.reduce((a, d) => a * d, 1);
      if (data.length !== want) throw new WebGPURunError("input", `input '${slot.name}' has ${data.length} values; [${slot.shape.join(", ")}] needs ${want}`);
      device.queue.writeBuffer(buffers[slot.buffer], 0, data as Float32Array<ArrayBuffer>);
    }
    device.pushErrorScope("validation");
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    p.steps.forEach((s, i) => {
      pass.setPipeline(pipelines[i]);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipelines[i].getBindGroupLayout(0), entries: s.buffers.map((b, binding) => ({ binding, resource: { buffer: buffers[b] } })) }));
      pass.dispatchWorkgroups(...s.kernel.dispatch);
    });
    pass.end();
    const reads = p.outputs.map((slot) => {
      const bytes = Math.max(4, slot.shape.reduce((a, d) => a * d, 1) * 4);
      const rb = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      enc.copyBufferToBuffer(buffers[slot.buffer], 0, rb, 0, bytes);
      return { slot, rb, bytes };
    });
    device.queue.submit([enc.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new WebGPURunError("validation", `WebGPU rejected the program: ${error.message}`);
    const done = Promise.all(
      reads.map(async ({ slot, rb, bytes }) => {
        await rb.mapAsync(GPUMapMode.READ);
        const data = new Float32Array(rb.getMappedRange().slice(0, bytes));
        rb.unmap();
        rb.destroy();
        return [slot.name, slot.shape.length === 0 ? data.subarray(0, 1) : data] as const;
      }),
    );
    const timeoutMs = gpuTimeout(opts.timeoutMs);
    const result = await withDeadline(Promise.race([done, lostPromise.then(() => undefined)]), timeoutMs);
    if (result === TIMED_OUT) {
      releaseDevice(device);
      throw new WebGPURunError("timeout", `'${p.name}' did not finish within ${timeoutMs / 1000} s (a kernel that never terminates, or a hung device); the device was released`);
    }
    if (!result) throw new WebGPURunError("device-lost", `the WebGPU device was lost: ${lost}`);
    return new Map(result);
  } finally {
    for (const b of buffers) b.destroy();
  }
}
