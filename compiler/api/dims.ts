/**
 * `compile(model, { dims: { B: 32 } })`: named dims fixed at compile time. The graph is rebuilt with
 * the sizes in place of the names (declared input/param shapes, reshape/broadcast/eye targets), so
 * params declared with a named dim get concrete shapes, every type is checked with the sizes, and a
 * feed of another size is the usual MP4005 naming the input.
 */
import { fail } from "../../ir/diagnostics.js";
import { Graph } from "../../ir/graph.js";
import { copyNodes } from "../../ir/prune.js";

/** The named dims used anywhere in `g`'s types, in first-use order. */
export function namedDims(g: Graph): string[] {
  const out = new Set<string>();
  for (const n of g.nodes) for (const v of n.outputs) for (const d of v.type.shape) if (typeof d === "string") out.add(d);
  return [...out];
}

/** `g` with the named dims in `dims` replaced by their sizes (g itself when `dims` is empty). */
export function withDims(g: Graph, dims: Readonly<Record<string, number>> | undefined): Graph {
  if (dims === undefined) return g;
  if (typeof dims !== "object" || dims === null || Array.isArray(dims)) fail("MP4012", "dims must be an object mapping dim names to sizes, e.g. { B: 32 }");
  const known = namedDims(g);
  for (const [name, size] of Object.entries(dims)) {
    if (!known.includes(name)) fail("MP4012", `dims: the model has no named dim '${name}' (its named dims: ${known.length ? known.join(", ") : "none"})`);
    if (!Number.isInteger(size) || size < 1) fail("MP4012", `dims: ${name} must be a positive integer, got ${String(size)}`);
  }
  if (!Object.keys(dims).length) return g;
  const out = new Graph(g.name);
  const values = copyNodes(g, out, {
    attrs: (node) => {
      const shape = node.attrs.shape;
      return Array.isArray(shape) ? { ...node.attrs, shape: shape.map((d) => (typeof d === "string" && d in dims ? dims[d] : d)) } : node.attrs;
    },
  });
  for (const o of g.outputs) out.setOutput(o.name, values.get(o.value)!);
  return out;
}
