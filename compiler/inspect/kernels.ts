/**
 * Which WebGPU kernels fusion formed: the lowering's dispatch steps, grouped by the IR node each
 * was emitted for (a node lowered to several dispatches, like eigh's Jacobi sweep and its sort, is
 * one kernel here) with the expression nodes fused into it. The inspector draws these as clusters.
 */
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { lowerGraph } from "../../codegen/lower.js";

export interface KernelGroup {
  /** The dispatch names, e.g. "eigh_jacobi_1x4x4 + spectral_log". */
  readonly name: string;
  /** Ids of the IR nodes computed by these dispatches, the node they were emitted for first. */
  readonly nodes: readonly number[];
}

export type Kernels = { readonly groups: readonly KernelGroup[] } | { readonly reason: string };

/**
 * The kernels of `g` with named dims sized by `dims`, or why there are none (an unbound dim, an op
 * without a WebGPU lowering): the inspector then draws the graph without clusters.
 */
export function kernelGroups(g: Graph, dims: ReadonlyMap<string, number> | undefined): Kernels {
  const named = [...new Set(g.nodes.flatMap((n) => n.outputs.flatMap((v) => v.type.shape)).filter((d): d is string => typeof d === "string"))];
  const unbound = named.filter((d) => !dims?.has(d));
  if (unbound.length) return { reason: `named dim${unbound.length > 1 ? "s" : ""} ${unbound.join(", ")} not bound (give --inputs)` };
  let steps;
  try {
    steps = lowerGraph(g, dims ?? new Map()).program.steps;
  } catch (e) {
    // Lowering is incomplete for some ops; the drawing must not depend on it.
    if (e instanceof MatpropError || e instanceof Error) return { reason: `not lowered to WebGPU: ${e.message}` };
    return { reason: "not lowered to WebGPU" };
  }
  const byPrimary = new Map<number, { names: string[]; nodes: Set<number> }>();
  for (const s of steps) {
    if (!s.nodes.length) continue;
    const key = s.nodes[0].id;
    const group = byPrimary.get(key) ?? { names: [], nodes: new Set<number>() };
    byPrimary.set(key, group);
    group.names.push(s.kernel.name);
    for (const n of s.nodes) group.nodes.add(n.id);
  }
  return { groups: [...byPrimary.values()].map((k) => ({ name: k.names.join(" + "), nodes: [...k.nodes] })) };
}
