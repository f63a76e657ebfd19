/** Softmax over the last axis, the probabilities the cross-entropy adjoint subtracts the labels from. */
import { type NDArray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";

/** exp(z − max z) / Σ exp(z − max z) along the last axis, batched over the leading dims. */
export function softmax(z: NDArray): NDArray {
  if (z.shape.length < 1) throw new RangeError("softmax: expected rank ≥ 1, got a scalar");
  const C = z.shape[z.shape.length - 1];
  const out = new Float64Array(z.data.length);
  const rows = C === 0 ? 0 : z.data.length / C;
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, z.data[base + c]);
    if (!Number.isFinite(m)) throw new NumericError("non-finite", `softmax: row ${r} has no finite maximum (${m})`);
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(z.data[base + c] - m);
      out[base + c] = e;
      s += e;
    }
    for (let c = 0; c < C; c++) out[base + c] /= s;
  }
  return { shape: [...z.shape], data: out };
}
