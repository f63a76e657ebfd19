/**
 * The normalized-cuts layer of docs/design.md trained end to end. A small conv net maps each image
 * x [B, 3, S, S] to positive per-pixel features F [B, S², d] (exp keeps every affinity, hence every
 * degree, positive). Affinity W = F Fᵀ, degrees D = diag(W·1), Z = D^{-1/2} F, and the layer's output
 * Π_W = Z (ZᵀZ)⁻¹ Zᵀ (rangeProjector, docs/architecture.md, rule 4), the projector onto the leading eigenspace
 * of D^{-1/2} W D^{-1/2}. The loss is J = ½ ‖Π_W − Π_Y‖²_F against the ground-truth segmentation
 * projector Π_Y, averaged over the batch. Every matrix op maps over the batch dim.
 */
import { linalg, model, nn, ops } from "matprop";

/** Image side: S² pixels per image. */
export const SIZE = 12;
export const PIXELS = SIZE * SIZE;
/** Regions per synthetic image, and feature channels per pixel (d = k: Π_W can equal Π_Y). */
export const SEGMENTS = 3;
export const FEATURES = SEGMENTS;
export const HIDDEN = 8;

export default model("ncuts-segmentation", ({ input, param }) => {
  const x = input("x", ["B", 3, SIZE, SIZE]);
  const PiY = input("PiY", ["B", PIXELS, PIXELS]);
  const w1 = param("w1", [HIDDEN, 3, 3, 3], { init: "he" });
  const b1 = param("b1", [HIDDEN], { init: "zeros" });
  const w2 = param("w2", [FEATURES, HIDDEN, 1, 1], { init: "glorot" });
  const b2 = param("b2", [FEATURES], { init: "zeros" });
  const h = nn.conv2d(nn.relu(nn.conv2d(x, w1, { padding: 1, bias: b1 })), w2, { bias: b2 });
  const F = ops.exp(ops.transpose(ops.reshape(h, ["B", FEATURES, PIXELS])));
  const affinity = ops.matmul(F, ops.transpose(F));
  const degrees = ops.sum(affinity, { axis: -1, keepdims: true });
  const Z = ops.mul(ops.pow(degrees, -0.5), F);
  const PiW = linalg.rangeProjector(Z);
  const diff = ops.sub(PiW, PiY);
  const perImage = ops.sum(ops.mul(diff, diff), { axis: [1, 2] });
  return { features: F, loss: ops.mul(0.5, ops.mean(perImage)) };
});
