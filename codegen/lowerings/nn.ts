/** Lowerings of the NN ops onto the hand-written kernels of kernels/nn (operands in buffers). */
import type { Value } from "../../ir/graph.js";
import type { KernelSource } from "../kernel.js";
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "../kernels/nn/conv.js";
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from "../kernels/nn/pool.js";
import { softmaxCrossEntropyKernel, softmaxKernel } from "../kernels/nn/softmax.js";
import { defineLowering, type LowerContext } from "../lowering.js";

type Pair = [number, number];
type Shape4 = [number, number, number, number];

/** Bind the node's inputs (by value id) and its output to a kernel. */
function direct(ctx: LowerContext, k: KernelSource): void {
  ctx.emitSource(k, [...ctx.node.inputs.map((v: Value) => v.id), ctx.out()]);
}

const none = [false, false, false] as const;
const attr = (ctx: LowerContext, k: string) => ctx.node.attrs[k] as Pair;
const s4 = (ctx: LowerContext, i: number) => ctx.shape(ctx.node.inputs[i]) as Shape4;

defineLowering("conv2d", { exprInputs: none, lower: (ctx) => direct(ctx, conv2dKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"))) });
defineLowering("conv2dGradInput", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, conv2dGradInputKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "inputSize"))),
});
defineLowering("conv2dGradWeight", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, conv2dGradWeightKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "stride"), attr(ctx, "padding"), attr(ctx, "kernel"))),
});
defineLowering("avgPool2d", { exprInputs: none, lower: (ctx) => direct(ctx, avgPool2dKernel(s4(ctx, 0), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
defineLowering("maxPool2d", { exprInputs: none, lower: (ctx) => direct(ctx, maxPool2dKernel(s4(ctx, 0), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))) });
defineLowering("avgPool2dBackward", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, avgPool2dBackwardKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
defineLowering("maxPool2dBackward", {
  exprInputs: none,
  lower: (ctx) => direct(ctx, maxPool2dBackwardKernel(s4(ctx, 0), s4(ctx, 1), attr(ctx, "kernel"), attr(ctx, "stride"), attr(ctx, "padding"))),
});
defineLowering("softmax", {
  exprInputs: none,
  lower: (ctx) => {
    const s = ctx.shape(ctx.node.inputs[0]);
    const cols = s[s.length - 1];
    direct(ctx, softmaxKernel(s.reduce((p, d) => p * d, 1) / cols, cols));
  },
});
defineLowering("softmaxCrossEntropy", {
  exprInputs: none,
  lower: (ctx) => {
    const [b, c] = ctx.shape(ctx.node.inputs[0]);
    direct(ctx, softmaxCrossEntropyKernel(b, c));
  },
});
