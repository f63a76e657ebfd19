/**
 * The first-order counterpart of model.ts: the same conv trunk, average pooling over the 7×7
 * positions instead of second-order pooling, then a linear classifier.
 */
import { model, nn, ops, type Tensor } from "matprop";
import { C2, CLASSES, convTrunk } from "./trunk.js";

export default model("avg-mnist", ({ input, param }) => {
  const { h } = convTrunk({ input, param });
  const features = ops.reshape(nn.avgPool2d(h as Tensor<["B", typeof C2, 7, 7]>, 7), ["B", C2]);
  const W = param("W", [CLASSES, C2], { init: "glorot" });
  const b = param("b", [CLASSES], { init: "zeros" });
  const logits = nn.linear(features, W, b);
  const y = input("y", ["B"], { dtype: "i32" });
  return { logits, loss: nn.softmaxCrossEntropy(logits as Tensor<["B", typeof CLASSES]>, y) };
});
