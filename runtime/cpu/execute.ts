/**
 * The float64 CPU executor: the reference every other backend is checked against. It evaluates a
 * graph node by node; a numeric failure (a singular solve, the log of a non-positive eigenvalue,
 * NaN from a value out of an op's domain) stops the run with MP5001 naming the DSL line of the node
 * that failed, instead of letting a wrong number flow on.
 *
 * Chains of elementwise ops run as one generated loop each (fusion/: the CPU twin of the WGSL
 * fusion), with bitwise the same results. When a fused run fails — a loop meets a non-finite value,
 * or a node reports a coded error — the run is repeated unfused, so the error names the same node,
 * output and index as the reference does.
 * Transposes read only by matrix products are not copied: the product reads them transposed.
 * `{ fuse: false }` evaluates every node through its op's own `evalCPU` and keeps every value.
 */
import { fail, formatLoc, MatpropError } from "../../ir/diagnostics.js";
import type { Graph, Node, Value } from "../../ir/graph.js";
import type { EvalContext } from "../../ir/op.js";
import { getOp, opInGroup } from "../../ir/registry.js";
import type { Dim } from "../../ir/types.js";
import { bindInputs, type Bound } from "./bind.js";
import { firstNonFinite } from "../../numeric/finite.js";
import { planFusion, type FusionPlan } from "./fusion/groups.js";
import { compileGroup, type CompiledGroup } from "./fusion/kernel.js";
import { runGroup } from "./fusion/run.js";
import { cov } from "../../numeric/linalg/cov.js";
import { matmul } from "../../numeric/linalg/matmul.js";
import { NumericError } from "../../numeric/numeric-error.js";
import type { NDArray } from "../../numeric/ndarray.js";

/** The result of `executeCPU`. */
export interface CpuRun {
  /**
   * The values the run stored: every value with `{ fuse: false }`; otherwise all but those inside
   * a fused elementwise chain (graph outputs and values read by other ops are always kept).
   */
  readonly values: Map<Value, NDArray>;
  /** Named outputs. */
  readonly outputs: Map<string, NDArray>;
  /** The arrays bound to inputs and params (params initialised when not given). */
  readonly sources: Map<string, NDArray>;
}

/** Options of {@link executeCPU}. */
export interface CpuOptions {
  /** Seed for the params' declared inits. Default 0. */
  seed?: number;
  /**
   * Run elementwise chains as fused generated loops and read transposes in place (default true;
   * bitwise the same results). `false` evaluates every node through its op's reference `evalCPU`
   * and keeps every value in {@link CpuRun.values}.
   */
  fuse?: boolean;
}

interface Plan {
  readonly fusion: FusionPlan;
  readonly compiled: Map<Node, CompiledGroup>;
  /** Graphs only grow (nodes and outputs are appended): the sizes tell whether this plan is current. */
  readonly nodes: number;
  readonly outputs: number;
}

const plans = new WeakMap<Graph, Plan>();

function planFor(g: Graph): Plan {
  const known = plans.get(g);
  if (known && known.nodes === g.nodes.length && known.outputs === g.outputs.length) return known;
  const fusion = planFusion(g);
  const compiled = new Map([...fusion.groups].map(([root, group]) => [root, compileGroup(group)]));
  const plan = { fusion, compiled, nodes: g.nodes.length, outputs: g.outputs.length };
  plans.set(g, plan);
  return plan;
}

function describe(node: Node): string {
  return `${node.op}${node.loc ? "" : ` (node ${node.id})`}`;
}

/** One node through its op's reference evaluation, its output checked where a NaN/∞ can first appear. */
function evaluate(node: Node, values: ReadonlyMap<Value, NDArray>, ctx: EvalContext): NDArray[] {
  const inputs = node.inputs.map((v) => values.get(v)!);
  let outs: NDArray[];
  try {
    outs = getOp(node.op).evalCPU(inputs, node.attrs, ctx);
  } catch (e) {
    if (e instanceof NumericError) throw new MatpropError("MP5001", `${describe(node)} failed: ${e.message}`, node.loc);
    if (e instanceof MatpropError && !e.loc) throw new MatpropError(e.code, e.message, node.loc);
    throw e;
  }
  return checked(node, outs);
}

/** `outs` of `node`, after an MP5001 for the first NaN/∞ where one can first appear (finite.ts). */
function checked(node: Node, outs: NDArray[]): NDArray[] {
  if (!opInGroup(node.op, "finite-preserving")) {
    outs.forEach((out, i) => {
      const bad = firstNonFinite(out.data);
      if (bad >= 0) {
        const from = node.loc ? "" : ` (node ${node.id})`;
        fail("MP5001", `${node.op}${from} produced ${out.data[bad]} (output ${i}, flat index ${bad}); an input is outside its domain`, node.loc);
      }
    });
  }
  return outs;
}

/** A fused loop met a NaN/∞ or inputs it cannot run: the run is repeated unfused (see executeCPU). */
class Unfused extends Error {}

function run(g: Graph, bound: Bound, ctx: EvalContext, plan: Plan | null): CpuRun {
  const values = new Map<Value, NDArray>();
  const named = new Map<string, NDArray>();
  for (const node of g.nodes) {
    const src = bound.sources.get(node);
    if (src) {
      values.set(node.outputs[0], src);
      named.set(node.attrs.name as string, src);
      continue;
    }
    if (plan?.fusion.interior.has(node)) continue;
    const compiled = plan?.compiled.get(node);
    if (compiled) {
      const inputs = compiled.group.inputs.map((v) => values.get(v)!);
      const result = runGroup(compiled, inputs);
      if ("value" in result) values.set(node.outputs[0], result.value);
      else if (result.fallback !== "no-kernel") throw new Unfused();
      else {
        // No generated code (a strict Content-Security-Policy): the members one by one, keeping the root.
        const local = new Map(values);
        for (const member of compiled.group.nodes) local.set(member.outputs[0], evaluate(member, local, ctx)[0]);
        values.set(node.outputs[0], local.get(node.outputs[0])!);
      }
      continue;
    }
    const transposed = plan?.fusion.transposed.reads.get(node);
    if (transposed) {
      // Reads the arrays the skipped transposes would have copied (fusion/transposed-reads.ts).
      const [a, b] = node.inputs.map((v, i) => values.get(transposed[i] ? v.node.inputs[0] : v)!);
      const out = node.op === "cov" ? cov(a, node.attrs.eps as number, true) : matmul(a, b, transposed[0], transposed[1]);
      values.set(node.outputs[0], checked(node, [out])[0]);
      continue;
    }
    evaluate(node, values, ctx).forEach((out, i) => values.set(node.outputs[i], out));
  }
  const outputs = new Map(g.outputs.map((o) => [o.name, values.get(o.value)!]));
  return { values, outputs, sources: named };
}

/**
 * Runs graph `g` on `feeds` (inputs and params by name) in float64. Params not fed are initialised
 * by their declared init from `opts.seed` (default 0). A numeric failure stops the run with MP5001
 * naming the DSL line of the failing node.
 */
export function executeCPU(g: Graph, feeds: ReadonlyMap<string, NDArray>, opts: CpuOptions = {}): CpuRun {
  const bound = bindInputs(g, feeds, opts.seed ?? 0);
  const ctx: EvalContext = {
    dim: (d: Dim) => (typeof d === "number" ? d : (bound.dims.get(d) ?? fail("MP4008", `dim ${d} is not bound by any input`))),
  };
  if (opts.fuse === false) return run(g, bound, ctx, null);
  try {
    return run(g, bound, ctx, planFor(g));
  } catch (e) {
    // A coded error (or a fused loop's NaN) is reported by the unfused run: it stops at the first
    // failing node in graph order, and a fused run evaluates a group's members at the group's root,
    // later than a failing node between them. Errors cost a second run; results never do. Anything
    // else is a bug and surfaces as it is.
    if (!(e instanceof Unfused || e instanceof MatpropError)) throw e;
    return run(g, bound, ctx, null);
  }
}

export { formatLoc };
