/**
 * A copy of a graph that keeps only some outputs and the nodes they need (dead-code elimination).
 * Inputs and params are always kept: a program binds every declared source. `relocate` rewrites
 * the source locations on the way (a bundle's graphs name files relative to the model's project).
 */
import type { SourceLoc } from "./diagnostics.js";
import { Graph, type Node, type Value } from "./graph.js";

export function keepOutputs(g: Graph, keep: (name: string) => boolean = () => true, relocate: (loc: SourceLoc) => SourceLoc = (l) => l): Graph {
  const outputs = g.outputs.filter((o) => keep(o.name));
  const live = new Set<Node>();
  const stack = outputs.map((o) => o.value.node);
  while (stack.length) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    for (const v of n.inputs) stack.push(v.node);
  }
  const kept = new Graph(g.name);
  const values = new Map<Value, Value>();
  const nodes = new Map<Node, Node>();
  for (const node of g.nodes) {
    if (!live.has(node) && node.op !== "input" && node.op !== "param") continue;
    const copy = kept.add(node.op, node.inputs.map((v) => values.get(v)!), node.attrs, node.loc && relocate(node.loc), node.gradOf && nodes.get(node.gradOf));
    nodes.set(node, copy);
    node.outputs.forEach((v, i) => values.set(v, copy.outputs[i]));
  }
  for (const o of outputs) kept.setOutput(o.name, values.get(o.value)!);
  return kept;
}
