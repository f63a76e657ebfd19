/**
 * Measures of how well defined an op is at given float64 values, per matrix of a batch: eigenvalue
 * and singular-value gaps, condition numbers, the margin that fixes an eigenvector's sign, the
 * distance of entries from a kink. Recipes ask these before they apply an op to a computed value
 * (test/fuzz/recipes), and the thresholds below are what "well defined" means in this campaign.
 */
import { eighMatrix } from "../../numeric/linalg/eigh.js";
import { svdMatrix } from "../../numeric/linalg/svd.js";
import { matrixBatch, type NDArray } from "../../numeric/ndarray.js";
import { forEachWindow, poolGeometry } from "../../numeric/nn/pool.js";

/**
 * Thresholds, all relative to the matrix's own scale. An f32 kernel perturbs a matrix by about
 * n·u·‖A‖ (u = 2⁻²⁴ ≈ 6e-8, n ≤ 33), so an eigenvector moves by about n·u·‖A‖/gap: with the gap
 * at least 1% of ‖A‖ that is ≤ 2e-4, well inside the tolerance rule of tolerance.ts; a sign margin
 * of 1% cannot be crossed by such a move. Conditions up to 1e3 keep solve/inv errors near 1e-4.
 */
export const MIN_REL_GAP = 1e-2;
export const MIN_SIGN_MARGIN = 1e-2;
export const MAX_CONDITION = 1e3;
/** Entries closer than this (relative to the array's scale) to a kink of relu/abs/max/sign are moved off it. */
export const KINK_MARGIN = 1e-3;

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

export function minOf(x: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < x.length; i++) m = Math.min(m, x[i]);
  return m;
}

function matrices(a: NDArray): { rows: number; cols: number; each: Float64Array[] } {
  const { rows, cols, count } = matrixBatch(a);
  return { rows, cols, each: Array.from({ length: count }, (_, b) => a.data.subarray(b * rows * cols, (b + 1) * rows * cols)) };
}

/** Ascending eigenvalues and eigenvectors of every matrix of a symmetric batch. */
export function spectra(a: NDArray): { w: Float64Array; u: Float64Array; n: number }[] {
  const { rows, each } = matrices(a);
  return each.map((m) => ({ ...eighMatrix(m, rows), n: rows }));
}

/** Smallest gap between consecutive ascending values, relative to the largest magnitude. */
export function relativeGap(w: ArrayLike<number>): number {
  const scale = maxAbs(w) || 1;
  let gap = Infinity;
  for (let i = 1; i < w.length; i++) gap = Math.min(gap, Math.abs(w[i] - w[i - 1]));
  return gap / scale;
}

/**
 * How safely each column's sign is fixed by the convention "largest-magnitude entry positive":
 * the smallest, over columns, of (|largest| − |largest of the opposite sign|) / |largest|.
 */
export function signMargin(u: Float64Array, rows: number, cols: number): number {
  let margin = Infinity;
  for (let c = 0; c < cols; c++) {
    let top = 0;
    for (let r = 0; r < rows; r++) if (Math.abs(u[r * cols + c]) > Math.abs(top)) top = u[r * cols + c];
    let rival = 0;
    for (let r = 0; r < rows; r++) {
      const v = u[r * cols + c];
      if (Math.sign(v) !== Math.sign(top)) rival = Math.max(rival, Math.abs(v));
    }
    margin = Math.min(margin, (Math.abs(top) - rival) / Math.abs(top));
  }
  return margin;
}

/** Eigenvectors usable one by one: distinct eigenvalues and signs that no rounding can flip. */
export function eigenvectorsDefined(a: NDArray): boolean {
  return spectra(a).every(({ w, u, n }) => relativeGap(w) >= MIN_REL_GAP && signMargin(u, n, n) >= MIN_SIGN_MARGIN);
}

/** The top-k eigenprojector is defined with a gap of at least MIN_REL_GAP·‖A‖ below its k-th eigenvalue. */
export function projectorGapOk(a: NDArray, k: number): boolean {
  return spectra(a).every(({ w, n }) => k === n || (w[n - k] - w[n - k - 1]) / (maxAbs(w) || 1) >= MIN_REL_GAP);
}

/** Smallest and largest eigenvalue over a symmetric batch. */
export function eigenRange(a: NDArray): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const { w } of spectra(a)) {
    min = Math.min(min, w[0]);
    max = Math.max(max, w[w.length - 1]);
  }
  return { min, max };
}

/** Singular values (descending) and left vectors of every matrix of a batch. */
export function singular(a: NDArray): { s: Float64Array; u: Float64Array; rows: number; k: number }[] {
  const { rows, cols, each } = matrices(a);
  return each.map((m) => ({ ...svdMatrix(m, rows, cols), rows, k: Math.min(rows, cols) }));
}

/** σ_max/σ_min over a batch (∞ when singular). */
export function condition(a: NDArray): number {
  return Math.max(...singular(a).map(({ s }) => s[0] / s[s.length - 1]));
}

/** Singular vectors usable one by one: distinct, nonzero singular values and safe signs. */
export function singularVectorsDefined(a: NDArray): boolean {
  return singular(a).every(({ s, u, rows, k }) => relativeGap(s) >= MIN_REL_GAP && s[k - 1] / s[0] >= MIN_REL_GAP && signMargin(u, rows, k) >= MIN_SIGN_MARGIN);
}

/**
 * Smallest |x_i − c| relative to `scale`: by default that of x, but at least 1 (values here are of
 * order 1, and a lone tiny entry is as close to a kink as a tiny entry among large ones).
 */
export function kinkDistance(x: ArrayLike<number>, c = 0, scale = Math.max(maxAbs(x), 1)): number {
  let d = Infinity;
  for (let i = 0; i < x.length; i++) d = Math.min(d, Math.abs(x[i] - c));
  return d / scale;
}

/** Flat indices of the real cells of every pooling window of x [N, C, H, W] (the CPU kernel's own walk). */
export function poolWindows(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): number[][] {
  const windows: number[][] = [];
  forEachWindow(poolGeometry("pool", x, kernel, stride, padding), (_, cells, n) => windows.push([...cells.subarray(0, n)]));
  return windows;
}

/**
 * Every window's largest entry beats the runner-up by more than `margin(window)` (exact ties that
 * `tieAllowed` accepts pass): max pooling picks the same entry in f32 as in f64.
 */
export function windowsDecided(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number], margin: (cells: number[]) => number, tieAllowed: (cells: number[], top: number) => boolean): boolean {
  for (const cells of poolWindows(x, kernel, stride, padding)) {
    if (cells.length < 2) continue;
    const sorted = [...cells].sort((p, q) => x.data[q] - x.data[p]);
    const gap = x.data[sorted[0]] - x.data[sorted[1]];
    if (gap === 0 && tieAllowed(cells, x.data[sorted[0]])) continue;
    if (gap <= margin(cells)) return false;
  }
  return true;
}

/** The flat indices of each slice that a reduction over `axes` (non-negative) collapses into one entry. */
export function reducedSlices(shape: readonly number[], axes: readonly number[]): number[][] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const groups = new Map<number, number[]>();
  const total = shape.reduce((p, d) => p * d, 1);
  for (let flat = 0; flat < total; flat++) {
    let key = 0;
    for (let i = 0; i < shape.length; i++) if (!axes.includes(i)) key += Math.floor(flat / strides[i]) % shape[i] * strides[i];
    const g = groups.get(key);
    if (g) g.push(flat);
    else groups.set(key, [flat]);
  }
  return [...groups.values()];
}

/** True when in every reduced slice both the largest and the smallest entry lead the runner-up by more than `margin(cells)`. */
export function slicesDecided(x: NDArray, axes: readonly number[], margin: number | ((cells: number[]) => number)): boolean {
  for (const cells of reducedSlices(x.shape, axes)) {
    if (cells.length < 2) continue;
    const sorted = cells.map((i) => x.data[i]).sort((p, q) => q - p);
    const m = typeof margin === "number" ? margin : margin(cells);
    if (sorted[0] - sorted[1] <= m || sorted[sorted.length - 2] - sorted[sorted.length - 1] <= m) return false;
  }
  return true;
}
