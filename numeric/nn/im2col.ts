/**
 * Convolution windows laid out as matrices, so that conv2d and its two adjoints are matrix products
 * (numeric/gemm.ts): the patches of one image as a K×P matrix (K = C·kh·kw window entries, P =
 * H'·W' output positions; zero where the window hangs over the padding), and the scatter-add back
 * (col2im) that the input adjoint needs.
 */

export interface ConvGeometry {
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly Ho: number;
  readonly Wo: number;
}

/** For each tap t of a window (0 ≤ t < kernel): the outputs i with i·s − pad + t ∈ [0, size), as [from, to) pairs. */
function validRanges(kernel: number, s: number, pad: number, size: number, out: number): Int32Array {
  const r = new Int32Array(2 * kernel);
  for (let t = 0; t < kernel; t++) {
    const from = Math.min(out, Math.max(0, Math.ceil((pad - t) / s)));
    const to = Math.min(out, Math.floor((size - 1 + pad - t) / s) + 1);
    r[2 * t] = from;
    r[2 * t + 1] = Math.max(from, to);
  }
  return r;
}

/**
 * The one loop nest over a window's in-image entries: row (c,p,q), column (i,j) of the K×P patch
 * matrix `cols` ↔ entry (c, i·sh − ph + p, j·sw − pw + q) of image `x` at `xo`. `gather` copies image
 * entries into `cols` (im2col); otherwise it adds `cols` back into the image (col2im).
 */
function patches(g: ConvGeometry, x: Float64Array, xo: number, cols: Float64Array, gather: boolean): void {
  const { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  const P = Ho * Wo;
  const rows = validRanges(kh, sh, ph, H, Ho);
  const colsOf = validRanges(kw, sw, pw, W, Wo);
  let base = 0;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < kh; p++) {
      const i0 = rows[2 * p];
      const i1 = rows[2 * p + 1];
      for (let q = 0; q < kw; q++, base += P) {
        const j0 = colsOf[2 * q];
        const j1 = colsOf[2 * q + 1];
        for (let i = i0; i < i1; i++) {
          const o = base + i * Wo;
          const row = xo + (c * H + i * sh - ph + p) * W - pw + q;
          // The direction is chosen per row, outside the innermost loop.
          if (gather) for (let j = j0, at = row + j0 * sw; j < j1; j++, at += sw) cols[o + j] = x[at];
          else for (let j = j0, at = row + j0 * sw; j < j1; j++, at += sw) x[at] += cols[o + j];
        }
      }
    }
  }
}

/**
 * Image `x` (C×H×W at `xo`) → its K×P patch matrix (row (c,p,q), column (i,j)) in `cols`, which
 * must hold K·P entries; every entry is written.
 */
export function im2col(g: ConvGeometry, x: Float64Array, xo: number, cols: Float64Array): void {
  // Zero everything once (a memset), then copy the entries that lie inside the image.
  cols.fill(0, 0, g.C * g.kh * g.kw * g.Ho * g.Wo);
  patches(g, x, xo, cols, true);
}

/** The adjoint of `im2col`: adds each entry of the K×P patch matrix back into image `x` at `xo`. */
export function col2imAdd(g: ConvGeometry, cols: Float64Array, x: Float64Array, xo: number): void {
  patches(g, x, xo, cols, false);
}
