/**
 * Running a graph on WebGPU: inputs are validated and params initialised exactly as on the CPU
 * (runtime/cpu/bind.ts), the graph is lowered for the bound dims, and the program runs on the
 * device in f32. Results come back as float64 NDArrays for comparison with the reference. A failure
 * a kernel reports on the device (status.ts) becomes the CPU executor's coded error at the failing
 * node's DSL line; a non-finite output no kernel explains is traced by a CPU re-run.
 */
import { type DiagnosticCode, fail, MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { acquireDevice } from "../../runtime/webgpu/device.js";
import { type NonFiniteOutput, runProgram, WebGPURunError } from "../../runtime/webgpu/execute.js";
import { type DeviceFailure, failureMessage } from "../../runtime/webgpu/status.js";
import { lowerGraph, type Lowered, type LowerOptions } from "../../codegen/lower.js";

export interface WebGPURun {
  readonly outputs: Map<string, NDArray>;
  readonly lowered: Lowered;
  readonly adapter: string;
}

/** Lowered programs by graph and dim sizes: a training loop lowers its step once. */
const programs = new WeakMap<Graph, Map<string, Lowered>>();

function lowerOnce(g: Graph, dims: ReadonlyMap<string, number>, opts: LowerOptions): Lowered {
  let byDims = programs.get(g);
  if (!byDims) programs.set(g, (byDims = new Map()));
  const key = JSON.stringify([[...dims].sort(), opts]);
  let lowered = byDims.get(key);
  if (!lowered) byDims.set(key, (lowered = lowerGraph(g, dims, opts)));
  return lowered;
}

/** `lower`: lowering options beyond the device's (tests: a lower Jacobi sweep cap). */
export async function runWebGPU(g: Graph, feeds: ReadonlyMap<string, NDArray>, opts: { seed?: number; lower?: Pick<LowerOptions, "maxSweeps"> } = {}): Promise<WebGPURun> {
  const acquired = await acquireDevice();
  if (!acquired) fail("MP6001", "no WebGPU adapter (install Debian's chromium and libvulkan1 for the software adapter, or use --backend cpu)");
  const { sources, dims } = bindInputs(g, feeds, opts.seed ?? 0);
  const lowered = lowerOnce(g, dims, { ...opts.lower, workgroupStorageBytes: acquired.device.limits.maxComputeWorkgroupStorageSize });
  const f32 = new Map([...sources].map(([node, a]) => [node.attrs.name as string, toF32(node.attrs.name as string, node.op, a.data)]));
  let raw: Map<string, Float32Array>;
  try {
    raw = await runProgram(acquired.device, lowered.program, f32);
  } catch (e) {
    if (e instanceof WebGPURunError && e.nonFinite) locateFailure(g, feeds, opts.seed ?? 0, e.nonFinite);
    return deviceError(e, g);
  }
  const outputs = new Map<string, NDArray>();
  for (const slot of lowered.program.outputs) outputs.set(slot.name, { shape: [...slot.shape], data: Float64Array.from(raw.get(slot.name)!) });
  return { outputs, lowered, adapter: acquired.adapterInfo };
}

/** A bound input or param as the GPU's f32; a value beyond ±3.4e38 would turn into ±Infinity there. */
function toF32(name: string, op: string, data: Float64Array): Float32Array {
  const out = Float32Array.from(data);
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) fail("MP4006", `${op} '${name}' holds ${data[bad]} at flat index ${bad}, beyond the f32 range (±3.4e38) WebGPU computes in; use --backend cpu for float64`);
  return out;
}

/** A failure a kernel reported (status.ts): the CPU executor's code, message and DSL source line. */
function reportFailure(g: Graph, f: DeviceFailure): never {
  // The program may have been lowered from a copy of `g` (a training step with its optimizer): the
  // node's own location when ids still match, else the site's "file:line:col".
  const node = g.nodes.find((n) => n.id === f.site.node && n.op === f.site.op);
  const m = f.site.loc ? /^(.*):(\d+):(\d+)$/.exec(f.site.loc) : null;
  const loc = node?.loc ?? (m ? { file: m[1], line: Number(m[2]), col: Number(m[3]) } : undefined);
  throw new MatpropError(f.site.code as DiagnosticCode, `${failureMessage(f)} (on WebGPU, in f32)`, loc);
}

/**
 * A non-finite output that no kernel reported (an f32 overflow, or an op without a device-side
 * check): re-run the graph on the CPU executor, which stops at the failing op with its coded error
 * and source line; report that, or the bare symptom when the CPU run succeeds (f32 only).
 */
function locateFailure(g: Graph, feeds: ReadonlyMap<string, NDArray>, seed: number, bad: NonFiniteOutput): never {
  const symptom = `output '${bad.output}' holds ${bad.value} on WebGPU (flat index ${bad.index})`;
  try {
    executeCPU(g, feeds, { seed });
  } catch (e) {
    if (e instanceof MatpropError) throw new MatpropError(e.code, `${symptom}; the float64 CPU executor stops here: ${e.message}`, e.loc);
    throw e;
  }
  const out = g.outputs.find((o) => o.name === bad.output)!;
  return fail("MP5001", `${symptom}, but the float64 CPU executor computes it finitely: an f32 overflow or loss of precision in WebGPU`, out.value.node.loc);
}

/**
 * A runtime failure on the device as the CLI's coded error (anything else is rethrown): a failure
 * a kernel reported is the CPU executor's code at the node's DSL line; a non-finite output no kernel
 * explains is MP5001 (runWebGPU first traces it by a CPU re-run; a training step cannot, its params
 * being on the device).
 */
export function deviceError(e: unknown, g: Graph): never {
  if (e instanceof WebGPURunError && e.failure) reportFailure(g, e.failure);
  if (e instanceof WebGPURunError && e.nonFinite) throw new MatpropError("MP5001", `${e.message} (on WebGPU, in f32)`);
  if (e instanceof WebGPURunError) throw new MatpropError(e.kind === "limits" ? "MP6002" : e.kind === "timeout" ? "MP6004" : "MP6003", `${e.message}${e.kind === "timeout" ? " (raise the limit with --gpu-timeout <seconds>)" : ""}`);
  throw e;
}
