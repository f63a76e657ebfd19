/**
 * Lowerings of reductions: sum, mean, max, min, argmax, argmin and trace (a sum over the diagonal
 * expression). A sum or mean of a fused sum or mean (mean over the batch of per-image sums) is one
 * reduction over both sets of axes.
 */
import { normaliseAxes } from "../../ir/shape.js";
import { op, reducedAxes, type Expr } from "../expr.js";
import { reduceKernel } from "../kernels/reduce.js";
import { LoweringTable } from "../lowering.js";

const lowerings = new LoweringTable();

for (const name of ["sum", "mean", "max", "min", "argmax", "argmin"] as const) {
  lowerings.define(name, {
    exprInputs: "all",
    // An index (argmax, argmin) takes no epilogue.
    epilogue: () => (name === "argmax" || name === "argmin" ? undefined : "elementwise"),
    lower(ctx) {
      const [x] = ctx.node.inputs;
      const s = ctx.shape(x);
      const axes = normaliseAxes(name, (ctx.node.attrs.axis as number[] | null) ?? null, s.length);
      const count = axes.reduce((p, a) => p * s[a], 1);
      const kind = name === "mean" ? "sum" : name;
      const flat = kind === "sum" ? flatten(ctx.expr(x), axes, name === "mean" ? 1 / count : 1) : { input: ctx.expr(x), axes, scale: 1 };
      ctx.emit(reduceKernel(ctx.name(name), flat.input, flat.axes, flat.scale, ctx.out(), kind, ctx.epilogue));
    },
  });
}

lowerings.define("trace", {
  exprInputs: "all",
  lower(ctx) {
    const [x] = ctx.node.inputs;
    const s = ctx.shape(x);
    const diag = op("diag", [ctx.expr(x)], s.slice(0, -1));
    ctx.emit(reduceKernel(ctx.name("trace"), diag, [s.length - 2], 1, ctx.out()));
  },
});

/**
 * A reduction over `axes` of `input`, with the fused reductions inside it folded in: Σ_a Σ_b x is
 * Σ_{a,b} x (and a mean is its sum scaled), over the inner reduction's operand.
 */
function flatten(input: Expr, axes: readonly number[], scale: number): { input: Expr; axes: number[]; scale: number } {
  if (input.kind !== "op" || (input.op !== "sum" && input.op !== "mean")) return { input, axes: [...axes], scale };
  const x = input.args[0];
  const inner = reducedAxes(input);
  const count = inner.reduce((p, a) => p * x.shape[a], 1);
  // The inner result's dims, as dims of its operand (a reduced dim kept with keepdims maps to itself).
  const dims = x.shape.map((_, i) => i).filter((i) => input.attrs.keepdims === true || !inner.includes(i));
  const outer = axes.map((a) => dims[a]);
  return flatten(x, [...new Set([...inner, ...outer])].sort((p, q) => p - q), scale * (input.op === "mean" ? 1 / count : 1));
}

/** The reduce lowerings, for lowerings/index.ts. */
export const REDUCE_LOWERINGS = lowerings.entries;
