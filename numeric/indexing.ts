/**
 * Float64 concatenation, slicing, gathering (`take`) and its scatter-add adjoint, and axis
 * permutation. Each views an array as [outer, axis, inner] around the axis it works on.
 */
import { NumericError } from "./numeric-error.js";
import { sizeOf, stridesOf, type NDArray } from "./ndarray.js";

/** Π of the dims before `axis` and Π of the dims after it. */
function around(shape: readonly number[], axis: number): [number, number] {
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
}

export function concatenate(parts: readonly NDArray[], axis: number): NDArray {
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
  const [outer, inner] = around(shape, axis);
  const out = new Float64Array(sizeOf(shape));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (const p of parts) {
      const n = p.shape[axis] * inner;
      out.set(p.data.subarray(b * n, (b + 1) * n), o);
      o += n;
    }
  }
  return { shape, data: out };
}

/** Entries start ≤ k < stop along `axis`. */
export function slice(x: NDArray, axis: number, start: number, stop: number): NDArray {
  const shape = [...x.shape];
  shape[axis] = stop - start;
  const [outer, inner] = around(x.shape, axis);
  const n = x.shape[axis];
  const width = (stop - start) * inner;
  const out = new Float64Array(outer * width);
  for (let b = 0; b < outer; b++) out.set(x.data.subarray((b * n + start) * inner, (b * n + stop) * inner), b * width);
  return { shape, data: out };
}

/**
 * The message of an index out of range, at flat index `at` of take's result: the same words the
 * WebGPU check reports (codegen/domain.ts takeCheck).
 */
export function takeRangeMessage(n: number, at: number | string): string {
  return `take: an index is out of range for an axis of size ${n} (at flat index ${at} of the result)`;
}

/** Position of index `i` along an axis of size n, negative ones counted from the end (NumPy). */
function position(i: number, n: number, at: number): number {
  if (!(i >= -n && i < n)) throw new NumericError("domain", takeRangeMessage(n, at));
  return i < 0 ? i + n : i;
}

/** x's entries at `indices` along `axis`: shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function take(x: NDArray, indices: NDArray, axis: number): NDArray {
  const n = x.shape[axis];
  const [outer, inner] = around(x.shape, axis);
  const m = indices.data.length;
  const out = new Float64Array(outer * m * inner);
  for (let b = 0; b < outer; b++) {
    for (let k = 0; k < m; k++) {
      const p = position(indices.data[k], n, (b * m + k) * inner);
      out.set(x.data.subarray((b * n + p) * inner, (b * n + p + 1) * inner), (b * m + k) * inner);
    }
  }
  return { shape: [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], data: out };
}

/** The adjoint of take: g's entries added back at their indices along `axis` of size n (repeats accumulate). */
export function takeGrad(g: NDArray, indices: NDArray, axis: number, n: number): NDArray {
  const shape = [...g.shape.slice(0, axis), n, ...g.shape.slice(axis + indices.shape.length)];
  const [outer, inner] = around(shape, axis);
  const m = indices.data.length;
  const out = new Float64Array(sizeOf(shape));
  for (let b = 0; b < outer; b++) {
    for (let k = 0; k < m; k++) {
      const p = position(indices.data[k], n, (b * m + k) * inner);
      const from = (b * m + k) * inner;
      const to = (b * n + p) * inner;
      for (let j = 0; j < inner; j++) out[to + j] += g.data[from + j];
    }
  }
  return { shape, data: out };
}

/** Output dim d is input dim axes[d] (numpy.transpose(x, axes)). */
export function permute(x: NDArray, axes: readonly number[]): NDArray {
  const shape = axes.map((a) => x.shape[a]);
  const st = stridesOf(x.shape);
  const from = axes.map((a) => st[a]);
  const out = new Float64Array(x.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x.data[src];
    for (let d = shape.length - 1; d >= 0; d--) {
      src += from[d];
      if (++idx[d] < shape[d]) break;
      src -= from[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}
