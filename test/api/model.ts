/** A small classifier for the API tests: a one-hidden-layer MLP over a named batch dim, and its data. */
import { model, nn, ops } from "../../index.js";

export const mlp = model("mlp", ({ input, param }) => {
  const X = input("X", ["B", 4]);
  const y = input("y", ["B"], { dtype: "i32" });
  const W1 = param("W1", [4, 8]);
  const b1 = param("b1", [8], { init: "zeros" });
  const W2 = param("W2", [8, 3]);
  const logits = ops.matmul(nn.relu(ops.add(ops.matmul(X, W1), b1)), W2);
  return { loss: nn.softmaxCrossEntropy(logits, y), logits };
});

/** `n` points in 4-D, labelled by which of three directions they lean to (separable, seeded). */
export function blobs(n: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    X.push([0, 1, 2, 3].map((j) => (j === c ? 1.5 : 0) + 0.5 * rand()));
    y.push(c);
  }
  return { X, y };
}
