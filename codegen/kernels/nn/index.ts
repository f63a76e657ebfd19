/** WGSL kernel generators for the NN ops (conv, pooling, softmax family), each returning a BuiltKernel (scaffold.ts). */
export { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "./conv.js";
export { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from "./pool.js";
export { softmaxCrossEntropyKernel, softmaxKernel } from "./softmax.js";
export type { Pair, Shape4 } from "./window.js";
