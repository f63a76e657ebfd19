/**
 * A step's check sites: each status word its kernel declares (KernelCheck) resolved against the
 * graph to the IR node it belongs to — the node's op, DSL source line and position in the graph's
 * evaluation order — so the runtime can report a device-side failure as the CPU executor would.
 */
import { formatLoc } from "../ir/diagnostics.js";
import type { Graph, Node } from "../ir/graph.js";
import type { KernelSource } from "./kernel.js";
import type { CheckSite } from "./program.js";

/** Numeric failures while running: the code the CPU executor gives for every one of them. */
export const NUMERIC_FAILURE = "MP5001";

/** Nodes by id with their position in the graph's order, for `stepChecks`. */
export function nodeOrder(g: Graph): Map<number, { node: Node; order: number }> {
  return new Map(g.nodes.map((node, order) => [node.id, { node, order }]));
}

/**
 * The check sites of a step running `kernel`, lowered for node `own` (the node a check without a
 * node of its own belongs to); undefined when the kernel checks nothing.
 */
export function stepChecks(kernel: KernelSource, own: Node, nodes: ReadonlyMap<number, { node: Node; order: number }>): CheckSite[] | undefined {
  if (!kernel.checks?.length) return undefined;
  return kernel.checks.map((c, word) => {
    const at = nodes.get(c.node ?? own.id);
    if (!at) throw new Error(`kernel '${kernel.name}' checks node ${c.node}, which is not in the graph`);
    const { node, order } = at;
    return { word, code: NUMERIC_FAILURE, message: c.message, node: node.id, order, op: node.op, ...(node.loc ? { loc: formatLoc(node.loc) } : {}) };
  });
}
