/**
 * Lowerings of the optimizer updates (ir/ops/optim.ts): one kernel per param writes the next param
 * and state. Every operand may be a fused expression except Adam's stacked moments (read per row).
 */
import { optimKernel } from "../kernels/optim.js";
import { LoweringTable } from "../lowering.js";

const lowerings = new LoweringTable();

const EXPR_INPUTS: Record<string, readonly boolean[]> = {
  sgdUpdate: [true, true, true],
  momentumUpdate: [true, true, true, true],
  adamUpdate: [true, true, false, true, true],
};

for (const [op, exprInputs] of Object.entries(EXPR_INPUTS)) {
  lowerings.define(op, {
    exprInputs,
    lower(ctx) {
      const n = ctx.node;
      ctx.emit(optimKernel(ctx.name(op), op, n.attrs, n.inputs.map(ctx.expr), n.outputs.map((_, i) => ctx.out(i))));
    },
  });
}

export const OPTIM_LOWERINGS = lowerings.entries;
