/** Softmax cross-entropy over class logits. */
import { type NDArray, scalar } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";

/**
 * Mean over the batch of −log softmax(logits[b])[labels[b]] = mean of (logsumexp(z) − z_label),
 * with the max subtracted before exponentiating; accurate to a few ulps relative at any margin. logits [B, C], labels [B] (integer class indices
 * stored as floats) → scalar NDArray (shape []). NumericError("domain") for a label that is not an
 * integer in [0, C) or an empty batch.
 */
export function softmaxCrossEntropy(logits: NDArray, labels: NDArray): NDArray {
  if (logits.shape.length !== 2) throw new RangeError(`softmaxCrossEntropy: expected logits [B, C], got [${logits.shape.join(", ")}]`);
  const [B, C] = logits.shape;
  if (labels.shape.length !== 1 || labels.shape[0] !== B) {
    throw new RangeError(`softmaxCrossEntropy: labels [${labels.shape.join(", ")}] do not match logits [${B}, ${C}]`);
  }
  if (B === 0) throw new NumericError("domain", "softmaxCrossEntropy: empty batch, the mean is undefined");
  let total = 0;
  for (let b = 0; b < B; b++) {
    const label = labels.data[b];
    if (!Number.isInteger(label) || label < 0 || label >= C) {
      throw new NumericError("domain", `softmaxCrossEntropy: label ${label} at row ${b} is not a class index in [0, ${C})`);
    }
    const row = logits.data.subarray(b * C, (b + 1) * C);
    let m = -Infinity;
    let k = 0;
    for (let c = 0; c < C; c++) {
      if (row[c] > m) {
        m = row[c];
        k = c;
      }
    }
    if (!Number.isFinite(m)) throw new NumericError("non-finite", `softmaxCrossEntropy: row ${b} has no finite maximum`);
    // log Σ exp(z − m) = log1p(Σ_{c≠k} exp(z_c − m)): log(1 + tiny) would round a confident
    // prediction's loss to 0. Both parts are ≥ 0, and (m − z_label) is exact when the label holds the max.
    let rest = 0;
    for (let c = 0; c < C; c++) if (c !== k) rest += Math.exp(row[c] - m);
    total += Math.log1p(rest) + (m - row[label]);
  }
  const loss = total / B;
  if (!Number.isFinite(loss)) throw new NumericError("non-finite", "softmaxCrossEntropy: logits are not finite");
  return scalar(loss);
}
