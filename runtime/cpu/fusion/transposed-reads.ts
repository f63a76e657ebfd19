/**
 * Transposes that only feed matrix products are not materialised: the product reads the
 * untransposed array with swapped strides (kernels/gemm.ts), which gives bitwise the same result
 * without the copy. The backward graphs are full of them (Uᵀ in the eigen adjoints, Xᵀ in the
 * weight gradient of a linear layer, Wᵀ in the layer itself).
 */
import type { Graph, Node, Value } from "../../../ir/graph.js";

export interface TransposedReads {
  /** Transpose nodes left out: every reader is a matmul, and the value is not a graph output. */
  readonly skipped: ReadonlySet<Node>;
  /** Per matmul reading a skipped transpose: which operands to read transposed. */
  readonly matmuls: ReadonlyMap<Node, readonly [boolean, boolean]>;
}

export function planTransposedReads(g: Graph, readers: ReadonlyMap<Value, ReadonlySet<Node>>): TransposedReads {
  const outputs = new Set(g.outputs.map((o) => o.value));
  const skipped = new Set<Node>();
  for (const node of g.nodes) {
    if (node.op !== "transpose") continue;
    const v = node.outputs[0];
    const r = readers.get(v);
    if (!r?.size || outputs.has(v) || ![...r].every((m) => m.op === "matmul")) continue;
    skipped.add(node);
  }
  const matmuls = new Map<Node, readonly [boolean, boolean]>();
  for (const node of g.nodes) {
    if (node.op !== "matmul") continue;
    const flags = [skipped.has(node.inputs[0].node), skipped.has(node.inputs[1].node)] as const;
    if (flags[0] || flags[1]) matmuls.set(node, flags);
  }
  return { skipped, matmuls };
}
