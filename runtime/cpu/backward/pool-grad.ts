/**
 * Adjoints of avgPool2d and maxPool2d (runtime/cpu/kernels/pool.ts): each window's cotangent goes
 * back to the input positions the forward window read — spread evenly (average, padded zeros
 * counted, so each real position gets g/(kh·kw)), or all to the element the forward max picked.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { windowOutSize } from "../kernels/conv.js";

type Mode = "avg" | "max";

function poolBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number], mode: Mode): NDArray {
  const op = `${mode}Pool2dBackward`;
  if (x.shape.length !== 4) throw new RangeError(`${op}: expected x [N,C,H,W], got [${x.shape.join(", ")}]`);
  const [N, C, H, W] = x.shape;
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  if (2 * ph > kh || 2 * pw > kw) throw new RangeError(`${op}: padding [${padding.join(", ")}] exceeds half the kernel`);
  const Ho = windowOutSize(H, kh, sh, ph, op);
  const Wo = windowOutSize(W, kw, sw, pw, op);
  const want = [N, C, Ho, Wo];
  if (g.shape.length !== 4 || g.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${want.join(", ")}]`);
  }
  const out = ndarray(x.shape);
  const xd = x.data;
  const area = kh * kw;
  for (let nc = 0; nc < N * C; nc++) {
    const xBase = nc * H * W;
    const gBase = nc * Ho * Wo;
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const gv = g.data[gBase + i * Wo + j];
        let best = -Infinity;
        let arg = -1;
        for (let p = 0; p < kh; p++) {
          const r = i * sh - ph + p;
          if (r < 0 || r >= H) continue;
          for (let q = 0; q < kw; q++) {
            const c = j * sw - pw + q;
            if (c < 0 || c >= W) continue;
            const at = xBase + r * W + c;
            if (mode === "avg") out.data[at] += gv / area;
            // The forward's exact test: the first maximum in row-major window order wins ties.
            else if (arg < 0 || !(xd[at] <= best)) {
              best = xd[at];
              arg = at;
            }
          }
        }
        if (mode === "max" && arg >= 0) out.data[arg] += gv;
      }
    }
  }
  return out;
}

/** x [N, C, H, W] (for its shape), g [N, C, H', W'] → x̄, the adjoint of avgPool2d (count_include_pad). */
export function avgPool2dBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return poolBackward(x, g, kernel, stride, padding, "avg");
}

/** x [N, C, H, W], g [N, C, H', W'] → x̄: each window's cotangent added at its (first) maximum. */
export function maxPool2dBackward(x: NDArray, g: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return poolBackward(x, g, kernel, stride, padding, "max");
}
