/** Float64 elementwise evaluation with NumPy broadcasting. */
import { sizeOf, stridesOf, type NDArray } from "./ndarray.js";

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 1; i <= n; i++) {
    const x = i <= a.length ? a[a.length - i] : 1;
    const y = i <= b.length ? b[b.length - i] : 1;
    if (x !== y && x !== 1 && y !== 1) throw new RangeError(`shapes [${a}] and [${b}] do not broadcast`);
    out[n - i] = x === 1 ? y : x;
  }
  return out;
}

/** Strides that read `shape` as if it had `target`'s shape (0 along broadcast dims). */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const off = target.length - shape.length;
  return target.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : own[i - off]));
}

export function map(a: NDArray, f: (x: number) => number): NDArray {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]);
  return { shape: [...a.shape], data: out };
}

export function zip(a: NDArray, b: NDArray, f: (x: number, y: number) => number): NDArray {
  const shape = broadcastShape(a.shape, b.shape);
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  if (sameShape(a.shape, shape) && sameShape(b.shape, shape)) {
    for (let i = 0; i < n; i++) out[i] = f(a.data[i], b.data[i]);
    return { shape, data: out };
  }
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    out[i] = f(a.data[ia], b.data[ib]);
    // Odometer increment over the output index, moving both read offsets along.
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

/** Materialise `a` broadcast to `shape`. */
export function broadcastTo(a: NDArray, shape: readonly number[]): NDArray {
  return zip(a, { shape: [...shape], data: new Float64Array(sizeOf(shape)) }, (x) => x);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** numpy.where: a where cond ≠ 0, else b, all three broadcast together. */
export function where(cond: NDArray, a: NDArray, b: NDArray): NDArray {
  const shape = broadcastShape(cond.shape, broadcastShape(a.shape, b.shape));
  const c = broadcastTo(cond, shape).data;
  const x = broadcastTo(a, shape).data;
  const y = broadcastTo(b, shape).data;
  const out = new Float64Array(c.length);
  for (let i = 0; i < out.length; i++) out[i] = c[i] !== 0 ? x[i] : y[i];
  return { shape, data: out };
}
