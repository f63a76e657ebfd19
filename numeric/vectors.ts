/** Batched vectors [..., n] (eigenvalues, singular values), the inputs of the gap and Loewner kernels. */
import { type NDArray, sizeOf } from "./ndarray.js";

export function vectorBatch(v: NDArray, op: string): { batch: number[]; n: number; count: number } {
  if (v.shape.length < 1) throw new RangeError(`${op}: expected a vector [..., n], got a scalar`);
  const batch = v.shape.slice(0, -1);
  return { batch, n: v.shape[v.shape.length - 1], count: sizeOf(batch) };
}

/** Max |x| over entries [from, from + n). */
export function maxAbsRange(x: Float64Array, from: number, n: number): number {
  let m = 0;
  for (let i = from; i < from + n; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

