/**
 * `matprop build <model.ts> -o <dir> [--inputs f.json] [--params p.json|p.safetensors] [--seed N]`:
 * write a standalone kernel bundle (compiler/bundle/build.ts describes its layout).
 */
import fs from "node:fs";
import { fail, MatpropError, type DiagnosticCode } from "../../../ir/diagnostics.js";
import { BundleError } from "../../../runtime/bundle/errors.js";
import { paramsOf, readSafetensors } from "../../../runtime/bundle/safetensors.js";
import type { NDArray } from "../../../numeric/ndarray.js";
import { writeBundle } from "../../bundle/build.js";
import { readInputs } from "../inputs.js";
import { loadGraph } from "../load-graph.js";
import { parseSeed, parseWrt } from "../options.js";

export interface BuildCliOptions {
  out: string;
  inputs?: string;
  params?: string;
  seed?: string;
  wrt?: string;
}

/** `--params`: a JSON file like `--inputs`, or a .safetensors file (F32/F64 tensors, or a checkpoint's params). */
function readParams(file: string | undefined): Map<string, NDArray> {
  if (file === undefined) return new Map();
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail("MP4001", `params file not found: ${file}`);
  if (!file.endsWith(".safetensors")) return readInputs(file);
  try {
    // A checkpoint (compile(...).saveParams) gives its params; its optimizer state is not a param.
    const tensors = paramsOf(readSafetensors(new Uint8Array(fs.readFileSync(file))));
    return new Map([...tensors].map(([k, t]) => [k, { shape: [...t.shape], data: t.data }]));
  } catch (e) {
    // The MP7xxx codes are in ir/diagnostics.ts's table too.
    if (e instanceof BundleError) throw new MatpropError(e.code as DiagnosticCode, `${file}: ${e.message}`);
    throw e;
  }
}

export async function buildCommand(file: string, opts: BuildCliOptions): Promise<string> {
  if (typeof opts.out !== "string" || opts.out === "") fail("MP4010", "give the bundle folder with -o <dir>");
  const seed = parseSeed(opts.seed);
  const wrt = parseWrt(opts.wrt);
  const graph = await loadGraph(file);
  const inputs = readInputs(opts.inputs);
  const params = readParams(opts.params);
  const b = writeBundle(graph, { out: opts.out, inputs, params, seed, source: file, wrt });
  const m = b.manifest;
  const p = m.programs;
  const dims = m.dims && Object.keys(m.dims).length ? ` at ${Object.entries(m.dims).map(([d, n]) => `${d} = ${n}`).join(", ")}` : "";
  const programs = p
    ? `${m.kernels.length} kernels precompiled${dims} (forward ${p.forward.steps.length} dispatches${p.train ? `, training step ${p.train.steps.length} dispatches` : ""})`
    : `no precompiled kernels (named dims ${[...new Set(m.inputs.flatMap((t) => t.shape.filter((d) => typeof d === "string")))].join(", ")} are bound at each call and lowered then)`;
  const grads = m.loss !== null && m.params.length === 0 && (wrt === undefined || wrt === "params") ? ", training step with no gradients (the model has no params; --wrt names inputs to differentiate)" : "";
  const train = m.loss === null ? ", no training step (no scalar 'loss' output)" : grads;
  return `wrote ${opts.out}: ${programs}${train}, ${m.params.length} params, ${m.hash}\n`;
}
