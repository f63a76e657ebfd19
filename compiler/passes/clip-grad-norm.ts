/**
 * Gradient clipping by global norm as a graph transform (PyTorch's `clip_grad_norm_`, optax's
 * `clip_by_global_norm`): the gradients of the trained params are scaled by
 * `c / max(c, ‖g‖ + 1e-6)` with ‖g‖ the 2-norm over all of them together, so the update's
 * direction is kept and its norm is at most c. It is part of the step graph, so the CPU and the
 * device compute it the same way and nothing extra crosses to the host.
 */
import { fail } from "../../ir/diagnostics.js";
import { Graph } from "../../ir/graph.js";
import { copyNodes } from "../../ir/prune.js";

/** PyTorch's guard against dividing by a zero norm. */
const NORM_EPS = 1e-6;

/**
 * A copy of `step` whose `grad.<p>` outputs, for every p in `params`, are clipped together to
 * global norm `maxNorm`; other outputs are unchanged.
 */
export function clipGradNorm(step: Graph, params: readonly string[], maxNorm: number): Graph {
  if (typeof maxNorm !== "number" || !Number.isFinite(maxNorm) || maxNorm <= 0) fail("MP4012", `clipGradNorm must be a finite number > 0, got ${String(maxNorm)}`);
  const out = new Graph(step.name);
  const values = copyNodes(step, out);
  const clipped = new Set(params.map((p) => `grad.${p}`));
  const grads = step.outputs.filter((o) => clipped.has(o.name)).map((o) => values.get(o.value)!);
  if (grads.length !== clipped.size) fail("MP9001", `clipGradNorm: the step graph lacks gradient outputs for ${[...clipped].filter((n) => !step.outputs.some((o) => o.name === n)).join(", ")}`);
  const constant = (value: number) => out.apply("constant", [], { value, dtype: "f32" });
  const squares = grads.map((g) => out.apply("sum", [out.apply("mul", [g, g])], { axis: null, keepdims: false }));
  const norm = out.apply("sqrt", [squares.reduce((a, b) => out.apply("add", [a, b]))]);
  const c = constant(maxNorm);
  const scale = out.apply("div", [c, out.apply("maximum", [c, out.apply("add", [norm, constant(NORM_EPS)])])]);
  for (const o of step.outputs) {
    const v = values.get(o.value)!;
    out.setOutput(o.name, clipped.has(o.name) ? out.apply("mul", [v, scale]) : v);
  }
  return out;
}
