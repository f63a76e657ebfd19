/**
 * Transposes that only feed matrix products are not materialised: the product (matmul, or cov's
 * FᵀF) reads the untransposed array with swapped strides (numeric/gemm.ts), which gives bitwise
 * the same result without the copy. The backward graphs are full of them (Uᵀ in the eigen
 * adjoints, Xᵀ in the weight gradient of a linear layer, Wᵀ in the layer itself, and the
 * positions × channels view of a conv output that second-order pooling takes).
 */
import type { Graph, Node, Value } from "../../../ir/graph.js";

/** The ops that can read an operand transposed in place, and which operands. */
const READERS: Readonly<Record<string, readonly number[]>> = { matmul: [0, 1], cov: [0] };

export interface TransposedReads {
  /** Transpose nodes left out: every reader reads it in place, and the value is not a graph output. */
  readonly skipped: ReadonlySet<Node>;
  /** Per matmul or cov reading a skipped transpose: which of its inputs to read transposed. */
  readonly reads: ReadonlyMap<Node, readonly boolean[]>;
}

export function planTransposedReads(g: Graph, readers: ReadonlyMap<Value, ReadonlySet<Node>>): TransposedReads {
  const outputs = new Set(g.outputs.map((o) => o.value));
  const skipped = new Set<Node>();
  for (const node of g.nodes) {
    if (node.op !== "transpose") continue;
    const v = node.outputs[0];
    const r = readers.get(v);
    const inPlace = (m: Node) => m.inputs.every((u, i) => u !== v || READERS[m.op]?.includes(i));
    if (!r?.size || outputs.has(v) || ![...r].every(inPlace)) continue;
    skipped.add(node);
  }
  const reads = new Map<Node, readonly boolean[]>();
  for (const node of g.nodes) {
    if (!READERS[node.op]) continue;
    const flags = node.inputs.map((u) => skipped.has(u.node));
    if (flags.some(Boolean)) reads.set(node, flags);
  }
  return { skipped, reads };
}
