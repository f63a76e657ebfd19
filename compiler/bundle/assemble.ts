/**
 * The precompiled programs (forward pass, training step; none when the build had no concrete dims)
 * and the graphs' files → one manifest and its kernel files. Kernels
 * are deduplicated by WGSL (with their workgroup size, bindings and workgroup memory): the forward
 * kernels reappear in the training step, and fused elementwise kernels repeat within a program.
 * Dispatch sizes stay per step.
 */
import type { KernelSource } from "../../codegen/kernel.js";
import type { Program } from "../../codegen/program.js";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type KernelSpec, type Manifest, type ProgramSpec, type TensorSpec } from "../../runtime/bundle/manifest.js";

export type UnhashedManifest = Omit<Manifest, "hash">;

export interface Assembled {
  readonly manifest: UnhashedManifest;
  /** WGSL per manifest kernel, in the same order. */
  readonly kernelTexts: readonly string[];
}

export interface AssembleInput {
  readonly name: string;
  readonly inputs: readonly TensorSpec[];
  readonly params: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Lowered for `dims` (valid on `tiers`), or null. */
  readonly programs: { readonly forward: Program; readonly train: Program | null } | null;
  readonly dims: Readonly<Record<string, number>> | null;
  readonly tiers: readonly number[];
  readonly graphs: Manifest["graphs"];
  readonly loss: string | null;
  readonly paramsFile: string;
}

/** A file name from a kernel name: letters, digits, `_` and `-` only. */
function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60) || "kernel";
}

export function assemble(a: AssembleInput): Assembled {
  const kernels: KernelSpec[] = [];
  const kernelTexts: string[] = [];
  const index = new Map<string, number>();
  const kernelOf = (k: KernelSource): number => {
    const meta = {
      workgroupSize: [...k.workgroupSize] as [number, number, number],
      workgroupBytes: k.workgroupBytes ?? 0,
      bindings: k.bindings.map((b) => ({ name: b.name, access: b.access, elements: b.elements })),
      covers: k.covers.map((c) => ({ binding: c.binding, shape: [...c.shape], tile: [...c.tile] })),
    };
    const key = JSON.stringify([k.wgsl, meta]);
    let i = index.get(key);
    if (i === undefined) {
      i = kernels.length;
      index.set(key, i);
      kernels.push({ name: k.name, file: `kernels/${String(i).padStart(3, "0")}-${fileStem(k.name)}.wgsl`, ...meta });
      kernelTexts.push(k.wgsl);
    }
    return i;
  };
  const program = (p: Program): ProgramSpec => ({
    buffers: p.buffers.map((b) => ({ id: b.id, bytes: b.bytes })),
    inputs: p.inputs.map((s) => ({ name: s.name, buffer: s.buffer, value: s.value, shape: [...s.shape], dtype: s.dtype })),
    outputs: p.outputs.map((s) => ({ name: s.name, buffer: s.buffer, ...(s.offset ? { offset: s.offset } : {}), value: s.value, shape: [...s.shape], dtype: s.dtype })),
    ...(p.views?.length ? { views: p.views.map((v) => ({ value: v.value, of: v.of, offset: v.offset })) } : {}),
    steps: p.steps.map((s) => ({
      kernel: kernelOf(s.kernel),
      dispatch: [...s.kernel.dispatch] as [number, number, number],
      buffers: [...s.buffers],
      values: [...s.values],
      nodes: s.nodes.map((n) => ({ ...n })),
      ...(s.checks?.length ? { checks: s.checks.map((c) => ({ ...c })) } : {}),
    })),
  });
  const programs = a.programs && { forward: program(a.programs.forward), train: a.programs.train && program(a.programs.train) };
  return {
    manifest: {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      name: a.name,
      inputs: a.inputs,
      params: a.params,
      outputs: a.outputs,
      loss: a.loss,
      paramsFile: a.paramsFile,
      graphs: a.graphs,
      kernels,
      dims: a.dims,
      tiers: a.tiers,
      programs,
    },
    kernelTexts,
  };
}
