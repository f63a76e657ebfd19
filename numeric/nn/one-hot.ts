/** One-hot encoding of class labels (the cross-entropy adjoint's target distribution). */
import { type NDArray, ndarray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";

/** labels [...] (integer class indices) → [..., classes] with a 1 at each label. NumericError("domain") outside [0, classes). */
export function oneHot(labels: NDArray, classes: number): NDArray {
  const out = ndarray([...labels.shape, classes]);
  for (let b = 0; b < labels.data.length; b++) {
    const label = labels.data[b];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new NumericError("domain", `oneHot: label ${label} at index ${b} is not a class index in [0, ${classes})`);
    }
    out.data[b * classes + label] = 1;
  }
  return out;
}
