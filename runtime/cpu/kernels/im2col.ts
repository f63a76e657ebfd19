/**
 * Convolution windows laid out as matrices, so that conv2d and its two adjoints are matrix products
 * (kernels/gemm.ts): the patches of one image as a K×P matrix (K = C·kh·kw window entries, P =
 * H'·W' output positions; zero where the window hangs over the padding), its transpose, and the
 * scatter-add back (col2im) that the input adjoint needs.
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

/** Output columns j whose tap q lands inside [0, W): j·sw − pw + q ∈ [0, W). Returns [from, to). */
function validRange(q: number, s: number, p: number, size: number, out: number): [number, number] {
  const from = Math.max(0, Math.ceil((p - q) / s));
  const to = Math.min(out, Math.floor((size - 1 + p - q) / s) + 1);
  return [from, Math.max(from, to)];
}

/**
 * Image `x` (C×H×W at `xo`) → its patches. `transposed` false: K×P (row (c,p,q), column (i,j));
 * true: P×K. `cols` must hold K·P entries; every entry is written.
 */
export function im2col(g: ConvGeometry, x: Float64Array, xo: number, cols: Float64Array, transposed: boolean): void {
  const { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  const P = Ho * Wo;
  const K = C * kh * kw;
  // (row stride, column stride) of entry (k, pos) in `cols`.
  const ks = transposed ? 1 : P;
  const ps = transposed ? K : 1;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < kh; p++) {
      const [i0, i1] = validRange(p, sh, ph, H, Ho);
      for (let q = 0; q < kw; q++) {
        const k = (c * kh + p) * kw + q;
        const [j0, j1] = validRange(q, sw, pw, W, Wo);
        for (let i = 0; i < Ho; i++) {
          const base = k * ks + i * Wo * ps;
          if (i < i0 || i >= i1) {
            for (let j = 0; j < Wo; j++) cols[base + j * ps] = 0;
            continue;
          }
          const row = xo + (c * H + i * sh - ph + p) * W - pw + q;
          for (let j = 0; j < j0; j++) cols[base + j * ps] = 0;
          for (let j = j0; j < j1; j++) cols[base + j * ps] = x[row + j * sw];
          for (let j = j1; j < Wo; j++) cols[base + j * ps] = 0;
        }
      }
    }
  }
}

/** The adjoint of `im2col` (K×P layout): adds each patch entry back into image `x` at `xo`. */
export function col2imAdd(g: ConvGeometry, cols: Float64Array, x: Float64Array, xo: number): void {
  const { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  const P = Ho * Wo;
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < kh; p++) {
      const [i0, i1] = validRange(p, sh, ph, H, Ho);
      for (let q = 0; q < kw; q++) {
        const k = (c * kh + p) * kw + q;
        const [j0, j1] = validRange(q, sw, pw, W, Wo);
        for (let i = i0; i < i1; i++) {
          const base = k * P + i * Wo;
          const row = xo + (c * H + i * sh - ph + p) * W - pw + q;
          for (let j = j0; j < j1; j++) x[row + j * sw] += cols[base + j];
        }
      }
    }
  }
}
