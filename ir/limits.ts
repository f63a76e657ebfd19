/**
 * Size limits on the tensors a graph declares, so that a typo like `param("W", [100000, 100000])`
 * (10¹⁰ entries, 80 GB in float64) is a coded error at the DSL line when the graph is built —
 * naming the tensor — instead of an allocation failure deep inside a run. Every value's element
 * count is checked when its node is added (numeric dims) and again once a run binds the named dims.
 * The limit is a setting: `--max-elements N` on the command line, `setMaxElements(n)` from code.
 */
import { fail, type SourceLoc } from "./diagnostics.js";
import type { Graph, Node } from "./graph.js";
import { formatShape, type Dim, type Shape } from "./types.js";
import { opInGroup } from "./registry.js";
import { DEFAULT_MAX_ELEMENTS } from "./limit-defaults.js";

export { DEFAULT_MAX_ELEMENTS };
/** Largest element count any setting allows: typed arrays hold at most 2³² − 1 entries. */
const HARD_MAX_ELEMENTS = 2 ** 32 - 1;
/** Largest rank of a tensor. */
export const MAX_RANK = 64;

let maxElements = DEFAULT_MAX_ELEMENTS;

export function setMaxElements(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > HARD_MAX_ELEMENTS) fail("MP4010", `the element limit must be an integer from 1 to ${HARD_MAX_ELEMENTS}, got ${n}`);
  maxElements = n;
}

export function getMaxElements(): number {
  return maxElements;
}

/** `param 'W'`, or `matmul result` for a derived value. */
function what(node: Pick<Node, "op" | "attrs" | "loc">, output: number, outputs: number): string {
  if (opInGroup(node.op, "source")) return `${node.op} '${String(node.attrs.name)}'`;
  return `${node.op} result${outputs > 1 ? ` ${output}` : ""}`;
}

/** Element count of `shape` with named dims resolved by `dim` (unresolved ones count as 1). */
function elements(shape: Shape, dim: (d: Dim) => number | undefined): number {
  return shape.reduce<number>((p, d) => p * (typeof d === "number" ? d : (dim(d) ?? 1)), 1);
}

function check(node: Pick<Node, "op" | "attrs" | "loc">, shapes: readonly Shape[], dim: (d: Dim) => number | undefined): void {
  shapes.forEach((shape, i) => {
    if (shape.length > MAX_RANK) fail("MP2013", `${what(node, i, shapes.length)} has rank ${shape.length}; tensors have at most ${MAX_RANK} dims`, node.loc);
    const n = elements(shape, dim);
    if (n > maxElements) {
      const bound = shape.some((d) => typeof d === "string") ? ` = [${shape.map((d) => (typeof d === "number" ? d : dim(d) ?? d)).join(", ")}]` : "";
      fail("MP2013", `${what(node, i, shapes.length)} of shape ${formatShape(shape)}${bound} has ${n.toLocaleString("en-US")} elements; the limit is ${maxElements.toLocaleString("en-US")} per tensor (raise it with --max-elements)`, node.loc);
    }
  });
}

/** The numeric part of each output shape of a node being added (Graph.add). */
export function checkDeclaredSizes(op: string, attrs: Node["attrs"], shapes: readonly Shape[], loc?: SourceLoc): void {
  check({ op, attrs, loc }, shapes, () => undefined);
}

/** Every value's element count once a run has bound the named dims (before anything is allocated). */
export function checkBoundSizes(g: Graph, dims: ReadonlyMap<string, number>): void {
  if (dims.size === 0) return; // Graph.add checked every all-numeric shape already
  for (const node of g.nodes) {
    if (!node.outputs.some((v) => v.type.shape.some((d) => typeof d === "string"))) continue;
    check(node, node.outputs.map((v) => v.type.shape), (d) => dims.get(d as string));
  }
}
