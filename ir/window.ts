/** Shape rules of sliding-window ops on NCHW images (conv2d, pools and their gradients). */
import { intListAttr, type Attrs } from "./attrs.js";
import { fail } from "./diagnostics.js";
import { formatShape, type Dim, type TensorType } from "./types.js";
import { slidingWindowExtent } from "../numeric/nn/conv.js";

export type Pair = [number, number];

/** Demand rank 4 with sized spatial dims; returns [N, C, H, W]. */
export function nchw(op: string, t: TensorType, what: string): [Dim, Dim, number, number] {
  if (t.shape.length !== 4) fail("MP2007", `${op}: ${what} must be NCHW (rank 4), got ${formatShape(t.shape)}`);
  const [n, c, h, w] = t.shape;
  if (typeof h !== "number" || typeof w !== "number") fail("MP2012", `${op}: spatial dims of ${what} must be sizes, got ${formatShape(t.shape)}`);
  return [n, c, h, w];
}

/** Output size of a sliding window: floor((size + 2·pad − window) / stride) + 1. */
export function windowOut(op: string, size: number, window: number, stride: number, pad: number): number {
  const out = slidingWindowExtent(size, window, stride, pad);
  if (out < 1) fail("MP2001", `${op}: window ${window} with padding ${pad} does not fit in size ${size}`);
  return out;
}

/** The `stride` and `padding` attributes (and the window size under `kernelKey`, when given). */
export function windowAttrs(op: string, attrs: Attrs, kernelKey?: string): { stride: Pair; padding: Pair; kernel?: Pair } {
  const stride = intListAttr(op, attrs, "stride", 2, 1) as Pair;
  const padding = intListAttr(op, attrs, "padding", 2, 0) as Pair;
  const kernel = kernelKey ? (intListAttr(op, attrs, kernelKey, 2, 1) as Pair) : undefined;
  return { stride, padding, kernel };
}
