/** `matprop run <model.ts> --inputs in.json`: evaluate a model and print its outputs as JSON. */
import fs from "node:fs";
import { fail } from "../../../ir/diagnostics.js";
import { executeCPU } from "../../../runtime/cpu/execute.js";
import { toNested } from "../../../runtime/cpu/ndarray.js";
import { readInputs } from "../inputs.js";
import { loadModel } from "../load-model.js";

export interface RunOptions {
  inputs?: string;
  out?: string;
  seed?: string;
  backend?: string;
}

export async function run(file: string, opts: RunOptions): Promise<string> {
  const seed = opts.seed === undefined ? 0 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 0) fail("MP4010", `--seed must be a non-negative integer, got ${opts.seed}`);
  const backend = opts.backend ?? "cpu";
  if (backend !== "cpu") fail("MP4010", `unknown backend '${backend}' (available: cpu)`);
  const feeds = readInputs(opts.inputs);
  const graph = (await loadModel(file)).build();
  const result = executeCPU(graph, feeds, { seed });
  const outputs = Object.fromEntries([...result.outputs].map(([k, v]) => [k, toNested(v)]));
  const json = JSON.stringify({ outputs }) + "\n";
  if (opts.out) fs.writeFileSync(opts.out, json);
  return opts.out ? "" : json;
}
