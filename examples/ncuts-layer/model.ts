// The normalized-cuts layer (docs/design.md, in the style of Bach & Jordan's learned spectral
// clustering): affinity W = F Fᵀ of per-position features, degrees D = diag(W·1), and the
// projector onto the leading eigenspace of D^{-1/2} W D^{-1/2}, which is the column space of
// Z = D^{-1/2} F. The loss compares it with the ground-truth segmentation projector Π_Y.
import { model, ops, linalg } from "matprop";

export default model("ncuts-layer", ({ input }) => {
  const F = input("F", [6, 2]);
  const PiY = input("PiY", [6, 6], { structure: "symmetric" });
  const affinity = ops.matmul(F, ops.transpose(F));
  const degrees = ops.sum(affinity, { axis: 1, keepdims: true });
  const Z = ops.mul(ops.pow(degrees, -0.5), F);
  const PiW = linalg.rangeProjector(Z);
  const diff = ops.sub(PiW, PiY);
  return { loss: ops.mul(0.5, ops.sum(ops.mul(diff, diff))) };
});
