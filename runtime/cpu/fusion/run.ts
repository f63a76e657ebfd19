/**
 * Running a compiled group: the output shape is the inputs' broadcast; dims along which every
 * operand is laid out contiguously are merged, so the loop is a row kernel over the last merged dim
 * (inputs broadcast along it are loaded once per row) driven by an odometer over the others. The
 * layout depends only on the input shapes, so it is worked out once per shape combination.
 */
import { broadcastShape, broadcastStrides } from "../../../numeric/elementwise.js";
import { sizeOf, stridesOf, type NDArray } from "../../../numeric/ndarray.js";
import type { CompiledGroup, RowKernel } from "./kernel.js";

/** What a fused run gives: the root's value, or why the executor must evaluate node by node. */
export type GroupResult = { value: NDArray } | { fallback: "non-finite" | "no-kernel" | "shapes" };

interface Layout {
  readonly shape: readonly number[];
  readonly total: number;
  /** Merged dims, the last one the row. */
  readonly dims: readonly number[];
  /** Per input, its stride along each merged dim. */
  readonly strides: readonly (readonly number[])[];
  readonly kernel: RowKernel;
}

const layouts = new WeakMap<CompiledGroup, Map<string, Layout | "no-kernel" | "shapes">>();

function layoutOf(compiled: CompiledGroup, inputs: readonly NDArray[]): Layout | "no-kernel" | "shapes" {
  let byShapes = layouts.get(compiled);
  if (!byShapes) layouts.set(compiled, (byShapes = new Map()));
  const key = inputs.map((a) => a.shape.join(",")).join(";");
  const known = byShapes.get(key);
  if (known) return known;
  let result: Layout | "no-kernel" | "shapes";
  try {
    const shape = inputs.reduce<number[]>((s, a) => broadcastShape(s, a.shape), []);
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
    if (dims.length === 0) {
      dims.push(1);
      strides.forEach((s) => s.push(0));
    }
    dims.reverse();
    strides.forEach((s) => s.reverse());
    const kernel = compiled.kernel(strides.slice(1).map((s) => s[s.length - 1]));
    result = kernel ? { shape, total: sizeOf(shape), dims, strides: strides.slice(1), kernel } : "no-kernel";
  } catch {
    result = "shapes"; // the node-by-node run reports it as the op itself does
  }
  byShapes.set(key, result);
  return result;
}

export function runGroup(compiled: CompiledGroup, inputs: readonly NDArray[]): GroupResult {
  const layout = layoutOf(compiled, inputs);
  if (typeof layout === "string") return { fallback: layout };
  const { shape, total, dims, strides, kernel } = layout;
  const out = new Float64Array(total);
  if (total === 0) return { value: { shape: [...shape], data: out } };
  const inner = dims[dims.length - 1];
  const data = inputs.map((a) => a.data);
  const at = inputs.map(() => 0);
  const outer = dims.length - 1;
  const idx = new Array<number>(outer).fill(0);
  let chk = 0;
  for (let o = 0; o < total; o += inner) {
    chk += kernel(out, o, inner, data, at, compiled.params);
    for (let d = outer - 1; d >= 0; d--) {
      for (let j = 0; j < at.length; j++) at[j] += strides[j][d];
      if (++idx[d] < dims[d]) break;
      for (let j = 0; j < at.length; j++) at[j] -= strides[j][d] * dims[d];
      idx[d] = 0;
    }
  }
  // chk is ±0 while every value was finite (see kernel.ts).
  return chk === chk ? { value: { shape: [...shape], data: out } } : { fallback: "non-finite" };
}
