/** 2-D average and max pooling on [N, C, H, W] (PyTorch semantics). */
import { type NDArray, ndarray } from "../ndarray.js";
import { windowOutSize } from "./conv.js";

type Reduce = "avg" | "max";

function pool2d(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number], mode: Reduce): NDArray {
  const op = `${mode}Pool2d`;
  if (x.shape.length !== 4) throw new RangeError(`${op}: expected x [N,C,H,W], got [${x.shape.join(", ")}]`);
  const [N, C, H, W] = x.shape;
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  if (!(kh >= 1 && kw >= 1)) throw new RangeError(`${op}: kernel [${kernel.join(", ")}] must be positive`);
  // PyTorch's rule; it guarantees every window holds at least one real input element.
  if (2 * ph > kh || 2 * pw > kw) throw new RangeError(`${op}: padding [${padding.join(", ")}] exceeds half the kernel`);
  const Ho = windowOutSize(H, kh, sh, ph, op);
  const Wo = windowOutSize(W, kw, sw, pw, op);
  const out = ndarray([N, C, Ho, Wo]);
  const xd = x.data;
  const area = kh * kw;
  for (let nc = 0; nc < N * C; nc++) {
    const xBase = nc * H * W;
    const yBase = nc * Ho * Wo;
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        let acc = mode === "max" ? -Infinity : 0;
        for (let p = 0; p < kh; p++) {
          const r = i * sh - ph + p;
          if (r < 0 || r >= H) continue;
          for (let q = 0; q < kw; q++) {
            const c = j * sw - pw + q;
            if (c < 0 || c >= W) continue;
            const v = xd[xBase + r * W + c];
            // `!(v <= acc)` keeps a NaN input visible instead of dropping it.
            if (mode === "max") acc = !(v <= acc) ? v : acc;
            else acc += v;
          }
        }
        // count_include_pad = true: padded zeros count, the divisor is always kh·kw.
        out.data[yBase + i * Wo + j] = mode === "max" ? acc : acc / area;
      }
    }
  }
  return out;
}

/**
 * Average pooling, zero padding counted in the divisor (PyTorch count_include_pad = true,
 * ceil_mode = false). x [N, C, H, W] → [N, C, H', W'], H' = floor((H + 2p − k)/s) + 1.
 */
export function avgPool2d(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return pool2d(x, kernel, stride, padding, "avg");
}

/** Max pooling with −∞ padding (PyTorch, ceil_mode = false). Padding must be ≤ kernel/2. */
export function maxPool2d(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): NDArray {
  return pool2d(x, kernel, stride, padding, "max");
}
