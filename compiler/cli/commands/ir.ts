/** `matprop ir <model.ts> [--backward] [--stats]`: the text IR of a model, optionally with its backward graph. */
import type { Graph } from "../../../ir/graph.js";
import { print } from "../../../ir/print.js";
import { differentiate } from "../../passes/differentiate.js";
import { loadGraph } from "../load-graph.js";

export interface IrOptions {
  backward?: boolean;
  stats?: boolean;
}

function countOps(g: Graph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of g.nodes) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  return counts;
}

/** Node counts per op before and after simplification, as a table. */
function statsTable(before: Graph, after: Graph, fired: Map<string, number>): string {
  const b = countOps(before);
  const a = countOps(after);
  const ops = [...new Set([...b.keys(), ...a.keys()])].sort();
  const rows = ops.map((op) => `#   ${op.padEnd(20)} ${String(b.get(op) ?? 0).padStart(6)} ${String(a.get(op) ?? 0).padStart(6)}`);
  const rules = [...fired].sort((x, y) => y[1] - x[1]).map(([r, n]) => `${r}×${n}`).join(", ");
  return [
    `# node counts per op   before  after simplification`,
    ...rows,
    `#   ${"total".padEnd(20)} ${String(before.nodes.length).padStart(6)} ${String(after.nodes.length).padStart(6)}`,
    `# rewrites fired: ${rules || "none"}`,
    "",
  ].join("\n");
}

export async function irCommand(file: string, opts: IrOptions): Promise<string> {
  const forward = await loadGraph(file);
  if (!opts.backward && !opts.stats) return print(forward);
  const d = differentiate(forward);
  const stats = opts.stats ? statsTable(d.unsimplified, d.graph, d.stats.fired) : "";
  return stats + (opts.backward ? print(d.graph) : "");
}
