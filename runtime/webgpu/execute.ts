/**
 * Executing a kernel program on a WebGPU device: check the device's limits before allocating
 * anything (naming the tensor or kernel that does not fit), create the planned buffers, upload
 * inputs, record every dispatch in one command buffer, read the outputs back together with the
 * status buffer (status.ts). Compile errors name the kernel and the IR nodes it came from; a lost
 * device is an error, not a hang, and so is a submission that does not finish in time
 * (watchdog.ts); a failure a kernel reports is an error naming the node and its source line, and so
 * is a non-finite output that no kernel reported: never a silent NaN.
 */
import type { Program } from "../../codegen/program.js";
import { KernelCompileError, pipelineFor } from "./pipelines.js";
import { type DeviceFailure, failureMessage, firstFailure, firstNonFinite, type NonFiniteOutput, statusLayout } from "./status.js";
import { gpuTimeout, isReleased, releaseDevice, TIMED_OUT, withDeadline } from "./watchdog.js";

export type { NonFiniteOutput } from "./status.js";

export class WebGPURunError extends Error {
  constructor(
    readonly kind: "limits" | "compile" | "device-lost" | "validation" | "input" | "timeout" | "check" | "non-finite",
    message: string,
    /** kind "check": the reported failure (the earliest in graph order). */
    readonly failure?: DeviceFailure,
    /** kind "non-finite": the first non-finite output value. */
    readonly nonFinite?: NonFiniteOutput,
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
  const words = p.steps.map((s) => s.checks?.length ?? 0);
  const layout = statusLayout(words, device.limits.minStorageBufferOffsetAlignment);
  // New buffers are zero-filled: every status word starts "no failure".
  const status = layout.bytes ? device.createBuffer({ size: layout.bytes, usage, label: "status" }) : undefined;
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
      const at = layout.offsets[i];
      if (status && at !== undefined) {
        pass.setBindGroup(1, device.createBindGroup({ layout: pipelines[i].getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status, offset: at, size: 4 * words[i] } }] }));
      }
      pass.dispatchWorkgroups(...s.kernel.dispatch);
    });
    pass.end();
    const readback = (src: GPUBuffer, bytes: number, offset = 0) => {
      const rb = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      enc.copyBufferToBuffer(src, offset, rb, 0, bytes);
      return rb;
    };
    const reads = p.outputs.map((slot) => {
      const bytes = Math.max(4, slot.shape.reduce((a, d) => a * d, 1) * 4);
      return { slot, rb: readback(buffers[slot.buffer], bytes, (slot.offset ?? 0) * 4), bytes };
    });
    const statusRead = status && readback(status, layout.bytes);
    device.queue.submit([enc.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new WebGPURunError("validation", `WebGPU rejected the program: ${error.message}`);
    const mapped = async (rb: GPUBuffer, bytes: number): Promise<ArrayBuffer> => {
      await rb.mapAsync(GPUMapMode.READ);
      const data = rb.getMappedRange().slice(0, bytes);
      rb.unmap();
      rb.destroy();
      return data;
    };
    const done = Promise.all([
      Promise.all(reads.map(async ({ slot, rb, bytes }) => [slot, new Float32Array(await mapped(rb, bytes))] as const)),
      statusRead ? mapped(statusRead, layout.bytes) : undefined,
    ]);
    const timeoutMs = gpuTimeout(opts.timeoutMs);
    const result = await withDeadline(Promise.race([done, lostPromise.then(() => undefined)]), timeoutMs);
    if (result === TIMED_OUT) {
      releaseDevice(device);
      throw new WebGPURunError("timeout", `'${p.name}' did not finish within ${timeoutMs / 1000} s (a kernel that never terminates, or a hung device); the device was released`);
    }
    if (!result) throw new WebGPURunError("device-lost", `the WebGPU device was lost: ${lost}`);
    const [outs, statusWords] = result;
    const failure = statusWords && firstFailure(new Uint32Array(statusWords), p.steps, layout);
    if (failure) throw new WebGPURunError("check", `${failure.site.op}${failure.site.loc ? ` at ${failure.site.loc}` : ""}: ${failureMessage(failure)}`, failure);
    const bad = firstNonFinite(outs);
    if (bad) throw new WebGPURunError("non-finite", `output '${bad.output}' holds ${bad.value} (flat index ${bad.index}) and no kernel reported a failure: an f32 overflow or an unchecked domain error upstream`, undefined, bad);
    return new Map(outs.map(([slot, data]) => [slot.name, slot.shape.length === 0 ? data.subarray(0, 1) : data]));
  } finally {
    for (const b of buffers) b.destroy();
    status?.destroy();
  }
}
