/**
 * Running a compiled group: the output shape is the inputs' broadcast; dims along which every
 * operand is laid out contiguously are merged, so the loop is a row kernel over the last merged dim
 * (inputs broadcast along it are loaded once per row) driven by an odometer over the others.
 */
import { broadcastShape, broadcastStrides } from "../elementwise.js";
import { sizeOf, stridesOf, type NDArray } from "../ndarray.js";
import type { CompiledGroup } from "./kernel.js";

/** What a fused run gives: the root's value, or why the executor must evaluate node by node. */
export type GroupResult = { value: NDArray } | { fallback: "non-finite" | "no-kernel" | "shapes" };

export function runGroup(compiled: CompiledGroup, inputs: readonly NDArray[]): GroupResult {
  let shape: number[];
  try {
    shape = inputs.reduce<number[]>((s, a) => broadcastShape(s, a.shape), []);
  } catch {
    return { fallback: "shapes" }; // the node-by-node run reports it as the op itself does
  }
  const total = sizeOf(shape);
  const out = new Float64Array(total);
  if (total === 0) return { value: { shape, data: out } };

  // Strides of the output and each input over the output's dims; merge what stays contiguous.
  const all = [stridesOf(shape), ...inputs.map((a) => broadcastStrides(a.shape, shape))];
  const dims: number[] = [];
  const strides: number[][] = all.map(() => []);
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && all.every((s, a) => s[d] === strides[a][last] * dims[last])) {
      dims[last] *= shape[d];
    } else {
      dims.push(shape[d]);
      all.forEach((s, a) => strides[a].push(s[d]));
    }
  }
  dims.reverse();
  strides.forEach((s) => s.reverse());
  const inner = dims.length ? dims[dims.length - 1] : 1;
  const innerStrides = inputs.map((_, j) => (dims.length ? strides[j + 1][dims.length - 1] : 0));
  const kernel = compiled.kernel(innerStrides);
  if (!kernel) return { fallback: "no-kernel" };

  const data = inputs.map((a) => a.data);
  const at = inputs.map(() => 0);
  const outer = dims.length - 1;
  const idx = new Array<number>(Math.max(outer, 0)).fill(0);
  let chk = 0;
  for (let o = 0; o < total; o += inner) {
    chk += kernel(out, o, inner, data, at, compiled.params);
    for (let d = outer - 1; d >= 0; d--) {
      for (let j = 0; j < at.length; j++) at[j] += strides[j + 1][d];
      if (++idx[d] < dims[d]) break;
      for (let j = 0; j < at.length; j++) at[j] -= strides[j + 1][d] * dims[d];
      idx[d] = 0;
    }
  }
  // chk is ±0 while every value was finite (see kernel.ts).
  return chk === chk ? { value: { shape, data: out } } : { fallback: "non-finite" };
}
