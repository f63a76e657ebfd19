/**
 * A small second-order-pooling model whose printed IR is snapshotted in test/ir/roundtrip.test.ts:
 * edits to this file move the recorded source locations, so keep it stable.
 */
import { linalg, model, ops } from "../../index.js";

export default model("small-o2p", ({ input, param }) => {
  const F = input("F", ["n", 3], { dtype: "f64" });
  const C = linalg.cov(F, { eps: 0.001 });
  const W = param("W", [3, 3], { init: "normal", dtype: "f64" });
  return { loss: ops.sum(ops.mul(linalg.logm(C), W)) };
});
