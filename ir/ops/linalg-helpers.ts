/**
 * Small helpers the rules of issue 12's linalg ops share (ir/ops/{linalg-reductions,factorizations,
 * matrix-power}.ts).
 */
import { fail } from "../diagnostics.js";
import type { Emitter } from "../emitter.js";
import type { Value } from "../graph.js";
import { formatShape, type Dim, type TensorType } from "../types.js";

/** k = min(m, n), known when both are numbers or the same name. */
export function thinDim(op: string, t: TensorType, m: Dim, n: Dim): Dim {
  if (m === n) return m;
  if (typeof m === "number" && typeof n === "number") return Math.min(m, n);
  return fail("MP2012", `${op}: cannot tell min(${m}, ${n}) for the named dims of ${formatShape(t.shape)}; give sizes`);
}

/** Is the matrix tall or square (m ≥ n)? Named dims: only when equal. */
export function tallOrSquare(m: Dim, n: Dim): boolean {
  return m === n || (typeof m === "number" && typeof n === "number" && m >= n);
}

/** [...batch] → [...batch, 1, 1] (or [..., 1] for `vector`), to broadcast against matrices. */
export function asColumn(e: Emitter, v: Value, dims = 2): Value {
  return e.reshape(v, [...v.type.shape, ...Array<Dim>(dims).fill(1)]);
}

/** The size of `v`'s k-th dim from the end. */
export const last = (v: Value, k = 1) => v.type.shape[v.type.shape.length - k];
