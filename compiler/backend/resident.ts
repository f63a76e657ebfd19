/**
 * The Trainer's WebGPU side: a model resident on the device (runtime/webgpu/resident-model.ts)
 * created from the host params, its forward pass and training step, with the runtime's failures
 * turned into the CLI's coded errors (as runWebGPU does).
 */
import { fail } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import type { OptimizerRule } from "../../ir/optimizer.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { acquireDevice } from "../../runtime/webgpu/device.js";
import { ResidentModel, type Feed, type ModelGraphs } from "../../runtime/webgpu/resident-model.js";
import { deviceError } from "./webgpu.js";

export async function residentModel(graphs: ModelGraphs, params: ReadonlyMap<string, Float32Array>, device?: GPUDevice): Promise<ResidentModel> {
  const d = device ?? (await acquireDevice())?.device;
  if (!d) fail("MP6001", "no WebGPU adapter (install Debian's chromium and libvulkan1 for the software adapter, or use --backend cpu)");
  return new ResidentModel(d, graphs, params);
}

const asNDArrays = (out: ReadonlyMap<string, Feed>) => new Map([...out].map(([k, v]) => [k, { shape: [...v.shape], data: Float64Array.from(v.data) } as NDArray]));

export async function deviceForward(m: ResidentModel, forward: Graph, feeds: ReadonlyMap<string, Feed>): Promise<Map<string, NDArray>> {
  try {
    return asNDArrays(await m.forward(feeds));
  } catch (e) {
    return deviceError(e, forward);
  }
}

export async function deviceStep(m: ResidentModel, step: Graph, feeds: ReadonlyMap<string, Feed>, opts: { rule: OptimizerRule; lr: number; trained: readonly string[]; read: readonly string[] }): Promise<Map<string, NDArray>> {
  try {
    return asNDArrays(await m.train(feeds, opts));
  } catch (e) {
    return deviceError(e, step);
  }
}
