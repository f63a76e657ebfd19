/**
 * The directions `gradcheck` may move an input in. A symmetric input (declared, or a general one
 * that reaches `ops.assume(·, "symmetric" | "spd")` through elementwise maps) moves by E_ij + E_ji,
 * where its gradient is defined against symmetric directions only and a lone E_ij would fail the
 * assertion; a diagonal one by its diagonal entries; an orthogonal matrix or a projector has no
 * straight-line direction that keeps its structure, so it is not perturbed (and says so).
 */
import type { Graph, Node, Value } from "../ir/graph.js";
import { getOp } from "../ir/registry.js";
import { isSymmetric, type Structure } from "../ir/types.js";
import { matrixBatch, type NDArray } from "../numeric/ndarray.js";

export type Directions = "entries" | "symmetric" | "diagonal" | "none";

function fromStructure(s: Structure): Directions {
  if (s === "diagonal") return "diagonal";
  if (s === "orthogonal" || s === "projector") return "none";
  return isSymmetric(s) ? "symmetric" : "entries";
}

/** The most constrained of two direction sets (none ⊂ diagonal ⊂ symmetric ⊂ entries). */
function meet(a: Directions, b: Directions): Directions {
  const order: Directions[] = ["none", "diagonal", "symmetric", "entries"];
  return order[Math.min(order.indexOf(a), order.indexOf(b))];
}

const scalarLike = (v: Value) => v.type.shape.every((d) => d === 1);

/**
 * Structure asserted on `source` downstream: follows its value through elementwise ops (whose other
 * operand is a scalar) to the `assume` nodes it reaches; each such map keeps a symmetric argument
 * symmetric, so the assertion holds of the input itself.
 */
function assertedDownstream(g: Graph, source: Node): Directions {
  const consumers = new Map<Value, Node[]>();
  for (const n of g.nodes) for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  let found: Directions = "entries";
  const seen = new Set<Value>();
  const stack = [source.outputs[0]];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const n of consumers.get(v) ?? []) {
      if (n.op === "assume") found = meet(found, fromStructure(n.attrs.structure as Structure));
      const elementwise = getOp(n.op).family === "elementwise" && n.outputs[0].type.shape.length === v.type.shape.length;
      if (elementwise && n.inputs.every((u) => u === v || scalarLike(u))) stack.push(n.outputs[0]);
    }
  }
  return found;
}

/** How `source` (an input or param node of `g`) is perturbed. */
export function directionsFor(g: Graph, source: Node): Directions {
  const declared = fromStructure(source.outputs[0].type.structure);
  return declared === "entries" ? assertedDownstream(g, source) : declared;
}

/** The index sets of the directions: each moves those entries of `x` together by +h. */
export function directions(x: NDArray, kind: Directions): number[][] {
  if (kind === "entries") return Array.from(x.data, (_, i) => [i]);
  if (kind === "none") return [];
  const { rows: n, count } = matrixBatch(x);
  const out: number[][] = [];
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      out.push([o + i * n + i]);
      if (kind === "symmetric") for (let j = i + 1; j < n; j++) out.push([o + i * n + j, o + j * n + i]);
    }
  }
  return out;
}
