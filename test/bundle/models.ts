/**
 * The models the bundle tests build: the small test models and every examples/<name>/model.ts. An
 * example whose WebGPU lowering is not written yet (MP3002) is listed with that reason and skipped;
 * it is picked up as soon as the lowering lands.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readInputs } from "../../compiler/cli/inputs.js";
import { loadModel } from "../../compiler/cli/load-model.js";
import { bundleFiles } from "../../compiler/bundle/build.js";
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import type { Manifest, TensorSpec } from "../../runtime/bundle/manifest.js";
import type { NDArray } from "../../numeric/ndarray.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface BuiltModel {
  readonly id: string;
  readonly file: string;
  readonly graph: Graph;
  /** Input values (by name) the tests feed. */
  readonly feeds: Map<string, NDArray>;
  readonly manifest: Manifest;
  readonly files: Map<string, string | Uint8Array>;
}

export interface SkippedModel {
  readonly id: string;
  readonly reason: string;
}

const TEST_MODELS = ["test/models/classifier.ts", "test/models/conv-pool.ts", "test/models/indexing.ts"];

function exampleModels(): { file: string; inputs?: string }[] {
  const dir = path.join(ROOT, "examples");
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, "model.ts")))
    .sort()
    .map((d) => ({ file: `examples/${d}/model.ts`, inputs: fs.existsSync(path.join(dir, d, "inputs.json")) ? `examples/${d}/inputs.json` : undefined }));
}

/** The size the tests give every named dim of a bundle built without inputs. */
export const NAMED_DIM_SIZE = 5;

/** Deterministic values for an input (named dims of size `size`): smooth floats, labels 0, 1, 0, 1, … (valid for ≥ 2 classes). */
export function sampleInput(t: TensorSpec, salt: number, size = NAMED_DIM_SIZE): NDArray {
  const shape = t.shape.map((d) => (typeof d === "number" ? d : size));
  const n = shape.reduce((p, d) => p * d, 1);
  const data = Float64Array.from({ length: n }, (_, i) => (t.dtype === "i32" ? i % 2 : Math.round(1000 * Math.sin(1.3 * i + salt)) / 1000));
  return { shape, data };
}

export async function buildModels(): Promise<{ built: BuiltModel[]; skipped: SkippedModel[] }> {
  const built: BuiltModel[] = [];
  const skipped: SkippedModel[] = [];
  const all = [...TEST_MODELS.map((file) => ({ file, inputs: undefined as string | undefined })), ...exampleModels()];
  for (const { file, inputs } of all) {
    const id = file.replace(/\/model\.ts$|\.ts$/, "").replace(/^(test\/)?/, "").replace(/\//g, "-");
    const graph = (await loadModel(path.join(ROOT, file))).build();
    const given = readInputs(inputs && path.join(ROOT, inputs));
    try {
      const { manifest, files } = bundleFiles(graph, { inputs: given, seed: 0 });
      const feeds = new Map(manifest.inputs.map((t, i) => [t.name, given.get(t.name) ?? sampleInput(t, i)]));
      built.push({ id, file, graph, feeds, manifest, files });
    } catch (e) {
      if (e instanceof MatpropError && e.code === "MP3002") skipped.push({ id, reason: `WebGPU lowering not written yet: ${e.message}` });
      else if (e instanceof MatpropError && e.code === "MP4008" && !inputs) skipped.push({ id, reason: `named dims and no inputs.json to size them: ${e.message}` });
      else throw e;
    }
  }
  return { built, skipped };
}

/**
 * Writes the bundles into a fresh folder outside the repository (so nothing there can resolve a
 * module of the repository by accident), with node_modules/webgpu linked to the repository's copy:
 * the one dependency a bundle has in Node.
 */
export function writeBundles(models: readonly BuiltModel[]): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-bundles-")));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(path.join(ROOT, "node_modules", "webgpu"), path.join(dir, "node_modules", "webgpu"), "dir");
  for (const m of models) {
    for (const [rel, contents] of m.files) {
      const file = path.join(dir, m.id, ...rel.split("/"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
    }
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const toF32 = (a: NDArray, dtype: string): Float32Array | Int32Array | Float64Array => (dtype === "i32" ? Int32Array.from(a.data) : Float32Array.from(a.data));

/**
 * The shape-polymorphic case: examples/o2p-mnist built without an inputs file (no precompiled
 * programs; the batch dim B is bound by each call), with inputs for B = 5 and B = 7.
 */
export async function polymorphicModel(): Promise<{ model: BuiltModel; feedsBySize: Map<number, Map<string, NDArray>> }> {
  const file = "examples/o2p-mnist/model.ts";
  const graph = (await loadModel(path.join(ROOT, file))).build();
  const { manifest, files } = bundleFiles(graph, { seed: 0 });
  const feedsBySize = new Map([5, 7].map((b) => [b, new Map(manifest.inputs.map((t, i) => [t.name, sampleInput(t, i + b, b)]))]));
  return { model: { id: "polymorphic-o2p-mnist", file, graph, feeds: feedsBySize.get(5)!, manifest, files }, feedsBySize };
}
