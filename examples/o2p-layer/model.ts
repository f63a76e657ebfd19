// Second-order pooling (DeepO2P): local features F (n positions × d channels) are pooled into the
// matrix logarithm of their covariance, a point in the log-Euclidean tangent space of SPD
// matrices, and scored by a linear classifier W. The gradient of the loss flows back through
// logm and cov by matrix backpropagation.
import { model, ops, linalg } from "matprop";

export default model("o2p-layer", ({ input, param }) => {
  const F = input("F", [8, 4]);
  const W = param("W", [4, 4], { init: "normal" });
  const C = linalg.cov(F, { eps: 1e-3 });
  const pooled = linalg.logm(C);
  return { loss: ops.sum(ops.mul(pooled, W)) };
});
