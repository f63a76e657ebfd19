/**
 * The two adjoints of conv2d (numeric/nn/conv.ts), products with the same window matrices
 * (kernels/im2col.ts) with the roles of the arrays exchanged, so that
 * ⟨conv2d(x, w), g⟩ = ⟨x, gradInput(g, w)⟩ = ⟨w, gradWeight(x, g)⟩ holds up to summation order.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { convGeometry } from "./conv.js";
import { gemm } from "../gemm.js";
import { col2imAdd, im2col } from "./im2col.js";
import { scratch } from "../scratch.js";

function expectRank4(op: string, a: NDArray, what: string): number[] {
  if (a.shape.length !== 4) throw new RangeError(`${op}: expected ${what}, got [${a.shape.join(", ")}]`);
  return [...a.shape];
}

function checkOut(op: string, g: NDArray, want: number[]): void {
  if (g.shape.some((d, i) => d !== want[i])) throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${want.join(", ")}]`);
}

/**
 * x̄[n, c, r, s] = Σ_{o, p, q, i, j : i·s₀ − p₀ + p = r, j·s₁ − p₁ + q = s} g[n, o, i, j] · w[o, c, p, q]:
 * the transposed convolution. g [N, O, H', W'], w [O, C, kh, kw] → [N, C, H, W]. Per image, the
 * patch cotangents wᵀ·g (K×P), added back into the image (col2im).
 */
export function conv2dGradInput(g: NDArray, w: NDArray, stride: [number, number], padding: [number, number], inputSize: [number, number]): NDArray {
  const [N, O, Ho, Wo] = expectRank4("conv2dGradInput", g, "g [N,O,H',W']");
  const [Ow, C, kh, kw] = expectRank4("conv2dGradInput", w, "w [O,C,kh,kw]");
  const [H, W] = inputSize;
  const geo = convGeometry("conv2dGradInput", [N, C, H, W], w.shape, stride, padding);
  checkOut("conv2dGradInput", g, [N, Ow, geo.Ho, geo.Wo]);
  const P = Ho * Wo;
  const K = C * kh * kw;
  const out = ndarray([N, C, H, W]);
  const cols = scratch(0, K * P);
  for (let n = 0; n < N; n++) {
    gemm(K, P, O, w.data, 0, g.data, n * O * P, cols, 0, true);
    col2imAdd(geo, cols, out.data, n * C * H * W);
  }
  return out;
}

/**
 * w̄[o, c, p, q] = Σ_{n, i, j} g[n, o, i, j] · x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] (zero padding):
 * x [N, C, H, W], g [N, O, H', W'] → [O, C, kh, kw]. Per image, g (O×P) times the transposed patch
 * matrix, summed over the images.
 */
export function conv2dGradWeight(x: NDArray, g: NDArray, stride: [number, number], padding: [number, number], kernel: [number, number]): NDArray {
  const [N, C, H, W] = expectRank4("conv2dGradWeight", x, "x [N,C,H,W]");
  const [, O] = expectRank4("conv2dGradWeight", g, "g [N,O,H',W']");
  const [kh, kw] = kernel;
  const geo = convGeometry("conv2dGradWeight", x.shape, [O, C, kh, kw], stride, padding);
  checkOut("conv2dGradWeight", g, [N, O, geo.Ho, geo.Wo]);
  const P = geo.Ho * geo.Wo;
  const K = C * kh * kw;
  const out = ndarray([O, C, kh, kw]);
  const cols = scratch(0, K * P);
  const part = scratch(1, O * K);
  for (let n = 0; n < N; n++) {
    im2col(geo, x.data, n * C * H * W, cols);
    gemm(O, K, P, g.data, n * O * P, cols, 0, part, 0, false, true);
    for (let i = 0; i < O * K; i++) out.data[i] += part[i];
  }
  return out;
}
