/** Every matrix op maps over leading batch dims: a [2,3,3] batch (per-matrix values in test/ops/cases/nn.ts). */
import { linalg, model, ops } from "matprop";

export default model("batched-spectral", ({ input }) => {
  const X = input("X", [2, 3, 3], { dtype: "f64", structure: "spd" });
  const [w] = linalg.eigh(X);
  return { logm: linalg.logm(X), sqrtm: linalg.sqrtm(X), inv: linalg.inv(X), w, tr: ops.trace(X) };
});
