/**
 * The symmetric eigensolver behind `eigh` and the spectral functions: Householder reduction to
 * tridiagonal form (tred2) and the implicit QL algorithm (tql2), as in EISPACK/JAMA — backward
 * stable, O(n³). It is the algorithm ml-matrix implements, written on one Float64Array without
 * per-entry method calls or intermediate matrices (several times faster at n = 8–32; measured by
 * scripts/bench-eigh.mjs), and with an iteration limit so that it cannot spin.
 *
 * Storage: `z` (n×n, row-major) holds the eigenvector matrix *transposed*: z[c·n + r] = V(r, c), so
 * eigenvector c is the contiguous row c, and the hot loops scan memory sequentially.
 */
import { NumericError } from "../numeric-error.js";

/** QL iterations allowed per eigenvalue before giving up (LAPACK's dsteqr allows 30). */
const MAX_ITERATIONS = 60;

/** √(a² + b²) without overflow or underflow in the squares (cheaper than Math.hypot). */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** Householder tridiagonalisation of the symmetric matrix in `z` (replaced by the transform). */
function tred2(n: number, z: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = z[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = z[j * n + i - 1];
        z[j * n + i] = 0;
        z[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        z[i * n + j] = f;
        const row = j * n;
        g = e[j] + z[row + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += z[row + k] * d[k];
          e[k] += z[row + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) z[row + k] -= f * e[k] + g * d[k];
        d[j] = z[row + i - 1];
        z[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    z[i * n + n - 1] = z[i * n + i];
    z[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = z[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += z[next + k] * z[row + k];
        for (let k = 0; k <= i; k++) z[row + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) z[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = z[j * n + n - 1];
    z[j * n + n - 1] = 0;
  }
  z[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the rows of `z`; eigenvalues end ascending. */
function tql2(n: number, z: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && !(Math.abs(e[m]) <= eps * tst1)) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > MAX_ITERATIONS) throw new NumericError("no-convergence", `eigh: the QL iteration did not converge in ${MAX_ITERATIONS} steps`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const a = (i + 1) * n;
          const b = i * n;
          for (let k = 0; k < n; k++) {
            h = z[a + k];
            z[a + k] = s * z[b + k] + c * h;
            z[b + k] = c * z[b + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // Selection sort into ascending order (n swaps at most), moving the eigenvector rows along.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = z[i * n + j];
        z[i * n + j] = z[k * n + j];
        z[k * n + j] = t;
      }
    }
  }
}

/**
 * Eigenvalues (ascending, into `w`) and orthonormal eigenvectors of the symmetric n×n matrix that
 * `vt` holds on entry (row-major, exactly symmetric: callers symmetrise). On return row c of `vt` is
 * the eigenvector of w[c]. `e` is n entries of scratch.
 */
export function symmetricEigen(n: number, vt: Float64Array, w: Float64Array, e: Float64Array): void {
  if (n === 0) return;
  tred2(n, vt, w, e);
  tql2(n, vt, w, e);
}
