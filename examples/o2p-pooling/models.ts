/**
 * Three second-order pooling layers on the conv trunk of examples/o2p-mnist, identical but for the
 * matrix function applied to the features' covariance C = FᵀF/49 + εI:
 * - `logm(C)`, the paper's (DeepO2P; Ionescu, Vantzos & Sminchisescu 2015),
 * - `powm(C, 0.5)`, MPN-COV's matrix power normalisation by eigendecomposition (Li et al. 2017),
 * - `sqrtm(C, { method: "newton-schulz", iters: 5 })`, iSQRT-COV's matrix-product-only iteration
 *   (Li, Xie, Wang & Gao 2018), differentiated through the unrolled iteration.
 */
import { linalg, model, nn, ops, type Tensor } from "matprop";
import { EPS } from "../o2p-mnist/model.js";
import { C2, CLASSES, convTrunk, POSITIONS } from "../o2p-mnist/trunk.js";

/** iSQRT-COV's iteration count (the paper's default). */
export const NS_ITERS = 5;

type Pooling = "logm" | "powm" | "ns-sqrtm";

function pooled(pooling: Pooling, name: string) {
  return model(name, ({ input, param }) => {
    const { h } = convTrunk({ input, param });
    const F = ops.transpose(ops.reshape(h, ["B", C2, POSITIONS]));
    const C = linalg.cov(F, { eps: EPS });
    const P = pooling === "logm" ? linalg.logm(C) : pooling === "powm" ? linalg.powm(C, 0.5) : linalg.sqrtm(C, { method: "newton-schulz", iters: NS_ITERS });
    const features = ops.reshape(P, ["B", C2 * C2]);
    const W = param("W", [CLASSES, C2 * C2], { init: "glorot" });
    const b = param("b", [CLASSES], { init: "zeros" });
    const logits = nn.linear(features, W, b);
    const y = input("y", ["B"], { dtype: "i32" });
    return { logits, loss: nn.softmaxCrossEntropy(logits as Tensor<["B", typeof CLASSES]>, y) };
  });
}

export const logmPooling = pooled("logm", "o2p-logm");
export const powmPooling = pooled("powm", "o2p-powm");
export const newtonSchulzPooling = pooled("ns-sqrtm", "o2p-ns-sqrtm");
export const POOLINGS = [logmPooling, powmPooling, newtonSchulzPooling];

export const LABELS: Record<string, string> = {
  "o2p-logm": "logm(C) (DeepO2P)",
  "o2p-powm": "powm(C, 0.5) by eigh (MPN-COV)",
  "o2p-ns-sqrtm": `sqrtm(C), ${NS_ITERS} Newton–Schulz steps (iSQRT-COV)`,
};
