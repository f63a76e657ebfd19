/**
 * Lowerings of the NN ops onto the kernels of kernels/nn. Every operand may arrive as a fused
 * expression (a ReLU, a bias, a relu mask on a cotangent): the kernels read operands through
 * functions (scaffold.ts), so no dispatch exists only to write such a value to memory.
 */
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "../kernels/nn/conv.js";
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from "../kernels/nn/pool.js";
import { softmaxCrossEntropyKernel, softmaxKernel } from "../kernels/nn/softmax.js";
import type { Shape4 } from "../kernels/nn/window.js";
import type { Node } from "../../ir/graph.js";
import { normaliseAxes } from "../../ir/shape.js";
import { LoweringTable, type LowerContext } from "../lowering.js";

const lowerings = new LoweringTable();

type Pair = [number, number];

const attr = (ctx: LowerContext, k: string) => ctx.node.attrs[k] as Pair;
/** A sum over exactly these axes of its (4-D) operand. */
const sameAxes = (sum: Node, axes: readonly number[]) => normaliseAxes("sum", (sum.attrs.axis as number[] | null) ?? null, sum.inputs[0].type.shape.length).join() === axes.join();
const operand = (ctx: LowerContext, i: number) => ctx.expr(ctx.node.inputs[i]);

lowerings.define("conv2d", {
  exprInputs: "all",
  epilogue: () => "views",
  lower: (ctx) => ctx.emit(conv2dKernel(operand(ctx, 0), operand(ctx, 1), ctx.out(), attr(ctx, "stride"), attr(ctx, "padding"), ctx.epilogue)),
});
lowerings.define("conv2dGradInput", {
  exprInputs: "all",
  lower: (ctx) => ctx.emit(conv2dGradInputKernel(operand(ctx, 0), operand(ctx, 1), ctx.out(), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "inputSize"))),
});
lowerings.define("conv2dGradWeight", {
  exprInputs: "all",
  // The bias gradient Σ_{n,i,j} of the same cotangent.
  absorbs: (n, other) => other.op === "sum" && other.inputs[0] === n.inputs[1] && sameAxes(other, [0, 2, 3]),
  lower: (ctx) => ctx.emit(conv2dGradWeightKernel(operand(ctx, 0), operand(ctx, 1), ctx.out(), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "kernel"), ctx.absorbed[0]?.outputs[0].id)),
});
lowerings.define("avgPool2d", { exprInputs: "all", lower: (ctx) => ctx.emit(avgPool2dKernel(operand(ctx, 0), ctx.out(), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
lowerings.define("maxPool2d", { exprInputs: "all", lower: (ctx) => ctx.emit(maxPool2dKernel(operand(ctx, 0), ctx.out(), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
lowerings.define("avgPool2dBackward", {
  exprInputs: "all",
  lower: (ctx) => ctx.emit(avgPool2dBackwardKernel(ctx.shape(ctx.node.inputs[0]) as unknown as Shape4, operand(ctx, 1), ctx.out(), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
lowerings.define("maxPool2dBackward", {
  exprInputs: "all",
  lower: (ctx) => ctx.emit(maxPool2dBackwardKernel(operand(ctx, 0), operand(ctx, 1), ctx.out(), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
lowerings.define("softmax", { exprInputs: "all", lower: (ctx) => ctx.emit(softmaxKernel(operand(ctx, 0), ctx.out())) });
lowerings.define("softmaxCrossEntropy", {
  exprInputs: "all",
  // The backward's softmax of the same logits.
  absorbs: (n, other) => other.op === "softmax" && other.inputs[0] === n.inputs[0],
  lower: (ctx) => ctx.emit(softmaxCrossEntropyKernel(operand(ctx, 0), operand(ctx, 1), ctx.out(), ctx.absorbed[0]?.outputs[0].id)),
});

/** The nn lowerings, for lowerings/index.ts. */
export const NN_LOWERINGS = lowerings.entries;
