/** NumPy broadcast_to: the adjoint of a broadcasting elementwise op's reduction, run forwards. */
import { broadcastTo as broadcastAny } from "./elementwise.js";
import { type NDArray } from "./ndarray.js";

/**
 * `x` materialised at `shape`: x's dims, aligned from the right, must equal the target's or be 1,
 * and x may not have more dims than the target (RangeError otherwise; broadcasting is one-way).
 */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  const off = shape.length - x.shape.length;
  const ok = off >= 0 && x.shape.every((d, i) => d === 1 || d === shape[off + i]);
  if (!ok) throw new RangeError(`broadcastTo: cannot broadcast [${x.shape.join(", ")}] to [${shape.join(", ")}]`);
  return broadcastAny(x, shape);
}
