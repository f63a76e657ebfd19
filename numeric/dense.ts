/**
 * Small helpers over one row-major matrix stored in a Float64Array, shared by the batched kernels,
 * plus NumPy-style broadcasting of batch dims.
 */
import { sizeOf, stridesOf } from "./ndarray.js";
import { gemm } from "./gemm.js";

/** Max |x| over the entries. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]);
    if (v > m) m = v;
  }
  return m;
}

/** n×n identity, row-major. */
export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/**
 * `U diag(d) Uᵀ` for U n×r (row-major): the product (U·diag(d))·Uᵀ, whose upper triangle is then
 * mirrored, so the result is exactly symmetric (entry (i, j), i ≤ j, is Σ_c (u_ic·d_c)·u_jc in order).
 */
export function symmetricProduct(u: Float64Array, d: ArrayLike<number> | null, n: number, r: number): Float64Array {
  const scaled = d === null ? u : new Float64Array(n * r);
  if (d !== null) for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) scaled[i * r + c] = u[i * r + c] * d[c];
  const out = new Float64Array(n * n);
  gemm(n, n, r, scaled, 0, u, 0, out, 0, false, true);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[j * n + i] = out[i * n + j];
  return out;
}

/**
 * Flips the sign of each of `count` vectors of `len` entries (vector c's entry r at
 * v[c·vs + r·es]) so that its first entry whose magnitude is (up to round-off) the vector's largest
 * is positive. Exact ties go to the first such entry, so the choice is reproducible. Calls
 * `flipped(c)` for each vector it negated.
 */
export function fixVectorSigns(v: Float64Array, count: number, len: number, vs: number, es: number, flipped?: (c: number) => void): void {
  for (let c = 0; c < count; c++) {
    const o = c * vs;
    let m = 0;
    for (let r = 0; r < len; r++) m = Math.max(m, Math.abs(v[o + r * es]));
    if (m === 0) continue;
    let pick = 0;
    for (let r = 0; r < len; r++) {
      if (Math.abs(v[o + r * es]) >= m * (1 - 1e-9)) {
        pick = r;
        break;
      }
    }
    if (v[o + pick * es] < 0) {
      for (let r = 0; r < len; r++) v[o + r * es] = -v[o + r * es];
      flipped?.(c);
    }
  }
}

/** `fixVectorSigns` for the columns of `u` (rows×cols, row-major). */
export function fixColumnSigns(u: Float64Array, rows: number, cols: number, flipped?: (c: number) => void): void {
  fixVectorSigns(u, cols, rows, 1, cols, flipped);
}

/** NumPy broadcast of two shapes; RangeError when incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
    const db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: batch shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each flat index of the broadcast shape `out`, the flat index into an operand of shape `src`
 * (right-aligned, size-1 dims repeated).
 */
export function broadcastIndexMap(out: readonly number[], src: readonly number[]): Int32Array {
  const total = sizeOf(out);
  const map = new Int32Array(total);
  const srcStrides = stridesOf(src);
  const offset = out.length - src.length;
  const idx = new Array<number>(out.length).fill(0);
  for (let f = 0; f < total; f++) {
    let s = 0;
    for (let d = 0; d < src.length; d++) if (src[d] !== 1) s += idx[d + offset] * srcStrides[d];
    map[f] = s;
    for (let d = out.length - 1; d >= 0; d--) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return map;
}
