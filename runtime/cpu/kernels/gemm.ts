/**
 * The one matrix-product loop the CPU kernels share (matmul, convolution and its adjoints).
 * A 2×4 block of C is kept in locals while the k-loop runs, so each loaded entry of A and B feeds
 * several multiply-adds: about 4× the throughput of the plain i-p-j loop in V8. Every entry is
 * still summed over p in ascending order starting from 0, so results are bitwise those of the
 * textbook loop.
 */

/** C[m×n] = A[m×k] · B[k×n], each row-major and contiguous from its offset; C is overwritten. */
export function gemm(m: number, n: number, k: number, a: Float64Array, ao: number, b: Float64Array, bo: number, c: Float64Array, co: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = ao + i * k;
    const a1 = a0 + k;
    const r0 = co + i * n;
    const r1 = r0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
      }
      c[r0 + j] = c00; c[r0 + j + 1] = c01; c[r0 + j + 2] = c02; c[r0 + j + 3] = c03;
      c[r1 + j] = c10; c[r1 + j + 1] = c11; c[r1 + j + 2] = c12; c[r1 + j + 3] = c13;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) {
        const bv = b[bp];
        s0 += a[a0 + p] * bv;
        s1 += a[a1 + p] * bv;
      }
      c[r0 + j] = s0;
      c[r1 + j] = s1;
    }
  }
  for (; i < m; i++) {
    const a0 = ao + i * k;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) s += a[a0 + p] * b[bp];
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
