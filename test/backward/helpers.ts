/** Running the backward-only ops through the registry, as the executor does. */
import type { Attrs } from "../../ir/attrs.js";
import { type EvalContext } from "../../ir/op.js";
import { getOp } from "../../ir/registry.js";
import type { Dim, TensorType } from "../../ir/types.js";
import type { NDArray } from "../../numeric/ndarray.js";

export function ctxOf(dims: Readonly<Record<string, number>> = {}): EvalContext {
  return {
    dim: (d: Dim) => {
      if (typeof d === "number") return d;
      const v = dims[d];
      if (v === undefined) throw new Error(`dim ${d} unbound`);
      return v;
    },
  };
}

/** Evaluates op `name` on float64 arrays; returns its first output. */
export function run(name: string, inputs: readonly NDArray[], attrs: Attrs = {}, dims: Readonly<Record<string, number>> = {}): NDArray {
  return getOp(name).evalCPU(inputs, attrs, ctxOf(dims))[0];
}

export function infer(name: string, inputs: readonly TensorType[], attrs: Attrs = {}): TensorType {
  return getOp(name).infer(inputs, attrs)[0];
}

/** ⟨a, b⟩ over all entries (shapes must agree). */
export function dot(a: NDArray, b: NDArray): number {
  if (a.data.length !== b.data.length) throw new Error(`dot: ${a.data.length} vs ${b.data.length} entries`);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}
