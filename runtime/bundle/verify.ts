/**
 * Everything a bundle must pass before any of it runs, with no device needed: the manifest's
 * structure and version (manifest.ts), the content hash over the manifest, every kernel file, both
 * graph files and the params file, the params file's agreement with the manifest, the graphs'
 * agreement with it (graphs.ts), and the precompiled programs' check
 * (codegen/verify-program.ts: buffer sizes, access modes against the WGSL, dispatch
 * coverage, and which value every buffer holds at every step) — so a manifest edited after the
 * build, even with its hash recomputed, is refused instead of returning wrong numbers.
 */
import { checkProgram, ProgramCheckError } from "../../codegen/verify-program.js";
import { bundleFail } from "./errors.js";
import { bundleGraphs, type BundleGraphs } from "./graphs.js";
import { bundleHash } from "./hash.js";
import { parseManifest, type Manifest } from "./manifest.js";
import { programOf } from "./program.js";
import { decodeSafetensors } from "./safetensors.js";

export const FORWARD = "forward pass";
export const TRAINING_STEP = "training step";

export interface VerifiedBundle {
  readonly manifest: Manifest;
  /** WGSL source per manifest kernel. */
  readonly kernels: readonly string[];
  /** Initial param values by name (f32). */
  readonly params: ReadonlyMap<string, Float32Array>;
  readonly graphs: BundleGraphs;
}

/** The graph files of a manifest: forward, then the training step's when there is one. */
const graphFiles = (m: Manifest) => [m.graphs.forward, ...(m.graphs.train === null ? [] : [m.graphs.train])];

/** The files a manifest names, in the order the hash covers them: kernels, graphs, then params. */
export function filesOf(manifest: Manifest): string[] {
  return [...manifest.kernels.map((k) => k.file), ...graphFiles(manifest), manifest.paramsFile];
}

/** Verifies a bundle from its manifest and the contents of the files it names, in `filesOf` order. */
export function verifyContents(manifest: Manifest, files: readonly Uint8Array[]): VerifiedBundle {
  const want = filesOf(manifest).length;
  if (files.length !== want) bundleFail("MP7004", `expected ${want} bundle files, got ${files.length}`);
  const kernelFiles = files.slice(0, manifest.kernels.length);
  const graphTexts = files.slice(manifest.kernels.length, -1);
  const paramsFile = files[files.length - 1];
  const hash = bundleHash(manifest, files);
  if (hash !== manifest.hash) {
    bundleFail("MP7003", `bundle content hash mismatch: the manifest says ${manifest.hash} but its contents hash to ${hash}; the manifest, a kernel or the params file was changed after the build`);
  }
  const tensors = decodeSafetensors(paramsFile);
  const params = new Map<string, Float32Array>();
  for (const p of manifest.params) {
    const t = tensors.get(p.name);
    if (!t) bundleFail("MP7005", `params file lacks param '${p.name}'`);
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) bundleFail("MP7005", `param '${p.name}' is [${t.shape.join(", ")}] in the params file but [${p.shape.join(", ")}] in the manifest`);
    params.set(p.name, t.data);
  }
  if (tensors.size !== manifest.params.length) bundleFail("MP7005", `params file holds tensors the manifest does not declare`);
  const decoder = new TextDecoder();
  const kernels = kernelFiles.map((b) => decoder.decode(b));
  const graphs = bundleGraphs(manifest, graphTexts.map((b) => decoder.decode(b)));
  const programs = manifest.programs ? ([[FORWARD, manifest.programs.forward], [TRAINING_STEP, manifest.programs.train]] as const) : [];
  for (const [which, spec] of programs) {
    if (!spec) continue;
    try {
      checkProgram(programOf(manifest, kernels, spec, which));
    } catch (e) {
      if (e instanceof ProgramCheckError) bundleFail("MP7014", `the ${which} program fails its check: ${e.message}`);
      throw e;
    }
  }
  return { manifest, kernels, params, graphs };
}

/**
 * Validates a whole bundle given manifest.json's text and a reader of the files it names (paths
 * relative to the manifest; the reader is only ever asked for names that passed validation).
 */
export function verifyBundleFiles(manifestText: unknown, read: (path: string) => Uint8Array | undefined): VerifiedBundle {
  const manifest = parseManifest(manifestText);
  const files = filesOf(manifest).map((f) => read(f) ?? bundleFail("MP7004", `bundle file ${f} is missing`));
  return verifyContents(manifest, files);
}
