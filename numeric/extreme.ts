/** Float64 max / min over a set of axes, and the position of the first maximum / minimum. */
import { sizeOf, stridesOf, type NDArray } from "./ndarray.js";

export type Extreme = "max" | "min";

/**
 * The largest (or smallest) entry of `a` over `axes`, or with `position` its row-major index within
 * the reduced axes (the first one on ties, as NumPy's argmax). `keepdims` keeps the reduced axes as
 * size 1. Every reduced block must be non-empty.
 */
export function extremeAxes(a: NDArray, axes: readonly number[], keepdims: boolean, which: Extreme, position = false): NDArray {
  const reduced = a.shape.map((_, i) => axes.includes(i));
  const keptShape = a.shape.map((d, i) => (reduced[i] ? 1 : d));
  const shape = keepdims ? keptShape : a.shape.filter((_, i) => !reduced[i]);
  const outStrides = stridesOf(keptShape);
  const redShape = a.shape.filter((_, i) => reduced[i]);
  const redStrides = stridesOf(redShape);
  const count = sizeOf(keptShape);
  const best = new Float64Array(count).fill(which === "max" ? -Infinity : Infinity);
  const at = new Float64Array(count).fill(-1);
  const idx = new Array<number>(a.shape.length).fill(0);
  const x = a.data;
  const better = which === "max" ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let i = 0; i < x.length; i++) {
    let o = 0;
    let r = 0;
    for (let d = 0, k = 0; d < idx.length; d++) {
      if (reduced[d]) r += idx[d] * redStrides[k++];
      else o += idx[d] * outStrides[d];
    }
    // NaN wins (and stays) as in NumPy's max; `at` keeps its first position.
    if (at[o] < 0 || better(x[i], best[o]) || (x[i] !== x[i] && best[o] === best[o])) {
      best[o] = x[i];
      at[o] = r;
    }
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < a.shape[d]) break;
      idx[d] = 0;
    }
  }
  return { shape, data: position ? at : best };
}
