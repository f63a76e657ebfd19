/**
 * Running a kernel program once: a resident program (resident.ts) made for the call, run with
 * every output read back, and disposed. Everything that can fail is resident.ts's to report.
 */
import type { Program } from "../../codegen/program.js";
import { ResidentProgram } from "./resident.js";

export { checkLimits, WebGPURunError, type NonFiniteOutput } from "./errors.js";

export async function runProgram(device: GPUDevice, p: Program, feeds: ReadonlyMap<string, Float32Array>, opts: { timeoutMs?: number } = {}): Promise<Map<string, Float32Array>> {
  const resident = await ResidentProgram.create(device, p, opts);
  try {
    return await resident.run(feeds);
  } finally {
    resident.dispose();
  }
}
