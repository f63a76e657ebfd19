/**
 * Compute pipelines, cached by WGSL source. A shader that fails to compile is reported with the
 * kernel's name and Dawn's message (and the IR nodes it came from, when the caller knows them).
 */
import type { KernelSource } from "../../codegen/kernel.js";

const caches = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

export class KernelCompileError extends Error {
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(`WGSL kernel '${kernel}' failed to compile: ${message}`);
  }
}

export function pipelineFor(device: GPUDevice, k: Pick<KernelSource, "name" | "wgsl">): Promise<GPUComputePipeline> {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  let p = cache.get(k.wgsl);
  if (!p) {
    p = (async () => {
      device.pushErrorScope("validation");
      const module = device.createShaderModule({ code: k.wgsl, label: k.name });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === "error");
      const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" }, label: k.name });
      const scope = await device.popErrorScope();
      if (errors.length || scope) {
        const text = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ") || scope!.message;
        throw new KernelCompileError(k.name, text);
      }
      return pipeline;
    })();
    cache.set(k.wgsl, p);
  }
  return p;
}
