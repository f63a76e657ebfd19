// The O2P training step the CPU executor is benchmarked on, in matprop's DSL (built from dist/).
// "layer": second-order pooling of given features, F [B, 49, C] → cov → logm → flatten → linear →
// softmax cross-entropy; gradients of F (what flows on into a trunk), W and b.
// "net": the o2p-mnist network (examples/o2p-mnist) with C channels after its second conv:
// x [B, 1, 28, 28] → conv 1→8 → relu → conv 8→C → relu → the layer above; gradients of every param.
// scripts/bench/torch_twin.py computes the same losses and gradients with PyTorch.
import { linalg, model, nn, ops } from "../../dist/index.js";

export const POSITIONS = 49;
export const CLASSES = 10;
export const C1 = 8;
export const EPS = 1e-3;

function head(F, C, param) {
  const pooled = linalg.logm(linalg.cov(F, { eps: EPS }));
  const W = param("W", [CLASSES, C * C], { init: "glorot" });
  const b = param("b", [CLASSES], { init: "zeros" });
  return nn.linear(ops.reshape(pooled, ["B", C * C]), W, b);
}

export function o2pModel(kind, C) {
  return model(`o2p-${kind}-${C}`, ({ input, param }) => {
    let F;
    if (kind === "layer") {
      F = input("F", ["B", POSITIONS, C]);
    } else {
      const x = input("x", ["B", 1, 28, 28]);
      const w1 = param("w1", [C1, 1, 3, 3], { init: "he" });
      const b1 = param("b1", [C1], { init: "zeros" });
      const w2 = param("w2", [C, C1, 3, 3], { init: "he" });
      const b2 = param("b2", [C], { init: "zeros" });
      const h1 = nn.relu(nn.conv2d(x, w1, { stride: 2, padding: 1, bias: b1 }));
      const h2 = nn.relu(nn.conv2d(h1, w2, { stride: 2, padding: 1, bias: b2 }));
      F = ops.transpose(ops.reshape(h2, ["B", C, POSITIONS]));
    }
    const logits = head(F, C, param);
    const y = input("y", ["B"], { dtype: "i32" });
    return { loss: nn.softmaxCrossEntropy(logits, y) };
  });
}
