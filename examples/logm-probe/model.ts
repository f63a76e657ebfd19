import { model, ops, linalg } from "matprop";

export default model("logm-probe", ({ input, param }) => {
  const X = input("X", [4, 4], { structure: "spd" });
  const W = param("W", [4, 4], { init: "normal" });
  return { loss: ops.sum(ops.mul(linalg.logm(X), W)) };
});
