/**
 * Lowerings of the NN ops onto the kernels of kernels/nn. Every operand may arrive as a fused
 * expression (a ReLU, a bias, a relu mask on a cotangent): the kernels read operands through
 * functions (scaffold.ts), so no dispatch exists only to write such a value to memory.
 */
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "../kernels/nn/conv.js";
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from "../kernels/nn/pool.js";
import { softmaxCrossEntropyKernel, softmaxKernel } from "../kernels/nn/softmax.js";
import { LoweringTable, type LowerContext } from "../lowering.js";

const lowerings = new LoweringTable();

type Pair = [number, number];

const attr = (ctx: LowerContext, k: string) => ctx.node.attrs[k] as Pair;
/** A sum over exactly these axes of its (4-D) operand. */
const sameAxes = (sum: Node, axes: readonly number[]) => normaliseAxes("sum", (sum.attrs.axis as number[] | null) ?? null, sum.inputs[0].type.shape.length).join() === axes.join();
const operand = (ctx: LowerContext, i: number) => ctx.expr(ctx.node.inputs[i]);

lowerings.define("conv2d", { exprInputs: none, lower: (ctx) => direct(ctx, conv2dKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"))) });
lowerings.define("conv2dGradInput", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, conv2dGradInputKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "inputSize"))),
});
lowerings.define("conv2dGradWeight", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, conv2dGradWeightKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "kernel"))),
});
lowerings.define("avgPool2d", { exprInputs: none, lower: (ctx) => direct(ctx, avgPool2dKernel(s4(ctx, 0), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
lowerings.define("maxPool2d", { exprInputs: none, lower: (ctx) => direct(ctx, maxPool2dKernel(s4(ctx, 0), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
lowerings.define("avgPool2dBackward", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, avgPool2dBackwardKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
lowerings.define("maxPool2dBackward", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, maxPool2dBackwardKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
lowerings.define("softmax", {
  exprInputs: none,
  lower: (ctx) => {
    const s = ctx.shape(ctx.node.inputs[0]);
    const cols = s[s.length - 1];
    direct(ctx, softmaxKernel(s.reduce((p, d) => p * d, 1) / cols, cols));
  },
});
lowerings.define("softmaxCrossEntropy", {
  exprInputs: none,
  lower: (ctx) => {
    const [b, c] = ctx.shape(ctx.node.inputs[0]);
    direct(ctx, softmaxCrossEntropyKernel(b, c));
  },
});

/** The nn lowerings, for lowerings/index.ts. */
export const NN_LOWERINGS = lowerings.entries;
