/** Test helpers: seeded random inputs and small dense checks over NDArray. */
import { expect } from "vitest";
import { type NDArray, ndarray, sizeOf } from "../../../numeric/ndarray.js";
import { NumericError, type NumericErrorKind } from "../../../numeric/numeric-error.js";
import { Random } from "../../../numeric/random.js";

/** Seeded uniforms in [0, 1): the runtime's own mulberry32 (numeric/random.ts). */
export function mulberry32(seed: number): () => number {
  const r = new Random(seed);
  return () => r.uniform();
}

/** Standard normal samples (Box–Muller) from a uniform generator. */
export function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export function randn(shape: readonly number[], seed: number): NDArray {
  const g = gaussian(mulberry32(seed));
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = g();
  return ndarray(shape, data);
}

/** Swaps the last two dims. */
export function transpose(a: NDArray): NDArray {
  const r = a.shape.length;
  const m = a.shape[r - 2];
  const n = a.shape[r - 1];
  const out = ndarray([...a.shape.slice(0, -2), n, m]);
  const count = sizeOf(a.shape.slice(0, -2));
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[b * m * n + j * m + i] = a.data[b * m * n + i * n + j];
  }
  return out;
}

/** Batched identity [...batch, n, n]. */
export function eye(batch: readonly number[], n: number): NDArray {
  const out = ndarray([...batch, n, n]);
  for (let b = 0; b < sizeOf(batch); b++) for (let i = 0; i < n; i++) out.data[b * n * n + i * n + i] = 1;
  return out;
}

/** Scales column c of each matrix by d[..., c] (i.e. A diag(d)). */
export function scaleColumns(a: NDArray, d: NDArray): NDArray {
  const r = a.shape.length;
  const m = a.shape[r - 2];
  const n = a.shape[r - 1];
  const out = ndarray(a.shape, a.data);
  for (let f = 0; f < out.data.length; f++) {
    const b = Math.floor(f / (m * n));
    out.data[f] *= d.data[b * n + (f % n)];
  }
  return out;
}

/**
 * Random symmetric positive definite matrices Q diag(λ) Qᵀ with λ spread log-uniformly in
 * [lo, hi] (Q from the QR of a Gaussian matrix, via Gram–Schmidt twice).
 */
export function randomSPD(batch: readonly number[], n: number, seed: number, lo = 0.5, hi = 4): NDArray {
  const rand = mulberry32(seed);
  const g = randn([...batch, n, n], seed + 1);
  const out = ndarray([...batch, n, n]);
  for (let b = 0; b < sizeOf(batch); b++) {
    const q = orthonormalColumns(g.data.subarray(b * n * n, (b + 1) * n * n), n, n);
    const lam = Array.from({ length: n }, () => lo * Math.pow(hi / lo, rand()));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += q[i * n + c] * lam[c] * q[j * n + c];
        out.data[b * n * n + i * n + j] = s;
      }
    }
    // Exact symmetry, as the kernels' own outputs have.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out.data[b * n * n + i * n + j] = out.data[b * n * n + j * n + i];
  }
  return out;
}

/** Modified Gram–Schmidt, two passes, on the columns of an m×k row-major matrix. */
export function orthonormalColumns(a: ArrayLike<number>, m: number, k: number): Float64Array {
  const q = Float64Array.from(a);
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < k; c++) {
      for (let p = 0; p < c; p++) {
        let d = 0;
        for (let r = 0; r < m; r++) d += q[r * k + p] * q[r * k + c];
        for (let r = 0; r < m; r++) q[r * k + c] -= d * q[r * k + p];
      }
      let nrm = 0;
      for (let r = 0; r < m; r++) nrm += q[r * k + c] ** 2;
      nrm = Math.sqrt(nrm);
      for (let r = 0; r < m; r++) q[r * k + c] /= nrm;
    }
  }
  return q;
}

/** Largest |a − b| over entries, after checking the shapes match. */
export function maxAbsDiff(a: NDArray, b: NDArray): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

export function maxAbs(a: NDArray): number {
  let m = 0;
  for (const v of a.data) m = Math.max(m, Math.abs(v));
  return m;
}

/** max|a − b| / max(max|b|, tiny): the relative error used throughout. */
export function relErr(a: NDArray, b: NDArray): number {
  return maxAbsDiff(a, b) / Math.max(maxAbs(b), 1e-300);
}

export function expectClose(a: NDArray, b: NDArray, tol: number): void {
  const e = relErr(a, b);
  if (!(e <= tol)) throw new Error(`relative error ${e} > ${tol}\n got  ${Array.from(a.data)}\n want ${Array.from(b.data)}`);
}

/** Asserts that `f` throws a NumericError of the given kind. */
export function expectNumericError(f: () => unknown, kind: NumericErrorKind): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NumericError);
  expect((caught as NumericError).kind).toBe(kind);
}

/** Nested number arrays → NDArray (rectangular input assumed). */
export function arr(nested: unknown): NDArray {
  const shape: number[] = [];
  let cur: unknown = nested;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const flat = (Array.isArray(nested) ? (nested as unknown[]).flat(Infinity) : [nested]) as number[];
  return ndarray(shape, flat);
}
