/**
 * `matprop build`: a model → a standalone kernel bundle, a folder that runs the model on WebGPU
 * with no compiler and no build step.
 *
 * ```
 * <out>/
 *   manifest.json         format version, content hash, inputs/params/outputs (names, shapes,
 *                         dtypes), kernels (name, file, workgroup size, bindings), and two programs
 *                         — forward pass and training step — each its buffers and dispatch list
 *   kernels/NNN-name.wgsl one file per distinct kernel, shared by both programs
 *   params.safetensors    the params (f32), from --params / --inputs or initialised from --seed
 *   index.js, index.d.ts  typed API: load({ device? }) → { forward, grad, step, params, setParams }
 *   runtime/…             the runtime modules the bundle needs (compiled JS)
 *   package.json          { "type": "module" } so Node reads the .js files as ES modules
 *   .matprop-files.json   the list of files above: a rebuild removes only these (out-dir.ts)
 * ```
 *
 * The runtime travels with the bundle. A bundle carries a copy of the compiled runtime modules it
 * uses (runtime/bundle and the parts of runtime/webgpu they import, about 50 KB) instead of importing
 * `matprop/runtime`: the folder alone is enough — a web page loads `index.js` as a module straight
 * from a static server with no bundler or import map, and a Node program imports it with no matprop
 * installed. The cost is that bundles do not share one runtime and a runtime fix needs a rebuild;
 * the manifest's format version and content hash keep a bundle and its runtime consistent. In Node
 * the only dependency is the `webgpu` package (Dawn), resolved from the bundle's folder upwards,
 * unless the caller passes `load({ device })`.
 */
import fs from "node:fs";
import path from "node:path";
import { fail } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { bundleHash } from "../../runtime/bundle/hash.js";
import { parseManifest, type Manifest, type TensorSpec } from "../../runtime/bundle/manifest.js";
import { encodeSafetensors } from "../../runtime/bundle/safetensors.js";
import { filesOf, verifyContents } from "../../runtime/bundle/verify.js";
import { print } from "../../ir/print.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { lowerGraph, type LowerOptions } from "../../codegen/lower.js";
import type { GradTargets } from "../passes/adjoint.js";
import { differentiate } from "../passes/differentiate.js";
import { assemble } from "./assemble.js";
import { bindForBuild } from "./bind.js";
import { generateIndex } from "./index-codegen.js";
import { projectOf, relocate, relocateGraph } from "./locations.js";
import { FILES_RECORD, planBundleDir, recordText, removeStale } from "./out-dir.js";
import { runtimeFiles } from "./runtime-copy.js";

export interface BuildOptions {
  /** The bundle folder: created, or empty, or an earlier bundle (whose own files are replaced); see out-dir.ts. */
  readonly out: string;
  /** Values that size named dims (and params given here are used, as `matprop run --inputs` does). */
  readonly inputs?: ReadonlyMap<string, NDArray>;
  /** Param values; params not given are initialised by their `init` with `seed`. */
  readonly params?: ReadonlyMap<string, NDArray>;
  readonly seed?: number;
  /** The model file: source locations in the bundle are relative to its project (locations.ts). */
  readonly source?: string;
  /** Lowering options (tests: a lower Jacobi sweep cap, to see an unconverged solver reported). */
  readonly lower?: Pick<LowerOptions, "maxSweeps">;
  /** What the training step differentiates (default "params": what training updates). */
  readonly wrt?: GradTargets;
}

export interface BuiltBundle {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Bundle-relative paths of every file written. */
  readonly files: readonly string[];
}

export const PARAMS_FILE = "params.safetensors";
const LOSS = "loss";

/** Workgroup-memory tiers a bundle's precompiled programs may serve (runtime/webgpu/resident-model.ts `workgroupTier`). */
const TIERS = [16384, 32768, 65536];
const GRAPH_FILES = { forward: "graphs/forward.mpir", train: "graphs/train.mpir" };

/**
 * The programs for the build dims, lowered against the portable 16 KiB of workgroup memory (valid
 * on every device), and the larger tiers on which the lowering gives the same programs (a device
 * of another tier lowers its own on first use). Params are pinned: the runtime keeps them resident.
 */
function precompile(forward: Graph, train: Graph | null, dims: ReadonlyMap<string, number>, params: ReadonlySet<string>, extra: Pick<LowerOptions, "maxSweeps"> = {}) {
  const opts = (tier: number): LowerOptions => ({ ...extra, workgroupStorageBytes: tier, pinned: params });
  const lower = (tier: number) => ({ forward: lowerGraph(forward, dims, opts(tier)).program, train: train && lowerGraph(train, dims, opts(tier)).program });
  const base = lower(TIERS[0]);
  const key = JSON.stringify(base);
  return { programs: base, tiers: TIERS.filter((t, i) => i === 0 || JSON.stringify(lower(t)) === key) };
}

/** The bundle's files in memory: bundle-relative path → contents. */
export function bundleFiles(graph: Graph, opts: Omit<BuildOptions, "out"> = {}): { manifest: Manifest; files: Map<string, string | Uint8Array> } {
  const bound = bindForBuild(graph, opts.inputs ?? new Map(), opts.params ?? new Map(), opts.seed ?? 0);
  const sources = (op: string): TensorSpec[] =>
    graph
      .sources()
      .filter((n) => n.op === op)
      .map((n) => {
        const { dtype, structure, shape } = n.outputs[0].type;
        // Inputs keep their named dims (bound per call); params are concrete.
        return { name: n.attrs.name as string, shape: op === "param" ? bound.shapes.get(n.attrs.name as string)! : shape, dtype, ...(structure === "general" ? {} : { structure }) };
      });
  const lossOut = graph.outputs.find((o) => o.name === LOSS && o.value.type.shape.length === 0);
  const root = projectOf(opts.source, graph.nodes.find((n) => n.loc)?.loc?.file);
  const wrt = opts.wrt ?? "params";
  const trainGraph = lossOut ? differentiate(graph, { wrt }).graph : null;
  const params = sources("param");
  // Programs are lowered from the graphs as the compiler holds them (their locations are made
  // relative with the manifest's); the graph files get relative locations of their own.
  const built = bound.concrete ? precompile(graph, trainGraph, bound.dims, new Set(params.map((p) => p.name)), opts.lower) : null;
  const forward = relocateGraph(graph, root);
  const train = trainGraph && relocateGraph(trainGraph, root);
  const paramsBytes = encodeSafetensors(
    params.map((p) => ({ name: p.name, shape: p.shape as number[], data: Float32Array.from(bound.params.get(p.name)!.data) })),
    { producer: "matprop", model: graph.name },
  );
  const graphs = { forward: GRAPH_FILES.forward, train: train && GRAPH_FILES.train };
  const assembled = assemble({
    name: graph.name,
    inputs: sources("input"),
    params,
    outputs: graph.outputs.map((o) => ({ name: o.name, shape: o.value.type.shape, dtype: o.value.type.dtype })),
    programs: built?.programs ?? null,
    dims: built ? Object.fromEntries([...bound.dims].sort()) : null,
    tiers: built?.tiers ?? [],
    graphs,
    loss: lossOut ? LOSS : null,
    paramsFile: PARAMS_FILE,
  });
  const unhashed = relocate(assembled.manifest, root);
  const encoder = new TextEncoder();
  const contents = new Map<string, Uint8Array>([
    ...unhashed.kernels.map((k, i) => [k.file, encoder.encode(assembled.kernelTexts[i])] as const),
    [GRAPH_FILES.forward, encoder.encode(print(forward))],
    ...(train ? [[GRAPH_FILES.train, encoder.encode(print(train))] as const] : []),
    [PARAMS_FILE, paramsBytes],
  ]);
  const ordered = filesOf(unhashed as Manifest).map((f) => contents.get(f)!);
  const { format, version, ...rest } = unhashed;
  const manifest: Manifest = { format, version, hash: bundleHash(unhashed, ordered), ...rest };
  const manifestText = prettyJSON(manifest) + "\n";
  // What the runtime will check at load time, checked now: a bundle that does not verify is a compiler bug.
  verifyContents(parseManifest(manifestText), ordered);

  const files = new Map<string, string | Uint8Array>();
  files.set("manifest.json", manifestText);
  for (const [file, bytes] of contents) files.set(file, bytes);
  const index = generateIndex(unhashed);
  files.set("index.js", index.js);
  files.set("index.d.ts", index.dts);
  for (const [rel, text] of runtimeFiles()) files.set(rel, text);
  const pkgName = graph.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "bundle";
  const pkg = {
    name: `${pkgName}-matprop-bundle`,
    private: true,
    type: "module",
    main: "./index.js",
    types: "./index.d.ts",
    peerDependencies: { webgpu: ">=0.2" },
    peerDependenciesMeta: { webgpu: { optional: true } },
  };
  files.set("package.json", JSON.stringify(pkg, null, 2) + "\n");
  return { manifest, files };
}

/** JSON with two-space indentation, arrays of numbers on one line (shapes, dispatches, buffer lists). */
function prettyJSON(v: unknown, indent = ""): string {
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "number")) return JSON.stringify(v).replace(/,/g, ", ");
    return v.length ? `[\n${v.map((x) => inner + prettyJSON(x, inner)).join(",\n")}\n${indent}]` : "[]";
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return entries.length ? `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${prettyJSON(x, inner)}`).join(",\n")}\n${indent}}` : "{}";
  }
  return JSON.stringify(v);
}

export function writeBundle(graph: Graph, opts: BuildOptions): BuiltBundle {
  const { manifest, files } = bundleFiles(graph, opts);
  const dir = path.resolve(opts.out);
  // Decided before anything is written or removed (out-dir.ts): which folder, and what is stale there.
  const stale = planBundleDir(dir, files.keys(), opts.out);
  try {
    for (const [rel, contents] of [...files, [FILES_RECORD, recordText(files.keys())] as const]) {
      const file = path.join(dir, ...rel.split("/"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
    }
    removeStale(dir, stale);
  } catch (e) {
    fail("MP4010", `cannot write the bundle to ${dir}: ${(e as Error).message}`);
  }
  return { dir, manifest, files: [...files.keys(), FILES_RECORD] };
}
