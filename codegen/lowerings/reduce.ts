/** Lowerings of reductions: sum, mean, max, min, argmax, argmin and trace (a sum over the diagonal expression). */
import { normaliseAxes } from "../../ir/shape.js";
import { op } from "../expr.js";
import { reduceKernel } from "../kernels/reduce.js";
import { defineLowering } from "../lowering.js";

for (const name of ["sum", "mean", "max", "min", "argmax", "argmin"] as const) {
  defineLowering(name, {
    exprInputs: "all",
    lower(ctx) {
      const [x] = ctx.node.inputs;
      const s = ctx.shape(x);
      const axes = normaliseAxes(name, (ctx.node.attrs.axis as number[] | null) ?? null, s.length);
      const count = axes.reduce((p, a) => p * s[a], 1);
      ctx.emit(reduceKernel(ctx.name(name), ctx.expr(x), axes, name === "mean" ? 1 / count : 1, ctx.out(), name === "mean" ? "sum" : name));
    },
  });
}

defineLowering("trace", {
  exprInputs: "all",
  lower(ctx) {
    const [x] = ctx.node.inputs;
    const s = ctx.shape(x);
    const diag = op("diag", [ctx.expr(x)], s.slice(0, -1));
    ctx.emit(reduceKernel(ctx.name("trace"), diag, [s.length - 2], 1, ctx.out()));
  },
});
