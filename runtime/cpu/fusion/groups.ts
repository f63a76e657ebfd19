/**
 * Which elementwise nodes the CPU executor evaluates together in one loop: a group is a root node
 * and the elementwise nodes feeding it whose values nothing else reads (no other node, no graph
 * output) and that have the root's shape, so each is computed once per output element and never
 * stored. The values entering a group from outside are its inputs; they may broadcast.
 */
import type { Graph, Node, Value } from "../../../ir/graph.js";
import type { Shape } from "../../../ir/types.js";
import { isFusable } from "./templates.js";
import { planTransposedReads, type TransposedReads } from "./transposed-reads.js";

export interface Group {
  /** The node whose value the group stores. */
  readonly root: Node;
  /** Member nodes in graph (topological) order, the root last. */
  readonly nodes: readonly Node[];
  /** Values read from outside the group, in order of first use. */
  readonly inputs: readonly Value[];
}

export interface FusionPlan {
  /** Groups by root node. */
  readonly groups: ReadonlyMap<Node, Group>;
  /** Nodes whose values are never materialised: group members that are not roots, and transposes read only by matmuls. */
  readonly interior: ReadonlySet<Node>;
  readonly transposed: TransposedReads;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function planFusion(g: Graph): FusionPlan {
  const readers = new Map<Value, Set<Node>>();
  for (const node of g.nodes) for (const v of node.inputs) (readers.get(v) ?? readers.set(v, new Set()).get(v)!).add(node);
  const outputs = new Set(g.outputs.map((o) => o.value));
  const order = new Map(g.nodes.map((n, i) => [n, i]));
  const groups = new Map<Node, Group>();
  const interior = new Set<Node>();

  // Walk from the last node back: a fusable node not yet absorbed by a later group is a root.
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const root = g.nodes[i];
    if (!isFusable(root.op) || interior.has(root)) continue;
    const shape = root.outputs[0].type.shape;
    const members = new Set<Node>([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const m of [...members]) {
        for (const v of m.inputs) {
          const p = v.node;
          if (members.has(p) || !isFusable(p.op) || outputs.has(v) || !sameShape(v.type.shape, shape)) continue;
          if ([...readers.get(v)!].every((r) => members.has(r))) {
            members.add(p);
            grew = true;
          }
        }
      }
    }
    const nodes = [...members].sort((a, b) => order.get(a)! - order.get(b)!);
    const inputs: Value[] = [];
    for (const m of nodes) for (const v of m.inputs) if (!members.has(v.node) && !inputs.includes(v)) inputs.push(v);
    groups.set(root, { root, nodes, inputs });
    for (const m of nodes) if (m !== root) interior.add(m);
  }
  const transposed = planTransposedReads(g, readers);
  for (const t of transposed.skipped) interior.add(t);
  return { groups, interior, transposed };
}
