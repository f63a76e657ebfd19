/**
 * A bundle's precompiled programs against a device's limits, before anything is allocated (programs
 * lowered at run time are checked by the runtime when they are made resident): every buffer against the
 * storage binding and buffer size limits, every kernel's workgroup size, workgroup memory and
 * binding count, every dispatch against the per-dimension workgroup count. Names what does not fit.
 */
import { bundleFail } from "./errors.js";
import type { Manifest, ProgramSpec } from "./manifest.js";

export type DeviceLimits = Pick<
  GPUSupportedLimits,
  | "maxStorageBufferBindingSize"
  | "maxBufferSize"
  | "maxComputeWorkgroupStorageSize"
  | "maxStorageBuffersPerShaderStage"
  | "maxComputeWorkgroupsPerDimension"
  | "maxComputeInvocationsPerWorkgroup"
  | "maxComputeWorkgroupSizeX"
  | "maxComputeWorkgroupSizeY"
  | "maxComputeWorkgroupSizeZ"
>;

const over = (what: string): never => bundleFail("MP7006", what);

export function checkBundleLimits(limits: DeviceLimits, m: Manifest): void {
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const k of m.kernels) {
    const [x, y, z] = k.workgroupSize;
    if (x > limits.maxComputeWorkgroupSizeX || y > limits.maxComputeWorkgroupSizeY || z > limits.maxComputeWorkgroupSizeZ || x * y * z > limits.maxComputeInvocationsPerWorkgroup) {
      over(`kernel '${k.name}' has workgroup size [${k.workgroupSize.join(", ")}]; this device allows [${limits.maxComputeWorkgroupSizeX}, ${limits.maxComputeWorkgroupSizeY}, ${limits.maxComputeWorkgroupSizeZ}] and ${limits.maxComputeInvocationsPerWorkgroup} invocations`);
    }
    if (k.workgroupBytes > limits.maxComputeWorkgroupStorageSize) over(`kernel '${k.name}' needs ${k.workgroupBytes} bytes of workgroup memory; this device allows ${limits.maxComputeWorkgroupStorageSize}`);
    if (k.bindings.length > limits.maxStorageBuffersPerShaderStage) over(`kernel '${k.name}' binds ${k.bindings.length} storage buffers; this device allows ${limits.maxStorageBuffersPerShaderStage}`);
  }
  const check = (which: string, p: ProgramSpec) => {
    for (const b of p.buffers) {
      if (b.bytes > maxBinding) {
        const who = [...p.inputs, ...p.outputs].find((s) => s.buffer === b.id);
        const what = who ? `tensor '${who.name}' [${who.shape.join(", ")}]` : `an intermediate buffer of the ${which}`;
        over(`${what} needs ${b.bytes} bytes, more than this device's storage binding limit of ${maxBinding} bytes`);
      }
    }
    for (const s of p.steps) {
      if (s.dispatch.some((d) => d > limits.maxComputeWorkgroupsPerDimension)) {
        over(`kernel '${m.kernels[s.kernel].name}' of the ${which} dispatches [${s.dispatch.join(", ")}] workgroups; this device allows ${limits.maxComputeWorkgroupsPerDimension} per dimension`);
      }
    }
  };
  if (!m.programs) return;
  check("forward pass", m.programs.forward);
  if (m.programs.train) check("training step", m.programs.train);
}
