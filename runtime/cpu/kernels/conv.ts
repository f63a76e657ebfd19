/** 2-D convolution (cross-correlation, as PyTorch's conv2d), NCHW. */
import { type NDArray, ndarray } from "../ndarray.js";

/** Output extent of a sliding window: floor((size + 2·pad − kernel) / stride) + 1; RangeError if < 1. */
export function windowOutSize(size: number, kernel: number, stride: number, pad: number, op: string): number {
  if (!(stride >= 1) || !Number.isInteger(stride)) throw new RangeError(`${op}: stride ${stride} must be a positive integer`);
  if (!(pad >= 0) || !Number.isInteger(pad)) throw new RangeError(`${op}: padding ${pad} must be a non-negative integer`);
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  if (out < 1) throw new RangeError(`${op}: window ${kernel} does not fit input ${size} with padding ${pad}`);
  return out;
}

/**
 * `y[n, o, i, j] = Σ_{c, p, q} x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] · w[o, c, p, q]` with zero
 * padding: x [N, C, H, W], w [O, C, kh, kw] → [N, O, H', W'], H' = floor((H + 2p₀ − kh)/s₀) + 1.
 */
export function conv2d(x: NDArray, w: NDArray, stride: [number, number], padding: [number, number]): NDArray {
  if (x.shape.length !== 4 || w.shape.length !== 4) {
    throw new RangeError(`conv2d: expected x [N,C,H,W] and w [O,C,kh,kw], got [${x.shape.join(", ")}] and [${w.shape.join(", ")}]`);
  }
  const [N, C, H, W] = x.shape;
  const [O, Cw, kh, kw] = w.shape;
  if (C !== Cw) throw new RangeError(`conv2d: x has ${C} channels, w expects ${Cw}`);
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const Ho = windowOutSize(H, kh, sh, ph, "conv2d");
  const Wo = windowOutSize(W, kw, sw, pw, "conv2d");
  const out = ndarray([N, O, Ho, Wo]);
  const xd = x.data;
  const wd = w.data;
  const yd = out.data;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const yBase = (n * O + o) * Ho * Wo;
      for (let c = 0; c < C; c++) {
        const xBase = (n * C + c) * H * W;
        const wBase = (o * C + c) * kh * kw;
        for (let p = 0; p < kh; p++) {
          for (let q = 0; q < kw; q++) {
            const wv = wd[wBase + p * kw + q];
            for (let i = 0; i < Ho; i++) {
              const r = i * sh - ph + p;
              if (r < 0 || r >= H) continue;
              for (let j = 0; j < Wo; j++) {
                const col = j * sw - pw + q;
                if (col < 0 || col >= W) continue;
                yd[yBase + i * Wo + j] += xd[xBase + r * W + col] * wv;
              }
            }
          }
        }
      }
    }
  }
  return out;
}
