/**
 * Running a graph on WebGPU: inputs are validated and params initialised exactly as on the CPU
 * (runtime/cpu/bind.ts), the graph is lowered for the bound dims, and the program runs on the
 * device in f32. Results come back as float64 NDArrays for comparison with the reference.
 */
import { fail, MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../runtime/cpu/ndarray.js";
import { acquireDevice } from "../../runtime/webgpu/device.js";
import { runProgram, WebGPURunError } from "../../runtime/webgpu/execute.js";
import { lowerGraph, type Lowered } from "../codegen/lower.js";

export interface WebGPURun {
  readonly outputs: Map<string, NDArray>;
  readonly lowered: Lowered;
  readonly adapter: string;
}

/** Lowered programs by graph and dim sizes: a training loop lowers its step once. */
const programs = new WeakMap<Graph, Map<string, Lowered>>();

function lowerOnce(g: Graph, dims: ReadonlyMap<string, number>, workgroupStorageBytes: number): Lowered {
  let byDims = programs.get(g);
  if (!byDims) programs.set(g, (byDims = new Map()));
  const key = JSON.stringify([...dims].sort());
  let lowered = byDims.get(key);
  if (!lowered) byDims.set(key, (lowered = lowerGraph(g, dims, { workgroupStorageBytes })));
  return lowered;
}

export async function runWebGPU(g: Graph, feeds: ReadonlyMap<string, NDArray>, opts: { seed?: number } = {}): Promise<WebGPURun> {
  const acquired = await acquireDevice();
  if (!acquired) fail("MP6001", "no WebGPU adapter (install Debian's chromium and libvulkan1 for the software adapter, or use --backend cpu)");
  const { sources, dims } = bindInputs(g, feeds, opts.seed ?? 0);
  const lowered = lowerOnce(g, dims, acquired.device.limits.maxComputeWorkgroupStorageSize);
  const f32 = new Map([...sources].map(([node, a]) => [node.attrs.name as string, toF32(node.attrs.name as string, node.op, a.data)]));
  let raw: Map<string, Float32Array>;
  try {
    raw = await runProgram(acquired.device, lowered.program, f32);
  } catch (e) {
    if (e instanceof WebGPURunError) throw new MatpropError(e.kind === "limits" ? "MP6002" : e.kind === "timeout" ? "MP6004" : "MP6003", `${e.message}${e.kind === "timeout" ? " (raise the limit with --gpu-timeout <seconds>)" : ""}`);
    throw e;
  }
  const outputs = new Map<string, NDArray>();
  for (const slot of lowered.program.outputs) {
    const data = Float64Array.from(raw.get(slot.name)!);
    const bad = data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) locateFailure(g, feeds, opts.seed ?? 0, slot.name, data[bad], bad);
    outputs.set(slot.name, { shape: [...slot.shape], data });
  }
  return { outputs, lowered, adapter: acquired.adapterInfo };
}

/** A bound input or param as the GPU's f32; a value beyond ±3.4e38 would turn into ±Infinity there. */
function toF32(name: string, op: string, data: Float64Array): Float32Array {
  const out = Float32Array.from(data);
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) fail("MP4006", `${op} '${name}' holds ${data[bad]} at flat index ${bad}, beyond the f32 range (±3.4e38) WebGPU computes in; use --backend cpu for float64`);
  return out;
}

/**
 * A kernel cannot throw, so a domain failure on the GPU (a singular solve, the log of a
 * non-positive eigenvalue) shows up as a non-finite output. Re-run the graph on the CPU executor,
 * which stops at the failing op with its coded error and source line; report that, or the bare
 * symptom when the CPU run succeeds (an f32-only overflow).
 */
function locateFailure(g: Graph, feeds: ReadonlyMap<string, NDArray>, seed: number, output: string, value: number, index: number): never {
  const symptom = `output '${output}' holds ${value} on WebGPU (flat index ${index})`;
  try {
    executeCPU(g, feeds, { seed });
  } catch (e) {
    if (e instanceof MatpropError) throw new MatpropError(e.code, `${symptom}; the float64 CPU executor stops here: ${e.message}`, e.loc);
    throw e;
  }
  const out = g.outputs.find((o) => o.name === output)!;
  return fail("MP5001", `${symptom}, but the float64 CPU executor computes it finitely: an f32 overflow or loss of precision in WebGPU`, out.value.node.loc);
}
