/**
 * Run one kernel on fresh buffers: upload the inputs, dispatch, read the outputs back. This is the
 * unit the kernel tests use (each WGSL kernel against the f64 CPU result); whole programs go
 * through the planned executor instead. A kernel with checks gets a status slice; `status` holds
 * its words (0: nothing failed; otherwise `~payload`, see status.ts).
 */
import type { KernelSource } from "../../codegen/kernel.js";
import { pipelineFor } from "./pipelines.js";

export interface KernelRun {
  readonly outputs: Float32Array[];
  readonly status: Uint32Array;
}

export async function runKernel(device: GPUDevice, k: KernelSource, inputs: readonly Float32Array[], outputLengths: readonly number[]): Promise<KernelRun> {
  if (inputs.length + outputLengths.length !== k.bindings.length) {
    throw new Error(`${k.name}: ${k.bindings.length} bindings, got ${inputs.length} inputs and ${outputLengths.length} outputs`);
  }
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffers = [...inputs.map((a) => a.length), ...outputLengths].map((n) => device.createBuffer({ size: Math.max(4, n * 4), usage }));
  const words = k.checks?.length ?? 0;
  const status = words ? device.createBuffer({ size: 4 * words, usage }) : undefined;
  inputs.forEach((a, i) => device.queue.writeBuffer(buffers[i], 0, a as Float32Array<ArrayBuffer>));
  const pipeline = await pipelineFor(device, k);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
  if (status) pass.setBindGroup(1, device.createBindGroup({ layout: pipeline.getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: status } }] }));
  pass.dispatchWorkgroups(...k.dispatch);
  pass.end();
  const readback = (src: GPUBuffer, bytes: number) => {
    const rb = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(src, 0, rb, 0, bytes);
    return rb;
  };
  const reads = outputLengths.map((n, i) => readback(buffers[inputs.length + i], Math.max(4, n * 4)));
  const statusRead = status && readback(status, 4 * words);
  device.queue.submit([enc.finish()]);
  const mapped = async (rb: GPUBuffer, bytes: number) => {
    await rb.mapAsync(GPUMapMode.READ);
    const data = rb.getMappedRange().slice(0, bytes);
    rb.unmap();
    rb.destroy();
    return data;
  };
  const outputs = await Promise.all(reads.map(async (rb, i) => new Float32Array(await mapped(rb, outputLengths[i] * 4))));
  const statusWords = statusRead ? new Uint32Array(await mapped(statusRead, 4 * words)) : new Uint32Array(0);
  for (const b of buffers) b.destroy();
  status?.destroy();
  return { outputs, status: statusWords };
}
