/**
 * Graph → kernel program, as passes with explicit data between them:
 *
 *   fuse (fuse.ts)          which nodes form one kernel; what each kernel reads and writes
 *   schedule (schedule.ts)  a topological order of the kernels over those dependencies
 *   emit (emit.ts)          WGSL dispatches bound to value ids
 *   plan (plan.ts)          buffers by liveness (a reshape of a buffered value is a view of its buffer)
 *   verify (verify.ts)      the finished Program checked on its own: which value every buffer holds
 *
 * With `fuse: false` every node gets its own kernel and buffer: the unfused baseline that
 * `matprop stats` compares against.
 */
import { formatLoc } from "../ir/diagnostics.js";
import type { Graph, Value } from "../ir/graph.js";
import type { Program, TensorSlot } from "./program.js";
import { emitKernels } from "./emit.js";
import { fuseGraph } from "./fuse.js";
import { lifetimesOf, planBuffers } from "./plan.js";
import { scheduleKernels } from "./schedule.js";
import { verifyLowered } from "./verify.js";
import { nodeOrder, stepChecks } from "./checks.js";

export interface LowerOptions {
  /** Fuse elementwise ops into their consumers (default true). */
  readonly fuse?: boolean;
  readonly workgroupStorageBytes?: number;
  /** The Jacobi solvers' sweep cap (default kernels/linalg MAX_SWEEPS): tests lower it to see an unconverged solver reported. */
  readonly maxSweeps?: number;
  /**
   * Inputs and params (by name) that keep a buffer of their own for the whole program: a resident
   * program binds them to buffers that outlive it (params and optimizer state on the device).
   */
  readonly pinned?: ReadonlySet<string>;
}

export interface Lowered {
  readonly program: Program;
  /** Bytes with one buffer per value, for comparison with the plan. */
  readonly naiveBytes: number;
}

export function lowerGraph(g: Graph, dims: ReadonlyMap<string, number>, opts: LowerOptions = {}): Lowered {
  const fusion = fuseGraph(g, dims, { fuse: opts.fuse });
  const sources = g.sources().map((n) => n.outputs[0]);
  const scheduled = scheduleKernels(fusion.kernels, sources.map((v) => v.id), fusion.views);
  const steps = emitKernels(scheduled, fusion, { workgroupStorageBytes: opts.workgroupStorageBytes ?? 16384, maxSweeps: opts.maxSweeps });
  const elements = (v: Value) => fusion.shape(v).reduce((p, d) => p * d, 1);
  // A pinned source lives to the end, as an output does: no other value ever shares its buffer.
  const pinned = sources.filter((v) => opts.pinned?.has(v.node.attrs.name as string));
  const plan = planBuffers(
    lifetimesOf(
      steps,
      new Map(sources.map((v) => [v.id, elements(v)])),
      new Map([...g.outputs.map((o) => o.value), ...pinned].map((v) => [v.id, elements(v)])),
      fusion.views,
    ),
  );
  const order = nodeOrder(g);
  const bufferOf = (id: number) => plan.bufferOf.get(fusion.views.get(id) ?? id)!;
  const slot = (name: string, v: Value): TensorSlot => ({ name, buffer: bufferOf(v.id), value: v.id, shape: fusion.shape(v), dtype: v.type.dtype });
  const program: Program = {
    name: g.name,
    buffers: plan.buffers,
    ...(fusion.views.size ? { views: [...fusion.views].map(([value, of]) => ({ value, of, offset: 0 })) } : {}),
    inputs: g.sources().map((n) => slot(n.attrs.name as string, n.outputs[0])),
    outputs: g.outputs.map((o) => slot(o.name, o.value)),
    steps: steps.map((s) => ({
      kernel: s.kernel,
      buffers: s.values.map(bufferOf),
      values: s.values,
      nodes: s.nodes.map((n) => ({ id: n.id, op: n.op, ...(n.loc ? { loc: formatLoc(n.loc) } : {}) })),
      ...(s.kernel.checks?.length ? { checks: stepChecks(s.kernel, s.root, order) } : {}),
    })),
  };
  verifyLowered(g, fusion.shape, program);
  return { program, naiveBytes: plan.naiveBytes };
}
