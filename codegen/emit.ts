/**
 * Emission, the third pass of the lowering: each scheduled kernel becomes one or more WGSL
 * dispatches (through the op's lowering, lowering.ts, or the fused elementwise kernel), each bound
 * to IR value ids — negative ids are the kernel's temporaries, such as an eigensolver's
 * eigenvectors inside `logm`. Checks that a kernel binds only what fusion said it reads and writes
 * (the values the schedule was built on) and its own temporaries.
 */
import { fail } from "../ir/diagnostics.js";
import type { Node } from "../ir/graph.js";
import type { KernelSource } from "./kernel.js";
import { describeKernel, type FusedKernel, type Fusion } from "./fuse.js";
import type { BuiltKernel } from "./kernels/scaffold.js";
import { mapKernel } from "./kernels/map.js";
import type { LowerContext } from "./lowering.js";
import { getLowering } from "./lowerings/index.js";

export interface EmittedStep {
  readonly kernel: KernelSource;
  /** The value id bound at each binding: read where the binding is "read", written where "read_write". */
  readonly values: readonly number[];
  /** The IR nodes the dispatch computes (for messages and the inspector). */
  readonly nodes: readonly Node[];
  /** The node the kernel was lowered for: where its checks without a node of their own belong (checks.ts). */
  readonly root: Node;
}

export interface EmitOptions {
  readonly workgroupStorageBytes: number;
  /** The Jacobi solvers' sweep cap, when not the default. */
  readonly maxSweeps?: number;
}

export function emitKernels(scheduled: readonly FusedKernel[], fusion: Fusion, opts: EmitOptions): EmittedStep[] {
  const steps: EmittedStep[] = [];
  let nextTemp = -1;
  const names = new Map<string, number>();
  const name = (base: string) => {
    const k = names.get(base) ?? 0;
    names.set(base, k + 1);
    return k ? `${base}_${k}` : base;
  };
  for (const fk of scheduled) {
    /** This kernel's temporaries and their element counts. */
    const temps = new Map<number, number>();
    const add = (kernel: KernelSource, values: readonly number[], nodes: readonly Node[]) => {
      if (values.length !== kernel.bindings.length) fail("MP9001", `lowering: ${describeKernel(fk.nodes)} binds ${values.length} values to the ${kernel.bindings.length} bindings of '${kernel.name}'`);
      kernel.bindings.forEach((b, j) => {
        const v = values[j];
        const declared = b.access === "read" ? fk.reads.has(v) : fk.writes.includes(v);
        if (temps.has(v) && temps.get(v) !== b.elements) fail("MP9001", `lowering: '${kernel.name}' of ${describeKernel(fk.nodes)} binds temporary %${v} of ${temps.get(v)} elements to '${b.name}', which has ${b.elements}`);
        if (!declared && !temps.has(v)) fail("MP9001", `lowering: ${describeKernel(fk.nodes)} binds %${v} to '${b.name}' (${b.access}) of '${kernel.name}', which fusion did not list among its ${b.access === "read" ? "reads" : "writes"}`);
      });
      steps.push({ kernel, values: [...values], nodes, root: fk.root });
    };
    if (fk.kind === "map") {
      const k = mapKernel(name(`map_${fk.root.op}`), fk.expr!, fk.root.outputs[0].id);
      add(k.kernel, k.values, fk.nodes);
      continue;
    }
    const n = fk.root;
    const epi = fk.epilogue;
    const ctx: LowerContext = {
      node: n,
      shape: fusion.shape,
      expr: fusion.exprOf,
      epilogue: epi?.expr,
      out: (i = 0) => (epi ? epi.consumer.outputs[0].id : n.outputs[i].id),
      absorbed: fk.absorbed,
      temp: (shape) => {
        const id = nextTemp--;
        temps.set(id, shape.reduce((p, d) => p * d, 1));
        return id;
      },
      emit: (k: BuiltKernel) => add(k.kernel, k.values, fk.nodes),
      emitSource: (k, values) => add(k, values, fk.nodes),
      name,
      workgroupStorageBytes: opts.workgroupStorageBytes,
      ...(opts.maxSweeps === undefined ? {} : { maxSweeps: opts.maxSweeps }),
    };
    getLowering(n.op)!.lower(ctx);
  }
  return steps;
}
