/**
 * A graph as the inspector shows it: one plain, JSON-serialisable record per node (what its box
 * says and what its details panel lists), the operand edges, and the fused-kernel clusters. The
 * layout, the SVG and the HTML page all read this, never the IR itself.
 */
import type { Graph, Node, Value } from "../../ir/graph.js";
import { getOp, hasOp, opInGroup } from "../../ir/registry.js";
import { printAttr, printType } from "../../ir/print.js";
import type { Kernels } from "./kernels.js";
import type { SourceLinker, SourceRef } from "./source.js";

/** "group": a box standing for several nodes in a collapsed drawing (groups.ts). */
export type NodeKind = "source" | "constant" | "op" | "group";

export interface NodeView {
  readonly id: number;
  readonly op: string;
  /** The box title: the op and its most telling attribute ("input F", "spectralFn log"). */
  readonly title: string;
  readonly kind: NodeKind;
  /** The op's family in the registry (elementwise, movement, reduce, linalg, spectral, nn, source). */
  readonly family: string;
  /** An input's or param's name. */
  readonly name?: string;
  readonly backward: boolean;
  /** Output values as `%n` with their types. */
  readonly values: readonly { readonly name: string; readonly type: string }[];
  readonly attrs: readonly (readonly [string, string])[];
  readonly loc?: SourceRef;
  /** Producer node ids, one per operand. */
  readonly inputs: readonly number[];
  /** Names of the graph outputs this node defines. */
  readonly outputs: readonly string[];
  /** The forward node this backward node differentiates. */
  readonly gradOf?: number;
  /** Backward nodes that differentiate this one. */
  readonly grads: readonly number[];
  /** Names of the kernels that compute this node (more than one when fusion recomputes it). */
  readonly kernels: readonly string[];
  /** Index into `clusters` of the cluster the node is drawn in. */
  readonly cluster?: number;
  /** A group box: the ids of the nodes it stands for, and what they are ("matmul ×3, mul ×2"). */
  readonly members?: readonly number[];
  readonly summary?: string;
}

export interface EdgeView {
  readonly from: number;
  readonly to: number;
  /** Which operand of `to`. */
  readonly operand: number;
}

export interface ClusterView {
  readonly name: string;
  readonly nodes: readonly number[];
}

export interface GraphView {
  readonly name: string;
  readonly backward: boolean;
  readonly nodes: readonly NodeView[];
  readonly edges: readonly EdgeView[];
  readonly clusters: readonly ClusterView[];
  /** Why no clusters are drawn, when none are. */
  readonly kernelNote?: string;
}

function title(n: Node): string {
  const a = n.attrs;
  if (opInGroup(n.op, "source") && typeof a.name === "string") return `${n.op} ${a.name}`;
  if (n.op === "constant" && typeof a.value === "number") return `constant ${a.value}`;
  if (typeof a.fn === "string") return `${n.op} ${a.fn}`;
  return n.op;
}

function familyOf(op: string): string {
  return hasOp(op) ? getOp(op).family : "other";
}

function kindOf(n: Node): NodeKind {
  if (opInGroup(n.op, "source")) return "source";
  return n.op === "constant" || n.op === "dimSize" ? "constant" : "op";
}

function visibleAttrs(n: Node): [string, string][] {
  let hidden: Set<string>;
  try {
    hidden = new Set<string>(getOp(n.op).typeAttrs ?? []);
  } catch {
    hidden = new Set();
  }
  return Object.entries(n.attrs)
    .filter(([k]) => !hidden.has(k))
    .map(([k, v]) => [k, printAttr(v)]);
}

/**
 * Clusters: a kernel's nodes, each node drawn in the kernel it was emitted for, else in the first
 * kernel it was fused into. Only kernels holding two or more drawn nodes become clusters: a kernel
 * of one node is named in that node's details instead.
 */
function clustersOf(kernels: Kernels, ids: ReadonlySet<number>): { clusters: ClusterView[]; home: Map<number, number>; names: Map<number, string[]> } {
  const names = new Map<number, string[]>();
  const home = new Map<number, number>();
  if (!("groups" in kernels)) return { clusters: [], home, names };
  kernels.groups.forEach((k, i) => {
    for (const id of k.nodes) names.set(id, [...(names.get(id) ?? []), k.name]);
    if (ids.has(k.nodes[0])) home.set(k.nodes[0], i);
  });
  kernels.groups.forEach((k, i) => {
    for (const id of k.nodes) if (ids.has(id) && !home.has(id)) home.set(id, i);
  });
  const members = kernels.groups.map((_, i) => [...home].filter(([, k]) => k === i).map(([id]) => id));
  const clusters: ClusterView[] = [];
  const index = new Map<number, number>();
  members.forEach((m, i) => {
    if (m.length < 2) return;
    index.set(i, clusters.length);
    clusters.push({ name: kernels.groups[i].name, nodes: m });
  });
  const drawn = new Map<number, number>();
  for (const [id, k] of home) if (index.has(k)) drawn.set(id, index.get(k)!);
  return { clusters, home: drawn, names };
}

export function describeGraph(g: Graph, kernels: Kernels, link?: SourceLinker): GraphView {
  const valueNames = new Map<Value, string>();
  for (const n of g.nodes) for (const v of n.outputs) valueNames.set(v, `%${valueNames.size}`);
  const ids = new Set(g.nodes.map((n) => n.id));
  const outputs = new Map<number, string[]>();
  for (const o of g.outputs) outputs.set(o.value.node.id, [...(outputs.get(o.value.node.id) ?? []), o.name]);
  const grads = new Map<number, number[]>();
  for (const n of g.nodes) if (n.gradOf && ids.has(n.gradOf.id)) grads.set(n.gradOf.id, [...(grads.get(n.gradOf.id) ?? []), n.id]);
  const { clusters, home, names } = clustersOf(kernels, ids);

  const nodes = g.nodes.map((n): NodeView => {
    const cluster = home.get(n.id);
    return {
      id: n.id,
      op: n.op,
      title: title(n),
      kind: kindOf(n),
      family: familyOf(n.op),
      ...(opInGroup(n.op, "source") && typeof n.attrs.name === "string" ? { name: n.attrs.name } : {}),
      backward: n.gradOf !== undefined,
      values: n.outputs.map((v) => ({ name: valueNames.get(v)!, type: printType(v.type) })),
      attrs: visibleAttrs(n),
      ...(n.loc && link ? { loc: link(n.loc) } : {}),
      inputs: n.inputs.map((v) => v.node.id),
      outputs: outputs.get(n.id) ?? [],
      ...(n.gradOf && ids.has(n.gradOf.id) ? { gradOf: n.gradOf.id } : {}),
      grads: grads.get(n.id) ?? [],
      kernels: names.get(n.id) ?? [],
      ...(cluster !== undefined ? { cluster } : {}),
    };
  });
  const edges = g.nodes.flatMap((n) => n.inputs.map((v, operand): EdgeView => ({ from: v.node.id, to: n.id, operand })));
  const backward = g.nodes.some((n) => n.gradOf !== undefined);
  return { name: g.name, backward, nodes, edges, clusters, ...("reason" in kernels ? { kernelNote: kernels.reason } : {}) };
}
