/**
 * Loewner matrices of divided differences, the L of the Daleckii–Krein rule (docs/architecture.md, rule 2):
 * `L_ij = (f(λ_i) − f(λ_j)) / (λ_i − λ_j)`, `L_ii = f′(λ_i)`. They stay finite at repeated
 * eigenvalues, which is why the adjoint of a spectral function uses them instead of rule 1.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { NumericError } from "../numeric-error.js";
import { SCALAR_FUNCTIONS, type FunctionParams, type ScalarFunction, type SpectralFn } from "./functions.js";
import { maxAbsRange, vectorBatch } from "../vectors.js";

/** Below this relative gap `divdiff` uses the mean of the two derivatives. */
export const DIVDIFF_TOL = 1e-5;

/**
 * w [..., n] → L [..., n, n], the Loewner matrix of a row of functions.ts; exactly symmetric
 * (each pair is computed once, ordered so the stable formula applies). NumericError("domain") for
 * λ ≤ 0 under log, and for λ ≤ 0 under sqrt (at 0 the derivative is unbounded).
 */
export function loewner(w: NDArray, fn: SpectralFn, params: FunctionParams = {}): NDArray {
  const row: ScalarFunction = SCALAR_FUNCTIONS[fn];
  const { batch, n, count } = vectorBatch(w, "loewner");
  const out = ndarray([...batch, n, n]);
  for (let b = 0; b < count; b++) {
    const base = b * n;
    const o = b * n * n;
    const scale = maxAbsRange(w.data, base, n);
    for (let i = 0; i < n; i++) {
      const x = w.data[base + i];
      if (!Number.isFinite(x)) throw new NumericError("non-finite", `loewner(${fn}): eigenvalue ${x} is not finite`);
      row.derivativeDomain(x, scale);
    }
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const x = w.data[base + i];
        const y = w.data[base + j];
        const v = x >= y ? row.divdiff(x, y, params) : row.divdiff(y, x, params);
        if (!Number.isFinite(v)) throw new NumericError("non-finite", `loewner(${fn}): divided difference at (${x}, ${y}) overflows`);
        out.data[o + i * n + j] = v;
        out.data[o + j * n + i] = v;
      }
    }
  }
  return out;
}

/**
 * The Loewner matrix of an arbitrary elementwise g from its values gw = g(w) and derivatives
 * dgw = g′(w): (gw_i − gw_j)/(w_i − w_j) where |w_i − w_j| > 1e-5·max(|w_i|, |w_j|, 1e-300), else
 * (dgw_i + dgw_j)/2 — the divided difference up to O(δ²·g‴), and exact at repeated eigenvalues.
 * Exactly symmetric.
 */
export function divdiff(w: NDArray, gw: NDArray, dgw: NDArray): NDArray {
  const { batch, n, count } = vectorBatch(w, "divdiff");
  for (const [name, v] of [["g(w)", gw], ["g′(w)", dgw]] as const) {
    if (v.shape.length !== w.shape.length || v.shape.some((d, i) => d !== w.shape[i])) {
      throw new RangeError(`divdiff: ${name} has shape [${v.shape.join(", ")}], w has [${w.shape.join(", ")}]`);
    }
  }
  const out = ndarray([...batch, n, n]);
  const x = w.data;
  for (let b = 0; b < count; b++) {
    const base = b * n;
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const xi = x[base + i];
        const xj = x[base + j];
        const d = xi - xj;
        const v =
          Math.abs(d) > DIVDIFF_TOL * Math.max(Math.abs(xi), Math.abs(xj), 1e-300)
            ? (gw.data[base + i] - gw.data[base + j]) / d
            : (dgw.data[base + i] + dgw.data[base + j]) / 2;
        out.data[o + i * n + j] = v;
        out.data[o + j * n + i] = v;
      }
    }
  }
  return out;
}
