/**
 * The root options that change matprop's limits for one invocation (README "Limits"): the largest
 * tensor, the time limit of a WebGPU submission, and (read by load-graph.ts) the time limit on
 * loading and building a model file. Imported only when a command runs.
 */
import { setMaxElements } from "../../ir/limits.js";
import { setGpuTimeout } from "../../runtime/webgpu/watchdog.js";
import { setModelTimeout } from "./load-graph.js";
import { parseLimit } from "./options.js";

export interface LimitOptions {
  maxElements?: string;
  gpuTimeout?: string;
  modelTimeout?: string;
}

export function applyLimitOptions(opts: LimitOptions): void {
  if (opts.maxElements !== undefined) setMaxElements(parseLimit("--max-elements", opts.maxElements));
  if (opts.gpuTimeout !== undefined) setGpuTimeout(parseLimit("--gpu-timeout", opts.gpuTimeout) * 1000);
  if (opts.modelTimeout !== undefined) setModelTimeout(parseLimit("--model-timeout", opts.modelTimeout) * 1000);
}
