/**
 * conv2d and its two adjoints (patch matrices + gemm: numeric/nn/im2col.ts) against the
 * direct definitions, over random geometries: kernels 1–4, strides 1–3, padding 0–3 (more than
 * the kernel, so whole windows fall in the padding), inputs 1–9 wide, several images, channels
 * and filters.
 */
import { describe, expect, it } from "vitest";
import { conv2dGradInput, conv2dGradWeight } from "../../../numeric/nn/conv-grad.js";
import { conv2d } from "../../../numeric/nn/conv.js";
import type { NDArray } from "../../../numeric/ndarray.js";
import { mulberry32 } from "./helpers.js";

describe("conv2d, conv2dGradInput, conv2dGradWeight over random geometries", () => {
  it("match the direct sums (300 geometries)", () => {
    const rand = mulberry32(21);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const arr = (shape: number[]): NDArray => ({ shape, data: Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rand() - 0.5) });
    let checked = 0;
    while (checked < 300) {
      const [N, C, O, kh, kw, sh, sw, ph, pw, H, W] = [int(1, 3), int(1, 4), int(1, 3), int(1, 4), int(1, 4), int(1, 3), int(1, 3), int(0, 3), int(0, 3), int(1, 9), int(1, 9)];
      const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
      const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
      if (Ho < 1 || Wo < 1) continue;
      checked++;
      const x = arr([N, C, H, W]);
      const w = arr([O, C, kh, kw]);
      const g = arr([N, O, Ho, Wo]);
      const y = new Float64Array(N * O * Ho * Wo);
      const gx = new Float64Array(x.data.length);
      const gw = new Float64Array(w.data.length);
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++)
          for (let i = 0; i < Ho; i++)
            for (let j = 0; j < Wo; j++) {
              const out = ((n * O + o) * Ho + i) * Wo + j;
              for (let c = 0; c < C; c++)
                for (let a = 0; a < kh; a++)
                  for (let b = 0; b < kw; b++) {
                    const r = i * sh - ph + a;
                    const q = j * sw - pw + b;
                    if (r < 0 || r >= H || q < 0 || q >= W) continue;
                    const xi = ((n * C + c) * H + r) * W + q;
                    const wi = ((o * C + c) * kh + a) * kw + b;
                    y[out] += x.data[xi] * w.data[wi];
                    gx[xi] += g.data[out] * w.data[wi];
                    gw[wi] += g.data[out] * x.data[xi];
                  }
            }
      const what = `N=${N} C=${C} O=${O} k=${kh}×${kw} s=${sh},${sw} p=${ph},${pw} in=${H}×${W}`;
      const close = (got: Float64Array, want: Float64Array, label: string) => {
        for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i] - want[i]) <= 1e-13)) expect.fail(`${label} ${what}: [${i}] ${got[i]} vs ${want[i]}`);
      };
      close(conv2d(x, w, [sh, sw], [ph, pw]).data, y, "conv2d");
      close(conv2dGradInput(g, w, [sh, sw], [ph, pw], [H, W]).data, gx, "conv2dGradInput");
      close(conv2dGradWeight(x, g, [sh, sw], [ph, pw], [kh, kw]).data, gw, "conv2dGradWeight");
    }
  });
});
