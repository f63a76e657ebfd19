/**
 * Convolution and pooling on tiny NCHW images whose results are worked out by hand in
 * test/ops/cases/nn.ts; also run through `matprop run` there.
 */
import { model, nn } from "matprop";

export default model("conv-pool", ({ input }) => {
  const x = input("x", [1, 2, 3, 3], { dtype: "f64" });
  const w = input("w", [2, 2, 2, 2], { dtype: "f64" });
  const p = input("p", [1, 1, 4, 4], { dtype: "f64" });
  const q = input("q", [1, 1, 3, 3], { dtype: "f64" });
  return {
    y: nn.conv2d(x, w),
    z: nn.conv2d(x, w, { stride: 2, padding: 1 }),
    yb: nn.conv2d(x, w, { bias: input("bias", [2], { dtype: "f64" }) }),
    avg: nn.avgPool2d(p, 2),
    avgPad: nn.avgPool2d(q, 2, { stride: 2, padding: 1 }),
    max: nn.maxPool2d(p, 2),
    maxPad: nn.maxPool2d(q, 2, { stride: 2, padding: 1 }),
    max3: nn.maxPool2d(p, 3, { stride: 1, padding: 1 }),
  };
});
