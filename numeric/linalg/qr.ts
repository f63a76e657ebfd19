/**
 * Reduced QR by Householder reflections (numpy.linalg.qr(mode="reduced") shapes), normalised so
 * that R's diagonal is ≥ 0. LAPACK leaves the diagonal's signs to the data; fixing them makes the
 * factorisation of a full-rank matrix unique, hence a smooth function of A (what its gradient
 * differentiates) and the same on the f32 device as in this float64 reference.
 */
import { type NDArray, matrixBatch, ndarray } from "../ndarray.js";
import { assertFinite } from "../numeric-error.js";

/**
 * A = Q R for one m×n row-major matrix, k = min(m, n): Q m×k with orthonormal columns, R k×n upper
 * triangular (upper trapezoidal when n > m) with R_jj ≥ 0.
 */
export function qrMatrix(x: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array } {
  assertFinite(x, "qr");
  const k = Math.min(m, n);
  const a = Float64Array.from(x); // reduced in place to R (upper part)
  const vs: Float64Array[] = []; // reflector j acts on rows j.. with v (vᵀv = 2, or v = 0: identity)
  for (let j = 0; j < k; j++) {
    // Scaled norm of a[j.., j], so that the squares cannot overflow or underflow.
    let scale = 0;
    for (let i = j; i < m; i++) scale = Math.max(scale, Math.abs(a[i * n + j]));
    const v = new Float64Array(m - j);
    vs.push(v);
    if (scale === 0) continue;
    let ss = 0;
    for (let i = j; i < m; i++) ss += (a[i * n + j] / scale) ** 2;
    const norm = scale * Math.sqrt(ss);
    // Reflect onto −sign(x₀)‖x‖e₁ (no cancellation in x₀ − α), then v normalised to vᵀv = 2.
    const alpha = a[j * n + j] >= 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i - j] = a[i * n + j];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    const s = Math.sqrt(2 / vv);
    for (let i = 0; i < v.length; i++) v[i] *= s;
    // a[j.., j..] ← (I − v vᵀ) a[j.., j..]
    for (let c = j; c < n; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j] * a[i * n + c];
      for (let i = j; i < m; i++) a[i * n + c] -= dot * v[i - j];
    }
    a[j * n + j] = alpha;
    for (let i = j + 1; i < m; i++) a[i * n + j] = 0;
  }
  // Q = H₀ H₁ … H_{k−1} applied to the first k columns of I, right to left.
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j] * q[i * k + c];
      if (dot === 0) continue;
      for (let i = j; i < m; i++) q[i * k + c] -= dot * v[i - j];
    }
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    // R_ii ≥ 0: flip row i of R and column i of Q together (Q R unchanged).
    const flip = a[i * n + i] < 0 ? -1 : 1;
    for (let c = i; c < n; c++) r[i * n + c] = flip * a[i * n + c];
    if (flip < 0) for (let row = 0; row < m; row++) q[row * k + i] = -q[row * k + i];
  }
  return { q, r };
}

/** `[Q, R]` for each [m, n] matrix of the batch: Q [..., m, k], R [..., k, n], k = min(m, n), R_jj ≥ 0. */
export function qr(a: NDArray): [NDArray, NDArray] {
  const { batch, rows: m, cols: n, count } = matrixBatch(a);
  const k = Math.min(m, n);
  const Q = ndarray([...batch, m, k]);
  const R = ndarray([...batch, k, n]);
  for (let b = 0; b < count; b++) {
    const { q, r } = qrMatrix(a.data.subarray(b * m * n, (b + 1) * m * n), m, n);
    Q.data.set(q, b * m * k);
    R.data.set(r, b * k * n);
  }
  return [Q, R];
}
