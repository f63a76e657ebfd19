/**
 * The two adjoints of conv2d (runtime/cpu/kernels/conv.ts), written as the same loops with the
 * roles of the arrays exchanged, so that ⟨conv2d(x, w), g⟩ = ⟨x, gradInput(g, w)⟩ = ⟨w, gradWeight(x, g)⟩
 * holds up to summation order.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { windowOutSize } from "../kernels/conv.js";

function expectRank4(op: string, a: NDArray, what: string): number[] {
  if (a.shape.length !== 4) throw new RangeError(`${op}: expected ${what}, got [${a.shape.join(", ")}]`);
  return [...a.shape];
}

function checkOut(op: string, g: NDArray, want: number[]): void {
  if (g.shape.some((d, i) => d !== want[i])) throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${want.join(", ")}]`);
}

/**
 * x̄[n, c, r, s] = Σ_{o, p, q, i, j : i·s₀ − p₀ + p = r, j·s₁ − p₁ + q = s} g[n, o, i, j] · w[o, c, p, q]:
 * the transposed convolution. g [N, O, H', W'], w [O, C, kh, kw] → [N, C, H, W].
 */
export function conv2dGradInput(g: NDArray, w: NDArray, stride: [number, number], padding: [number, number], inputSize: [number, number]): NDArray {
  const [N, O, Ho, Wo] = expectRank4("conv2dGradInput", g, "g [N,O,H',W']");
  const [Ow, C, kh, kw] = expectRank4("conv2dGradInput", w, "w [O,C,kh,kw]");
  const [H, W] = inputSize;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  checkOut("conv2dGradInput", g, [N, Ow, windowOutSize(H, kh, sh, ph, "conv2dGradInput"), windowOutSize(W, kw, sw, pw, "conv2dGradInput")]);
  const out = ndarray([N, C, H, W]);
  const gd = g.data;
  const wd = w.data;
  const xd = out.data;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const gBase = (n * O + o) * Ho * Wo;
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
                xd[xBase + r * W + col] += gd[gBase + i * Wo + j] * wv;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * w̄[o, c, p, q] = Σ_{n, i, j} g[n, o, i, j] · x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] (zero padding):
 * x [N, C, H, W], g [N, O, H', W'] → [O, C, kh, kw].
 */
export function conv2dGradWeight(x: NDArray, g: NDArray, stride: [number, number], padding: [number, number], kernel: [number, number]): NDArray {
  const [N, C, H, W] = expectRank4("conv2dGradWeight", x, "x [N,C,H,W]");
  const [, O, Ho, Wo] = expectRank4("conv2dGradWeight", g, "g [N,O,H',W']");
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  checkOut("conv2dGradWeight", g, [N, O, windowOutSize(H, kh, sh, ph, "conv2dGradWeight"), windowOutSize(W, kw, sw, pw, "conv2dGradWeight")]);
  const out = ndarray([O, C, kh, kw]);
  const gd = g.data;
  const xd = x.data;
  const wd = out.data;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const gBase = (n * O + o) * Ho * Wo;
      for (let c = 0; c < C; c++) {
        const xBase = (n * C + c) * H * W;
        const wBase = (o * C + c) * kh * kw;
        for (let p = 0; p < kh; p++) {
          for (let q = 0; q < kw; q++) {
            let acc = 0;
            for (let i = 0; i < Ho; i++) {
              const r = i * sh - ph + p;
              if (r < 0 || r >= H) continue;
              for (let j = 0; j < Wo; j++) {
                const col = j * sw - pw + q;
                if (col < 0 || col >= W) continue;
                acc += gd[gBase + i * Wo + j] * xd[xBase + r * W + col];
              }
            }
            wd[wBase + p * kw + q] += acc;
          }
        }
      }
    }
  }
  return out;
}
