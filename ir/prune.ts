/**
 * A copy of a graph that keeps only some outputs and the nodes they need (dead-code elimination).
 * Inputs and params are always kept: a program binds every declared source. `relocate` rewrites
 * the source locations on the way (a bundle's graphs name files relative to the model's project).
 */
import type { SourceLoc } from "./diagnostics.js";
import type { Attrs } from "./attrs.js";
import { Graph, type Node, type Value } from "./graph.js";

/** How `copyNodes` copies: which nodes, with which attributes and source locations. */
export interface CopyOptions {
  readonly keep?: (node: Node) => boolean;
  readonly attrs?: (node: Node) => Attrs;
  readonly relocate?: (loc: SourceLoc) => SourceLoc;
}

/**
 * Appends copies of `g`'s nodes (those `keep` allows, in order; each re-typed by its op) to `into`;
 * returns the map from `g`'s values to their copies. Graph rewrites that keep the node order build on it.
 */
export function copyNodes(g: Graph, into: Graph, opts: CopyOptions = {}): Map<Value, Value> {
  const values = new Map<Value, Value>();
  const nodes = new Map<Node, Node>();
  for (const node of g.nodes) {
    if (opts.keep && !opts.keep(node)) continue;
    const loc = node.loc && (opts.relocate ? opts.relocate(node.loc) : node.loc);
    const copy = into.add(node.op, node.inputs.map((v) => values.get(v)!), opts.attrs ? opts.attrs(node) : node.attrs, loc, node.gradOf && nodes.get(node.gradOf));
    nodes.set(node, copy);
    node.outputs.forEach((v, i) => values.set(v, copy.outputs[i]));
  }
  return values;
}

/** `g` with only the outputs `keep` allows and the nodes they need (sources always kept). */
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
  const values = copyNodes(g, kept, { keep: (node) => live.has(node) || node.op === "input" || node.op === "param", relocate });
  for (const o of outputs) kept.setOutput(o.name, values.get(o.value)!);
  return kept;
}
