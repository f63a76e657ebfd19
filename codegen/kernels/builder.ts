/**
 * Assembling a generated kernel: storage bindings for the values its expressions load (read) and
 * the values it writes (read_write), the WGSL prelude, and the entry point. Returns the kernel and
 * the IR value ids bound, in binding order, for the planner to map onto buffers. A kernel whose
 * expressions check their domain also gets the status binding (runtime/webgpu/status.ts) and one
 * status word per distinct (node, failure).
 */
import type { Coverage, KernelCheck, KernelSource } from "../kernel.js";
import { STATUS_WGSL } from "../status-wgsl.js";
import { EXPR_PRELUDE, WgslEmitter } from "../expr.js";

export interface BuiltKernel {
  readonly kernel: KernelSource;
  /** Value ids in binding order (inputs, then outputs). */
  readonly values: readonly number[];
}

/** A value the kernel writes and the shape it writes it at. */
export interface KernelOutput {
  readonly value: number;
  readonly shape: readonly number[];
}

const count = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

export class KernelBuilder {
  private readonly reads: { value: number; elements: number }[] = [];
  private readonly checks: KernelCheck[] = [];
  readonly emitter: WgslEmitter;

  constructor(private readonly outputs: readonly KernelOutput[]) {
    this.emitter = new WgslEmitter(
      (v, shape) => this.input(v, shape),
      (c) => this.check(c),
    );
  }

  /** The status word of a failure (the same word for the same node and message). */
  check(c: KernelCheck): number {
    const k = this.checks.findIndex((x) => x.node === c.node && x.message === c.message);
    return k >= 0 ? k : this.checks.push(c) - 1;
  }

  /** The WGSL name of a materialised input value of `shape`. */
  input(value: number, shape: readonly number[]): string {
    let k = this.reads.findIndex((r) => r.value === value);
    if (k < 0) k = this.reads.push({ value, elements: count(shape) }) - 1;
    else if (this.reads[k].elements !== count(shape)) throw new Error(`value %${value} loaded with two sizes (${this.reads[k].elements} and ${count(shape)} elements)`);
    return `in${k}`;
  }

  output(k: number): string {
    return `out${k}`;
  }

  /** The emitter's pending statements, taken (so the next expression starts a fresh block). */
  take(): string[] {
    return this.emitter.take();
  }

  /**
   * `covers` (one per output, in output order) says how the dispatch tiles each output: its view of
   * the output's elements and the block one workgroup computes.
   */
  finish(name: string, main: string, workgroupSize: [number, number, number], dispatch: [number, number, number], covers: readonly Omit<Coverage, "binding">[], workgroupBytes = 0): BuiltKernel {
    const decls = [
      ...this.reads.map((_, k) => `@group(0) @binding(${k}) var<storage, read> in${k}: array<f32>;`),
      ...this.outputs.map((_, k) => `@group(0) @binding(${this.reads.length + k}) var<storage, read_write> out${k}: array<f32>;`),
    ];
    const status = this.checks.length ? [STATUS_WGSL] : [];
    const wgsl = [...decls, ...status, EXPR_PRELUDE, main].join("\n");
    const bindings = [
      ...this.reads.map((r, k) => ({ name: `in${k}`, access: "read" as const, elements: r.elements })),
      ...this.outputs.map((o, k) => ({ name: `out${k}`, access: "read_write" as const, elements: count(o.shape) })),
    ];
    const coverage = covers.map((c, k) => ({ binding: this.reads.length + k, ...c }));
    const checks = this.checks.length ? { checks: [...this.checks] } : {};
    return { kernel: { name, wgsl, workgroupSize, dispatch, bindings, covers: coverage, workgroupBytes, ...checks }, values: [...this.reads.map((r) => r.value), ...this.outputs.map((o) => o.value)] };
  }
}

/** The linear invocation index of a 1-D launch split over a 2-D grid (see codegen/kernel.ts grid). */
export const LINEAR_INDEX = "let idx = gid.x + gid.y * nwg.x * WG;";
export const MAIN_SIGNATURE = "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u)";
