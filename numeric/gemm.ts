/**
 * The one matrix-product loop the CPU kernels share (matmul, convolution and its adjoints, cov,
 * spectral functions). A 2×4 block of C is kept in locals while the k-loop runs, so each loaded
 * entry of A and B feeds several multiply-adds: 2–4× the throughput of the plain i-p-j loop in V8.
 * Every entry is still summed over p in ascending order starting from 0, so results are bitwise
 * those of the textbook loop, whichever layout the operands have.
 *
 * Operands are addressed by strides, so either may be stored transposed (`aT`: A is stored k×m;
 * `bT`: B is stored n×k): that is how the executor runs `matmul(transpose(x), y)` without
 * materialising the transpose. The inner loop moves pointers by adding strides (V8 does not
 * strength-reduce `p * stride`, which costs about 3×).
 */

/**
 * C[m×n] = op(A)·op(B), C row-major from `co` and overwritten. op(A) is the row-major m×k matrix at
 * `ao`, or with `aT` the transpose of the k×m matrix stored there; likewise op(B) (n×k stored).
 */
export function gemm(m: number, n: number, k: number, a: Float64Array, ao: number, b: Float64Array, bo: number, c: Float64Array, co: number, aT = false, bT = false): void {
  // Strides of A's rows (i) and columns (p), and of B's rows (p) and columns (j).
  const ars = aT ? 1 : k;
  const acs = aT ? m : 1;
  const brs = bT ? 1 : n;
  const bcs = bT ? k : 1;
  const b2s = 2 * bcs;
  const b3s = 3 * bcs;
  const m2 = m - (m % 2);
  const n4 = n - (n % 4);
  for (let i = 0; i < m2; i += 2) {
    const r0 = co + i * n;
    const r1 = r0 + n;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0, ap = ao + i * ars, bp = bo + j * bcs; p < k; p++, ap += acs, bp += brs) {
        const x0 = a[ap];
        const x1 = a[ap + ars];
        const b0 = b[bp], b1 = b[bp + bcs], b2 = b[bp + b2s], b3 = b[bp + b3s];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
      }
      c[r0 + j] = c00; c[r0 + j + 1] = c01; c[r0 + j + 2] = c02; c[r0 + j + 3] = c03;
      c[r1 + j] = c10; c[r1 + j + 1] = c11; c[r1 + j + 2] = c12; c[r1 + j + 3] = c13;
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0, s1 = 0;
      for (let p = 0, ap = ao + i * ars, bp = bo + j * bcs; p < k; p++, ap += acs, bp += brs) {
        const bv = b[bp];
        s0 += a[ap] * bv;
        s1 += a[ap + ars] * bv;
      }
      c[r0 + j] = s0;
      c[r1 + j] = s1;
    }
  }
  for (let i = m2; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, ap = ao + i * ars, bp = bo + j * bcs; p < k; p++, ap += acs, bp += brs) s += a[ap] * b[bp];
      c[co + i * n + j] = s;
    }
  }
}

/** The rows×cols matrix at `from` in `src`, transposed into `dst` at `to` (cols×rows, row-major). */
export function transposeInto(src: Float64Array, from: number, rows: number, cols: number, dst: Float64Array, to: number): void {
  for (let i = 0; i < rows; i++) {
    const row = from + i * cols;
    for (let j = 0; j < cols; j++) dst[to + j * rows + i] = src[row + j];
  }
}
