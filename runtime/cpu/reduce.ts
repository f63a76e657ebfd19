/** Float64 sum over a set of axes. */
import { sizeOf, stridesOf, type NDArray } from "./ndarray.js";

export function sumAxes(a: NDArray, axes: readonly number[], keepdims: boolean): NDArray {
  const keptShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outStrides = stridesOf(keptShape);
  const out = new Float64Array(sizeOf(keptShape));
  const idx = new Array<number>(a.shape.length).fill(0);
  for (let i = 0; i < a.data.length; i++) {
    let o = 0;
    for (let d = 0; d < idx.length; d++) if (!axes.includes(d)) o += idx[d] * outStrides[d];
    out[o] += a.data[i];
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < a.shape[d]) break;
      idx[d] = 0;
    }
  }
  const shape = keepdims ? keptShape : a.shape.filter((_, i) => !axes.includes(i));
  return { shape, data: out };
}

export function countAxes(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((p, ax) => p * shape[ax], 1);
}
