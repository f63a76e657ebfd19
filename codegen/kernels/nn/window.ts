/**
 * Sliding-window geometry shared by conv and pooling (the conventions of numeric/nn/conv.ts
 * and pool.ts: NCHW, floor mode, H' = floor((H + 2p − k)/s) + 1).
 */
import { slidingWindowExtent } from "../../../numeric/nn/conv.js";

export type Pair = readonly [number, number];
export type Shape4 = readonly [number, number, number, number];

function checkPositiveInts(op: string, what: string, v: readonly number[], min: number): void {
  if (v.some((d) => !Number.isInteger(d) || d < min)) throw new RangeError(`${op}: ${what} [${v.join(", ")}] must be integers ≥ ${min}`);
}

export function checkShape4(op: string, what: string, shape: readonly number[]): Shape4 {
  if (shape.length !== 4) throw new RangeError(`${op}: expected ${what} of rank 4, got [${shape.join(", ")}]`);
  checkPositiveInts(op, what, shape, 1);
  return shape as unknown as Shape4;
}

/** Output extent of a window; RangeError (as the CPU kernel) when the window does not fit. */
export function windowOut(op: string, size: number, kernel: number, stride: number, pad: number): number {
  checkPositiveInts(op, "stride", [stride], 1);
  checkPositiveInts(op, "padding", [pad], 0);
  checkPositiveInts(op, "kernel", [kernel], 1);
  const out = slidingWindowExtent(size, kernel, stride, pad);
  if (out < 1) throw new RangeError(`${op}: window ${kernel} does not fit input ${size} with padding ${pad}`);
  return out;
}

/** [H', W'] for an [H, W] input. */
export function windowOut2(op: string, size: Pair, kernel: Pair, stride: Pair, padding: Pair): [number, number] {
  return [windowOut(op, size[0], kernel[0], stride[0], padding[0]), windowOut(op, size[1], kernel[1], stride[1], padding[1])];
}

/**
 * WGSL computing the range of window indices `lo..=hi` along one axis whose window covers input
 * coordinate `coord`: window i reads i·s − p … i·s − p + k − 1. Written without dividing a negative
 * number (WGSL's i32 division truncates toward zero).
 */
export function coveringRange(lo: string, hi: string, coord: string, k: number, s: number, p: number, outSize: number): string {
  return `let ${lo}_t = ${coord} + ${p - k + 1};
  let ${lo} = select(0, (${lo}_t + ${s - 1}) / ${s}, ${lo}_t > 0);
  let ${hi} = min(${outSize - 1}, (${coord} + ${p}) / ${s});`;
}
