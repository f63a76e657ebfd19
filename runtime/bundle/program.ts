/**
 * A manifest's program spec as the runtime's Program: each step's kernel index resolved to the
 * kernel's WGSL (from the bundle's files) with the step's dispatch.
 */
import type { KernelSource } from "../../codegen/kernel.js";
import type { Program } from "../../codegen/program.js";
import type { Manifest, ProgramSpec } from "./manifest.js";

export function kernelSource(m: Manifest, wgsl: readonly string[], index: number, dispatch: readonly [number, number, number]): KernelSource {
  const k = m.kernels[index];
  return { name: k.name, wgsl: wgsl[index], workgroupSize: k.workgroupSize, dispatch, bindings: k.bindings, covers: k.covers, workgroupBytes: k.workgroupBytes };
}

export function programOf(m: Manifest, wgsl: readonly string[], spec: ProgramSpec, which: string): Program {
  return {
    name: `${m.name} (${which})`,
    buffers: spec.buffers,
    inputs: spec.inputs,
    outputs: spec.outputs,
    ...(spec.views ? { views: spec.views } : {}),
    steps: spec.steps.map((s) => ({ kernel: kernelSource(m, wgsl, s.kernel, s.dispatch), buffers: s.buffers, values: s.values, nodes: s.nodes, ...(s.checks ? { checks: s.checks } : {}) })),
  };
}
