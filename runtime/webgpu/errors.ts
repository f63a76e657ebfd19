/**
 * What goes wrong running a program on a device, as one error type the callers map to their codes
 * (the CLI's MP6xxx, a bundle's MP7xxx), and the limits check made before anything is allocated
 * (naming the tensor or kernel that does not fit).
 */
import type { Program, Step } from "../../codegen/program.js";
import type { DeviceFailure, NonFiniteOutput } from "./status.js";

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

/** "op at file:line:col, …" of a step's IR nodes. */
export function describeNodes(step: Step): string {
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
      throw new WebGPURunError("limits", `kernel '${k.name}' (${describeNodes(s)}) needs ${k.workgroupBytes} bytes of workgroup memory; this device allows ${device.limits.maxComputeWorkgroupStorageSize}`);
    }
    if (k.bindings.length > device.limits.maxStorageBuffersPerShaderStage) {
      throw new WebGPURunError("limits", `kernel '${k.name}' binds ${k.bindings.length} storage buffers; this device allows ${device.limits.maxStorageBuffersPerShaderStage}`);
    }
    if (k.dispatch.some((d) => d > device.limits.maxComputeWorkgroupsPerDimension)) {
      throw new WebGPURunError("limits", `kernel '${k.name}' dispatches [${k.dispatch.join(", ")}] workgroups; this device allows ${device.limits.maxComputeWorkgroupsPerDimension} per dimension`);
    }
  }
}
