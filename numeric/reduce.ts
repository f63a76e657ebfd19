/** Float64 sum over a set of axes. */
import { sizeOf, type NDArray } from "./ndarray.js";

/**
 * Sum of `a` over `axes`. Adjacent dims that are both summed or both kept are merged first, so the
 * walk is an odometer over a few dims with a plain inner loop; each output entry still adds its
 * inputs in flat-index order, as the textbook loop does.
 */
export function sumAxes(a: NDArray, axes: readonly number[], keepdims: boolean): NDArray {
  const summed = a.shape.map((_, i) => axes.includes(i));
  const keptShape = a.shape.map((d, i) => (summed[i] ? 1 : d));
  const out = new Float64Array(sizeOf(keptShape));
  const shape = keepdims ? keptShape : a.shape.filter((_, i) => !summed[i]);
  if (a.data.length === 0) return { shape, data: out };
  // Merged dims: extent and output stride (0 where summed), dims of size 1 dropped.
  const dims: number[] = [];
  const strides: number[] = [];
  let outStride = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    const n = a.shape[d];
    if (n === 1) continue;
    const stride = summed[d] ? 0 : outStride;
    const last = dims.length - 1;
    if (last >= 0 && (stride === 0) === (strides[last] === 0) && (stride === 0 || stride === strides[last] * dims[last])) {
      dims[last] *= n;
    } else {
      dims.push(n);
      strides.push(stride);
    }
    if (!summed[d]) outStride *= n;
  }
  dims.reverse();
  strides.reverse();
  if (dims.length === 0) {
    out[0] += a.data[0];
    return { shape, data: out };
  }
  const inner = dims[dims.length - 1];
  const innerSummed = strides[strides.length - 1] === 0;
  const idx = new Array<number>(dims.length - 1).fill(0);
  const x = a.data;
  let o = 0;
  for (let i = 0; i < x.length; i += inner) {
    if (innerSummed) {
      let s = out[o];
      for (let j = 0; j < inner; j++) s += x[i + j];
      out[o] = s;
    } else {
      for (let j = 0; j < inner; j++) out[o + j] += x[i + j];
    }
    // Odometer over the outer dims, moving the output offset along.
    for (let d = idx.length - 1; d >= 0; d--) {
      o += strides[d];
      if (++idx[d] < dims[d]) break;
      o -= strides[d] * dims[d];
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

export function countAxes(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((p, ax) => p * shape[ax], 1);
}
