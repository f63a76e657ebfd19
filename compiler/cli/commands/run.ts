/**
 * `matprop run <model.ts> --inputs in.json`: evaluate a model and print its outputs as JSON. The
 * WebGPU lowering and the adjoint pass are imported only when a run needs them.
 */
import fs from "node:fs";
import { fail } from "../../../ir/diagnostics.js";
import { executeCPU } from "../../../runtime/cpu/execute.js";
import { toNested } from "../../../numeric/ndarray.js";
import { acquireDevice } from "../../../runtime/webgpu/device.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";
import { parseSeed } from "../options.js";
import { GRAD_PREFIX } from "../../passes/adjoint.js";

export interface RunOptions {
  inputs?: string;
  out?: string;
  seed?: string;
  backend?: string;
  /** Also compute the gradient of `loss` with respect to every input and param. */
  grad?: boolean;
}

const BACKENDS = ["cpu", "webgpu"];

/**
 * Which backend runs: the one asked for, or with no --backend WebGPU when an adapter exists and
 * the CPU executor otherwise (with a one-line notice on stderr).
 */
async function chooseBackend(asked: string | undefined): Promise<"cpu" | "webgpu"> {
  if (asked !== undefined) {
    if (!BACKENDS.includes(asked)) fail("MP4010", `unknown backend '${asked}' for --backend (available: ${BACKENDS.join(", ")})`);
    return asked as "cpu" | "webgpu";
  }
  if (await acquireDevice()) return "webgpu";
  process.stderr.write("matprop: no WebGPU adapter found; running on the CPU executor (float64)\n");
  return "cpu";
}

export async function run(file: string, opts: RunOptions): Promise<string> {
  const seed = parseSeed(opts.seed);
  if (opts.backend !== undefined && !BACKENDS.includes(opts.backend)) await chooseBackend(opts.backend);
  // The model first: a missing or broken model file is the first thing to report.
  const graph = await loadGraph(file);
  const feeds = readInputs(opts.inputs);
  const program = opts.grad ? (await import("../../passes/differentiate.js")).differentiate(graph).graph : graph;
  const backend = await chooseBackend(opts.backend);
  const result = backend === "webgpu" ? await (await import("../../backend/webgpu.js")).runWebGPU(program, feeds, { seed }) : executeCPU(program, feeds, { seed });
  const pick = (grads: boolean) =>
    Object.fromEntries([...result.outputs].filter(([k]) => k.startsWith(GRAD_PREFIX) === grads).map(([k, v]) => [grads ? k.slice(GRAD_PREFIX.length) : k, toNested(v)]));
  const json = JSON.stringify(opts.grad ? { outputs: pick(false), grads: pick(true) } : { outputs: pick(false) }) + "\n";
  if (opts.out === undefined) return json;
  try {
    fs.writeFileSync(opts.out, json);
  } catch (e) {
    fail("MP4010", `cannot write --out file ${opts.out}: ${(e as Error).message}`);
  }
  return "";
}
