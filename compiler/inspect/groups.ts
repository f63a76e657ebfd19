/**
 * Collapsed drawings for graphs too large to read node by node: the nodes of a group become one
 * box, and edges between groups one edge. Three groupings, each a question a reader asks of a
 * backward graph:
 * - "forward": the backward nodes that differentiate one forward node (∂ spectralFn log) — the
 *   backward graph then mirrors the forward one;
 * - "kernel": the nodes fusion put into one WebGPU kernel;
 * - "family": connected runs of one op family (an elementwise chain, a stack of movements).
 * A group of one node stays that node.
 */
import type { EdgeView, GraphView, NodeView } from "./describe.js";

export type Grouping = "forward" | "kernel" | "family";
export const GROUPINGS: readonly Grouping[] = ["forward", "kernel", "family"];

export interface NodeGroup {
  readonly title: string;
  /** Member ids in graph order. */
  readonly members: readonly number[];
  /** The forward node a "forward" group differentiates. */
  readonly gradOf?: number;
}

function byForwardNode(view: GraphView, byId: ReadonlyMap<number, NodeView>): NodeGroup[] {
  const groups = new Map<number, number[]>();
  for (const n of view.nodes) if (n.backward && n.gradOf !== undefined) groups.set(n.gradOf, [...(groups.get(n.gradOf) ?? []), n.id]);
  return [...groups].map(([of, members]) => ({ title: `∂ ${byId.get(of)?.title ?? `node ${of}`}`, members, gradOf: of }));
}

function byKernel(view: GraphView): NodeGroup[] {
  return view.clusters.map((c) => ({ title: `kernel ${c.name}`, members: [...c.nodes].sort((a, b) => a - b) }));
}

/** Connected components of the edges between ops of one family on one side (forward or backward). */
function byFamily(view: GraphView, byId: ReadonlyMap<number, NodeView>): NodeGroup[] {
  const parent = new Map(view.nodes.map((n) => [n.id, n.id]));
  const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
  const sameRun = (a: NodeView, b: NodeView) => a.kind === "op" && b.kind === "op" && a.family === b.family && a.backward === b.backward;
  for (const e of view.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (a && b && sameRun(a, b)) parent.set(find(a.id), find(b.id));
  }
  const components = new Map<number, number[]>();
  for (const n of view.nodes) components.set(find(n.id), [...(components.get(find(n.id)) ?? []), n.id]);
  return [...components.values()].map((members) => {
    const first = byId.get(members[0])!;
    return { title: `${first.backward ? "∂ " : ""}${first.family} ×${members.length}`, members };
  });
}

/** The groups of `view` under `by` that hold two or more nodes. */
export function groupsOf(view: GraphView, by: Grouping): NodeGroup[] {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const all = by === "forward" ? byForwardNode(view, byId) : by === "kernel" ? byKernel(view) : byFamily(view, byId);
  return all.filter((g) => g.members.length > 1);
}

/** "matmul ×4, transpose ×2, add": the ops of a group, most frequent first. */
function opSummary(members: readonly NodeView[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.op, (counts.get(m.op) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([op, k]) => (k > 1 ? `${op} ×${k}` : op))
    .join(", ");
}

/**
 * `view` with each group of `by` drawn as one box (ids above the graph's own). Group boxes list
 * their members; edges into, out of and between groups are kept once; a forward group keeps its
 * link to the node it differentiates. Kernel clusters are not drawn in a collapsed view.
 */
export function collapseView(view: GraphView, by: Grouping): GraphView {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const groups = groupsOf(view, by);
  const firstId = Math.max(-1, ...view.nodes.map((n) => n.id)) + 1;
  const drawnAs = new Map<number, number>(view.nodes.map((n) => [n.id, n.id]));
  groups.forEach((g, i) => g.members.forEach((m) => drawnAs.set(m, firstId + i)));
  const drawn = (id: number) => drawnAs.get(id) ?? id;
  const unique = (ids: readonly number[], self: number) => [...new Set(ids.map(drawn))].filter((id) => id !== self);

  const groupNode = (g: NodeGroup, id: number): NodeView => {
    const members = g.members.map((m) => byId.get(m)!);
    const families = new Set(members.map((m) => m.family));
    return {
      id,
      op: "group",
      title: g.title,
      kind: "group",
      family: families.size === 1 ? members[0].family : "mixed",
      backward: members.every((m) => m.backward),
      values: [],
      attrs: [],
      ...(members[0].loc ? { loc: members[0].loc } : {}),
      inputs: unique(members.flatMap((m) => m.inputs), id),
      outputs: members.flatMap((m) => m.outputs),
      ...(g.gradOf !== undefined ? { gradOf: drawn(g.gradOf) } : {}),
      grads: unique(members.flatMap((m) => m.grads), id),
      kernels: [...new Set(members.flatMap((m) => m.kernels))],
      members: g.members,
      summary: `${members.length} nodes: ${opSummary(members)}`,
    };
  };

  const nodes: NodeView[] = [];
  const placed = new Set<number>();
  for (const n of view.nodes) {
    const id = drawn(n.id);
    if (placed.has(id)) continue;
    placed.add(id);
    if (id !== n.id) {
      nodes.push(groupNode(groups[id - firstId], id));
      continue;
    }
    const { cluster: _cluster, ...plain } = n;
    nodes.push({ ...plain, inputs: n.inputs.map(drawn), grads: unique(n.grads, id), ...(n.gradOf !== undefined ? { gradOf: drawn(n.gradOf) } : {}) });
  }
  const edges: EdgeView[] = [];
  const seen = new Set<string>();
  for (const e of view.edges) {
    const from = drawn(e.from);
    const to = drawn(e.to);
    const key = `${from}>${to}`;
    if (from === to || seen.has(key)) continue;
    seen.add(key);
    edges.push({ from, to, operand: e.operand });
  }
  return { name: view.name, backward: view.backward, nodes, edges, clusters: [] };
}
