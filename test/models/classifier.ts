/** A tiny classifier: softmax cross-entropy of nn.linear(relu(x)) against i32 labels (values in test/ops/cases/nn.ts). */
import { model, nn, type Tensor } from "matprop";

export default model("classifier", ({ input, param }) => {
  const x = input("x", [2, 3], { dtype: "f64" });
  const labels = input("labels", [2], { dtype: "i32" });
  const W = param("W", [3, 3], { dtype: "f64" });
  const b = param("b", [3], { dtype: "f64", init: "zeros" });
  const logits = nn.linear(nn.relu(x), W, b);
  return { logits, loss: nn.softmaxCrossEntropy(logits as Tensor<[2, 3]>, labels) };
});
