/** 2-D convolution (cross-correlation, as PyTorch's conv2d), NCHW. */
import { type NDArray, ndarray } from "../ndarray.js";
import { gemm } from "../gemm.js";
import { im2col, type ConvGeometry } from "./im2col.js";
import { scratch } from "../scratch.js";

/**
 * The sliding-window size rule, once for every layer that slides a window (conv, pools, their
 * adjoints; the IR's type rules and the WGSL kernels call it too): floor((size + 2·pad − kernel) / stride) + 1,
 * PyTorch's floor mode. Below 1 the window does not fit.
 */
export function slidingWindowExtent(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/** Output extent of a sliding window (slidingWindowExtent); RangeError if < 1. */
export function windowOutSize(size: number, kernel: number, stride: number, pad: number, op: string): number {
  if (!(stride >= 1) || !Number.isInteger(stride)) throw new RangeError(`${op}: stride ${stride} must be a positive integer`);
  if (!(pad >= 0) || !Number.isInteger(pad)) throw new RangeError(`${op}: padding ${pad} must be a non-negative integer`);
  const out = slidingWindowExtent(size, kernel, stride, pad);
  if (out < 1) throw new RangeError(`${op}: window ${kernel} does not fit input ${size} with padding ${pad}`);
  return out;
}

/** Checked geometry of conv2d(x, w): shapes, window sizes, output extent. */
export function convGeometry(op: string, x: readonly number[], w: readonly number[], stride: [number, number], padding: [number, number]): ConvGeometry {
  const [, C, H, W] = x;
  const [, Cw, kh, kw] = w;
  if (C !== Cw) throw new RangeError(`${op}: x has ${C} channels, w expects ${Cw}`);
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  return { C, H, W, kh, kw, sh, sw, ph, pw, Ho: windowOutSize(H, kh, sh, ph, op), Wo: windowOutSize(W, kw, sw, pw, op) };
}

/**
 * `y[n, o, i, j] = Σ_{c, p, q} x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] · w[o, c, p, q]` with zero
 * padding: x [N, C, H, W], w [O, C, kh, kw] → [N, O, H', W'], H' = floor((H + 2p₀ − kh)/s₀) + 1.
 * Per image, the patch matrix (im2col) times w viewed as O×(C·kh·kw).
 */
export function conv2d(x: NDArray, w: NDArray, stride: [number, number], padding: [number, number]): NDArray {
  if (x.shape.length !== 4 || w.shape.length !== 4) {
    throw new RangeError(`conv2d: expected x [N,C,H,W] and w [O,C,kh,kw], got [${x.shape.join(", ")}] and [${w.shape.join(", ")}]`);
  }
  const g = convGeometry("conv2d", x.shape, w.shape, stride, padding);
  const [N] = x.shape;
  const [O] = w.shape;
  const P = g.Ho * g.Wo;
  const K = g.C * g.kh * g.kw;
  const out = ndarray([N, O, g.Ho, g.Wo]);
  const cols = scratch(0, K * P);
  for (let n = 0; n < N; n++) {
    im2col(g, x.data, n * g.C * g.H * g.W, cols);
    gemm(O, P, K, w.data, 0, cols, 0, out.data, n * O * P);
  }
  return out;
}
