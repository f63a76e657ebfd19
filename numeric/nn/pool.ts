/**
 * 2-D average and max pooling on [N, C, H, W] (PyTorch semantics), and the window walk their
 * adjoints (numeric/nn/pool-grad.ts) share, so the backward routes a max window's
 * cotangent to exactly the element the forward picked.
 */
import { type NDArray, ndarray } from "../ndarray.js";
import { windowOutSize } from "./conv.js";

export interface PoolGeometry {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly Ho: number;
  readonly Wo: number;
}

/** Validate a pooling of x and size its output. */
export function poolGeometry(op: string, x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number]): PoolGeometry {
  if (x.shape.length !== 4) throw new RangeError(`${op}: expected x [N,C,H,W], got [${x.shape.join(", ")}]`);
  const [N, C, H, W] = x.shape;
  const [kh, kw] = kernel;
  if (!(kh >= 1 && kw >= 1)) throw new RangeError(`${op}: kernel [${kernel.join(", ")}] must be positive`);
  // PyTorch's rule; it guarantees every window holds at least one real input element.
  if (2 * padding[0] > kh || 2 * padding[1] > kw) throw new RangeError(`${op}: padding [${padding.join(", ")}] exceeds half the kernel`);
  const Ho = windowOutSize(H, kh, stride[0], padding[0], op);
  const Wo = windowOutSize(W, kw, stride[1], padding[1], op);
  return { N, C, H, W, kernel, stride, padding, Ho, Wo };
}

/**
 * Flat indices into x of the real (unpadded) cells of window (i, j) of image-channel `nc`, in
 * row-major window order, written to `into`; returns how many.
 */
function windowCells(g: PoolGeometry, nc: number, i: number, j: number, into: Int32Array): number {
  const [kh, kw] = g.kernel;
  let n = 0;
  for (let p = 0; p < kh; p++) {
    const r = i * g.stride[0] - g.padding[0] + p;
    if (r < 0 || r >= g.H) continue;
    for (let q = 0; q < kw; q++) {
      const c = j * g.stride[1] - g.padding[1] + q;
      if (c >= 0 && c < g.W) into[n++] = (nc * g.H + r) * g.W + c;
    }
  }
  return n;
}

/** The window's maximum: the first in row-major window order wins ties; `!(v <= best)` lets NaN through. */
export function windowArgmax(xd: Float64Array, cells: Int32Array, count: number): number {
  let arg = cells[0];
  for (let k = 1; k < count; k++) if (!(xd[cells[k]] <= xd[arg])) arg = cells[k];
  return arg;
}

/**
 * Visits every output window in order: `visit(o, cells, n)` with o the flat output index and
 * cells[0..n) the flat input indices the window covers (the loop nest pooling and its adjoints share).
 */
export function forEachWindow(g: PoolGeometry, visit: (o: number, cells: Int32Array, n: number) => void): void {
  const cells = new Int32Array(g.kernel[0] * g.kernel[1]);
  let o = 0;
  for (let nc = 0; nc < g.N * g.C; nc++) {
    for (let i = 0; i < g.Ho; i++) {
      for (let j = 0; j < g.Wo; j++, o++) visit(o, cells, windowCells(g, nc, i, j, cells));
    }
  }
}

function pool2d(x: NDArray, kernel: [number, number], stride: [number, number], padding: [number, number], mode: "avg" | "max"): NDArray {
  const g = poolGeometry(`${mode}Pool2d`, x, kernel, stride, padding);
  const out = ndarray([g.N, g.C, g.Ho, g.Wo]);
  const area = kernel[0] * kernel[1];
  forEachWindow(g, (o, cells, n) => {
    if (mode === "max") out.data[o] = x.data[windowArgmax(x.data, cells, n)];
    else {
      // count_include_pad = true: padded zeros count, the divisor is always kh·kw.
      let acc = 0;
      for (let k = 0; k < n; k++) acc += x.data[cells[k]];
      out.data[o] = acc / area;
    }
  });
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
