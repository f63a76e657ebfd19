/**
 * Run one kernel on fresh buffers: upload the inputs, dispatch, read the outputs back. This is the
 * unit the kernel tests use (each WGSL kernel against the f64 CPU result); whole programs go
 * through the planned executor instead.
 */
import type { KernelSource } from "./kernel.js";
import { pipelineFor } from "./pipelines.js";

export async function runKernel(device: GPUDevice, k: KernelSource, inputs: readonly Float32Array[], outputLengths: readonly number[]): Promise<Float32Array[]> {
  if (inputs.length + outputLengths.length !== k.bindings.length) {
    throw new Error(`${k.name}: ${k.bindings.length} bindings, got ${inputs.length} inputs and ${outputLengths.length} outputs`);
  }
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffers = [...inputs.map((a) => a.length), ...outputLengths].map((n) => device.createBuffer({ size: Math.max(4, n * 4), usage }));
  inputs.forEach((a, i) => device.queue.writeBuffer(buffers[i], 0, a as Float32Array<ArrayBuffer>));
  const pipeline = await pipelineFor(device, k);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
  pass.dispatchWorkgroups(...k.dispatch);
  pass.end();
  const reads = outputLengths.map((n, i) => {
    const rb = device.createBuffer({ size: Math.max(4, n * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(buffers[inputs.length + i], 0, rb, 0, Math.max(4, n * 4));
    return rb;
  });
  device.queue.submit([enc.finish()]);
  const out = await Promise.all(
    reads.map(async (rb, i) => {
      await rb.mapAsync(GPUMapMode.READ);
      const data = new Float32Array(rb.getMappedRange().slice(0, outputLengths[i] * 4));
      rb.unmap();
      rb.destroy();
      return data;
    }),
  );
  for (const b of buffers) b.destroy();
  return out;
}
