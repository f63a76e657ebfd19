/**
 * Tensors that outlive any one program: a model's params, its optimizer state and the learning
 * rate, one device buffer each, bound by every program that reads them (resident.ts `bound`). New
 * buffers are zero-filled by WebGPU, which is the optimizer state's starting value; clearing goes
 * through a command (no upload). Reading back is explicit and rare (params() of a bundle, a
 * checkpoint), so its staging buffers are made per read.
 */
import { storageUsage } from "./resident.js";

export class TensorStore {
  private readonly tensors = new Map<string, { readonly buffer: GPUBuffer; readonly elements: number }>();

  constructor(private readonly device: GPUDevice) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** The buffer of `name` ([elements] f32), created zero-filled on first use. */
  buffer(name: string, elements: number): GPUBuffer {
    const known = this.tensors.get(name);
    if (known) {
      if (known.elements !== elements) throw new Error(`tensor '${name}' is stored with ${known.elements} elements, asked for ${elements}`);
      return known.buffer;
    }
    const buffer = this.device.createBuffer({ size: Math.max(4, elements * 4), usage: storageUsage(), label: `stored '${name}'` });
    this.tensors.set(name, { buffer, elements });
    return buffer;
  }

  write(name: string, data: Float32Array): void {
    this.device.queue.writeBuffer(this.buffer(name, data.length), 0, data as Float32Array<ArrayBuffer>);
  }

  /** Zeros into the named tensors that exist, on the device. */
  clear(names: Iterable<string>): void {
    const enc = this.device.createCommandEncoder();
    for (const n of names) {
      const t = this.tensors.get(n);
      if (t) enc.clearBuffer(t.buffer);
    }
    this.device.queue.submit([enc.finish()]);
  }

  async read(names: readonly string[]): Promise<Map<string, Float32Array>> {
    const enc = this.device.createCommandEncoder();
    const staged = names.map((name) => {
      const t = this.tensors.get(name);
      if (!t) throw new Error(`no stored tensor '${name}'`);
      const bytes = Math.max(4, t.elements * 4);
      const rb = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `readback of stored '${name}'` });
      enc.copyBufferToBuffer(t.buffer, 0, rb, 0, bytes);
      return { name, rb, t };
    });
    this.device.queue.submit([enc.finish()]);
    const out = new Map<string, Float32Array>();
    for (const { name, rb, t } of staged) {
      await rb.mapAsync(GPUMapMode.READ);
      out.set(name, new Float32Array(rb.getMappedRange().slice(0, t.elements * 4)));
      rb.unmap();
      rb.destroy();
    }
    return out;
  }

  dispose(): void {
    for (const t of this.tensors.values()) t.buffer.destroy();
    this.tensors.clear();
  }
}
