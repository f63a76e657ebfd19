/**
 * Second-order pooling (DeepO2P, docs/design.md "The two structured layers"): local features F [n, d]
 * → C = FᵀF/n + εI (SPD) → logm(C), scored against a weight matrix W. One image, and a batch of two
 * sharing W.
 */
import { linalg, model, ops } from "../../../index.js";

export const o2p = model("o2p", ({ input, param }) => {
  const F = input("F", [6, 3], { dtype: "f64" });
  const W = param("W", [3, 3], { dtype: "f64", init: "normal" });
  const C = linalg.cov(F, { eps: 1e-3 });
  return { loss: ops.sum(ops.mul(linalg.logm(C), W)) };
});

export const o2pBatched = model("o2p-batched", ({ input, param }) => {
  const F = input("F", [2, 6, 3], { dtype: "f64" });
  const W = param("W", [3, 3], { dtype: "f64", init: "normal" });
  const C = linalg.cov(F, { eps: 1e-3 });
  return { loss: ops.sum(ops.mul(linalg.logm(C), W)) };
});
