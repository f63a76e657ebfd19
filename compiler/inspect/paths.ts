/**
 * The path of a gradient back to `loss`: for an output `grad.X`, the forward nodes through which
 * X influences the loss (on some path from X to `loss`), and the backward nodes that compute the
 * gradient (everything the gradient output is computed from that belongs to the backward pass).
 * The inspector highlights these and lists the chain loss → … → X with, for each forward node,
 * the backward nodes that differentiate it.
 */
import type { GraphView, NodeView } from "./describe.js";

export interface PathStep {
  /** A forward node on the path. */
  readonly forward: number;
  /** The backward nodes on the path that differentiate it. */
  readonly grads: readonly number[];
}

export interface GradientPath {
  /** The gradient output, e.g. "grad.W". */
  readonly output: string;
  /** The node that computes it. */
  readonly node: number;
  /** The input or param it is the gradient of, when the drawing has it. */
  readonly source?: number;
  /** The node that computes `loss`. */
  readonly loss: number;
  /** Every node on the path: the forward chain, the backward nodes, the gradient output. */
  readonly nodes: readonly number[];
  /** The forward chain from `loss` back to the source (reverse graph order). */
  readonly steps: readonly PathStep[];
}

/** Ids reachable from `start` (itself included) by `next`. */
function reach(start: number, next: (id: number) => readonly number[]): Set<number> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) for (const n of next(todo.pop()!)) if (!seen.has(n)) (seen.add(n), todo.push(n));
  return seen;
}

/** One path per `grad.*` output of a drawing that has a `loss` output; none otherwise. */
export function gradientPaths(view: GraphView, lossName = "loss"): GradientPath[] {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const order = new Map(view.nodes.map((n, i) => [n.id, i]));
  const users = new Map<number, number[]>();
  for (const e of view.edges) users.set(e.from, [...(users.get(e.from) ?? []), e.to]);
  const lossNode = view.nodes.find((n) => n.outputs.includes(lossName));
  if (!lossNode) return [];
  const isForward = (id: number) => !byId.get(id)?.backward;
  const upstreamOfLoss = reach(lossNode.id, (id) => byId.get(id)?.inputs.filter(isForward) ?? []);

  const paths: GradientPath[] = [];
  for (const n of view.nodes) {
    for (const output of n.outputs.filter((o) => o.startsWith("grad."))) {
      const name = output.slice("grad.".length);
      const source = view.nodes.find((s: NodeView) => s.kind === "source" && s.name === name);
      const downstream = source ? reach(source.id, (id) => (users.get(id) ?? []).filter(isForward)) : new Set<number>();
      const forward = [...downstream].filter((id) => upstreamOfLoss.has(id));
      const backward = [...reach(n.id, (id) => byId.get(id)?.inputs ?? [])].filter((id) => byId.get(id)?.backward);
      const nodes = [...new Set([...forward, ...backward, n.id, lossNode.id])].sort((a, b) => order.get(a)! - order.get(b)!);
      const steps = forward
        .sort((a, b) => order.get(b)! - order.get(a)!)
        .map((f) => ({ forward: f, grads: backward.filter((b) => byId.get(b)!.gradOf === f).sort((a, b) => order.get(a)! - order.get(b)!) }));
      paths.push({ output, node: n.id, ...(source ? { source: source.id } : {}), loss: lossNode.id, nodes, steps });
    }
  }
  return paths.sort((a, b) => a.output.localeCompare(b.output));
}
