/**
 * The float64 CPU executor: the reference every other backend is checked against. It evaluates a
 * graph node by node; a numeric failure (a singular solve, the log of a non-positive eigenvalue,
 * NaN from a value out of an op's domain) stops the run with MP5001 naming the DSL line of the node
 * that failed, instead of letting a wrong number flow on.
 */
import { fail, formatLoc, MatpropError } from "../../ir/diagnostics.js";
import type { Graph, Node, Value } from "../../ir/graph.js";
import { getOp, type EvalContext } from "../../ir/op.js";
import type { Dim } from "../../ir/types.js";
import { bindInputs } from "./bind.js";
import { NumericError } from "./kernels/numeric-error.js";
import type { NDArray } from "./ndarray.js";

export interface CpuRun {
  /** Every value the run computed (for gradients and debugging). */
  readonly values: Map<Value, NDArray>;
  /** Named outputs. */
  readonly outputs: Map<string, NDArray>;
  /** The arrays bound to inputs and params (params initialised when not given). */
  readonly sources: Map<string, NDArray>;
}

function describe(node: Node): string {
  return `${node.op}${node.loc ? "" : ` (node ${node.id})`}`;
}

export function executeCPU(g: Graph, feeds: ReadonlyMap<string, NDArray>, opts: { seed?: number } = {}): CpuRun {
  const { sources, dims } = bindInputs(g, feeds, opts.seed ?? 0);
  const ctx: EvalContext = {
    dim: (d: Dim) => (typeof d === "number" ? d : (dims.get(d) ?? fail("MP4008", `dim ${d} is not bound by any input`))),
  };
  const values = new Map<Value, NDArray>();
  const named = new Map<string, NDArray>();
  for (const node of g.nodes) {
    const src = sources.get(node);
    if (src) {
      values.set(node.outputs[0], src);
      named.set(node.attrs.name as string, src);
      continue;
    }
    const inputs = node.inputs.map((v) => values.get(v)!);
    let outs: NDArray[];
    try {
      outs = getOp(node.op).evalCPU(inputs, node.attrs, ctx);
    } catch (e) {
      if (e instanceof NumericError) throw new MatpropError("MP5001", `${describe(node)} failed: ${e.message}`, node.loc);
      if (e instanceof MatpropError && !e.loc) throw new MatpropError(e.code, e.message, node.loc);
      throw e;
    }
    outs.forEach((out, i) => {
      const bad = out.data.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) {
        const from = node.loc ? "" : ` (node ${node.id})`;
        fail("MP5001", `${node.op}${from} produced ${out.data[bad]} (output ${i}, flat index ${bad}); an input is outside its domain`, node.loc);
      }
      values.set(node.outputs[i], out);
    });
  }
  const outputs = new Map(g.outputs.map((o) => [o.name, values.get(o.value)!]));
  return { values, outputs, sources: named };
}

export { formatLoc };
