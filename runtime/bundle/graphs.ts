/**
 * A bundle's graphs: the forward pass and the training step as text IR, parsed when the bundle
 * loads (the parser re-derives every type through the ops' type rules, so a parsed graph is well
 * typed by construction) and checked against the manifest: the same inputs, params and outputs with
 * the same dtypes and shapes (named dims included), the training step returning the forward
 * outputs and gradients. The runtime lowers them per call shape (runtime/webgpu/resident-model.ts).
 */
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { parse } from "../../ir/parse.js";
import { bundleFail } from "./errors.js";
import { GRAD_PREFIX, type Manifest, type TensorSpec } from "./manifest.js";

export interface BundleGraphs {
  readonly forward: Graph;
  readonly train: Graph | null;
}

const text = (t: { dtype: string; shape: readonly (number | string)[] }) => `${t.dtype}[${t.shape.join(", ")}]`;

function parsed(file: string, source: string): Graph {
  try {
    return parse(source, file);
  } catch (e) {
    if (e instanceof MatpropError) bundleFail("MP7001", `${file} is not a valid graph: ${e.format()}`);
    throw e;
  }
}

function same(file: string, what: string, got: readonly TensorSpec[], want: readonly TensorSpec[]): void {
  const names = (l: readonly TensorSpec[]) => l.map((t) => t.name).join(", ");
  if (got.length !== want.length || got.some((t, i) => t.name !== want[i].name)) bundleFail("MP7014", `${file} has ${what} ${names(got) || "none"}; the manifest declares ${names(want) || "none"}`);
  got.forEach((t, i) => {
    const w = want[i];
    if (t.dtype !== w.dtype || t.shape.length !== w.shape.length || t.shape.some((d, k) => d !== w.shape[k])) bundleFail("MP7014", `${file}: '${t.name}' is ${text(t)}; the manifest declares ${text(w)}`);
  });
}

function sources(g: Graph, op: string): TensorSpec[] {
  return g
    .sources()
    .filter((n) => n.op === op)
    .map((n) => ({ name: n.attrs.name as string, shape: n.outputs[0].type.shape, dtype: n.outputs[0].type.dtype }));
}

const outputs = (g: Graph): TensorSpec[] => g.outputs.map((o) => ({ name: o.name, shape: o.value.type.shape, dtype: o.value.type.dtype }));

/** Parses the manifest's graph files (texts in `graphs` order: forward, then train) and checks them against it. */
export function bundleGraphs(m: Manifest, texts: readonly string[]): BundleGraphs {
  const forward = parsed(m.graphs.forward, texts[0]);
  const train = m.graphs.train === null ? null : parsed(m.graphs.train, texts[1]);
  for (const [file, g] of [[m.graphs.forward, forward], [m.graphs.train, train]] as const) {
    if (!g || !file) continue;
    same(file, "inputs", sources(g, "input"), m.inputs);
    same(file, "params", sources(g, "param"), m.params);
  }
  same(m.graphs.forward, "outputs", outputs(forward), m.outputs);
  if (train) {
    const all = outputs(train);
    same(m.graphs.train!, "outputs", all.filter((o) => !o.name.startsWith(GRAD_PREFIX)), m.outputs);
    const declared = new Map([...m.inputs, ...m.params].map((t) => [t.name, t]));
    for (const g of all.filter((o) => o.name.startsWith(GRAD_PREFIX))) {
      const src = declared.get(g.name.slice(GRAD_PREFIX.length));
      if (!src || src.shape.length !== g.shape.length || src.shape.some((d, k) => d !== g.shape[k])) bundleFail("MP7014", `${m.graphs.train}: '${g.name}' is not the gradient of an input or param of the same shape`);
    }
  }
  return { forward, train };
}
