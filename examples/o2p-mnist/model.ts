/**
 * Second-order pooling on MNIST (DeepO2P): the conv trunk's features per image, F [B, 49, c2]
 * (positions × channels), are pooled into logm(FᵀF/49 + εI) [B, c2, c2] — cov and logm map over
 * the batch dim — flattened, and classified by a linear layer. The gradient flows back through
 * logm by the Daleckii–Krein rule (docs/architecture.md, rule 2).
 */
import { linalg, model, nn, ops, type Tensor } from "matprop";
import { C2, CLASSES, convTrunk, POSITIONS } from "./trunk.js";

export const EPS = 1e-3;

export default model("o2p-mnist", ({ input, param }) => {
  const { h } = convTrunk({ input, param });
  const F = ops.transpose(ops.reshape(h, ["B", C2, POSITIONS]));
  const pooled = linalg.logm(linalg.cov(F, { eps: EPS }));
  const features = ops.reshape(pooled, ["B", C2 * C2]);
  const W = param("W", [CLASSES, C2 * C2], { init: "glorot" });
  const b = param("b", [CLASSES], { init: "zeros" });
  const logits = nn.linear(features, W, b);
  const y = input("y", ["B"], { dtype: "i32" });
  return { logits, loss: nn.softmaxCrossEntropy(logits as Tensor<["B", typeof CLASSES]>, y) };
});
