/** The network-layer kernels in one import: convolution, pooling, softmax cross-entropy. */
export { conv2d, windowOutSize } from "./conv.js";
export { avgPool2d, maxPool2d } from "./pool.js";
export { softmaxCrossEntropy } from "./softmax.js";
