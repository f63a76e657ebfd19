/** NumPy's sign, the derivative of |x| away from 0 (the adjoint pass uses it for abs). */
import { type NDArray } from "./ndarray.js";

/** −1, 0 or 1 elementwise (−0 gives 0; NaN stays NaN so the executor reports it). */
export function sign(x: NDArray): NDArray {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i];
    out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN;
  }
  return { shape: [...x.shape], data: out };
}
