/**
 * Assembling a generated kernel: storage bindings for the values its expressions load (read) and
 * the values it writes (read_write), the WGSL prelude, and the entry point. Returns the kernel and
 * the IR value ids bound, in binding order, for the planner to map onto buffers.
 */
import type { KernelSource } from "../../../runtime/webgpu/kernel.js";
import { EXPR_PRELUDE, WgslEmitter } from "../expr.js";

export interface BuiltKernel {
  readonly kernel: KernelSource;
  /** Value ids in binding order (inputs, then outputs). */
  readonly values: readonly number[];
}

export class KernelBuilder {
  private readonly reads: number[] = [];
  readonly emitter: WgslEmitter;

  constructor(private readonly outputs: readonly number[]) {
    this.emitter = new WgslEmitter((v) => this.input(v));
  }

  /** The WGSL name of a materialised input value. */
  input(value: number): string {
    let k = this.reads.indexOf(value);
    if (k < 0) k = this.reads.push(value) - 1;
    return `in${k}`;
  }

  output(k: number): string {
    return `out${k}`;
  }

  /** The emitter's pending statements, taken (so the next expression starts a fresh block). */
  take(): string[] {
    return this.emitter.take();
  }

  finish(name: string, main: string, workgroupSize: [number, number, number], dispatch: [number, number, number], extra = "", workgroupBytes = 0): BuiltKernel {
    const decls = [
      ...this.reads.map((_, k) => `@group(0) @binding(${k}) var<storage, read> in${k}: array<f32>;`),
      ...this.outputs.map((_, k) => `@group(0) @binding(${this.reads.length + k}) var<storage, read_write> out${k}: array<f32>;`),
    ];
    const wgsl = [...decls, EXPR_PRELUDE, extra, main].join("\n");
    const bindings = [...this.reads.map((_, k) => ({ name: `in${k}`, access: "read" as const })), ...this.outputs.map((_, k) => ({ name: `out${k}`, access: "read_write" as const }))];
    return { kernel: { name, wgsl, workgroupSize, dispatch, bindings, workgroupBytes }, values: [...this.reads, ...this.outputs] };
  }
}

/** The linear invocation index of a 1-D launch split over a 2-D grid (see runtime/webgpu/kernel.ts grid). */
export const LINEAR_INDEX = "let idx = gid.x + gid.y * nwg.x * WG;";
export const MAIN_SIGNATURE = "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u)";
