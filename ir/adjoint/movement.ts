/** Adjoint rules of reductions and data movement. */
import type { Dim } from "../types.js";
import type { AdjointRule } from "../op.js";
import { normaliseAxes } from "../shape.js";

/** Put the reduced axes back (size 1) so a reduction's cotangent broadcasts against its input. */
function keptShape(shape: readonly Dim[], axes: readonly number[]): Dim[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

const reduce = (mean: boolean): AdjointRule => ({ inputs: [x], attrs, cotangents: [g], e }) => {
  const axes = normaliseAxes("sum", (attrs.axis as number[] | null) ?? null, x.type.shape.length);
  let gx = e.broadcastTo(e.reshape(g!, keptShape(x.type.shape, axes)), x.type.shape);
  if (mean) gx = e.div(gx, e.count(axes.map((a) => x.type.shape[a]), x.type.dtype));
  return [gx];
};

/**
 * max/min: the cotangent goes to the extreme entries, split evenly among ties (as JAX's
 * reduce_max). For max, y − x ≥ 0 and sign(y − x) is 0 exactly at a maximum.
 */
const extreme = (which: "max" | "min"): AdjointRule => ({ inputs: [x], outputs: [y], attrs, cotangents: [g], e }) => {
  const axes = normaliseAxes(which, (attrs.axis as number[] | null) ?? null, x.type.shape.length);
  const kept = keptShape(x.type.shape, axes);
  const yk = e.reshape(y, kept);
  const gap = which === "max" ? e.sub(yk, x) : e.sub(x, yk);
  const mask = e.sub(1, e.op("sign", [gap]));
  const ties = e.op("sum", [mask], { axis: axes, keepdims: true });
  return [e.mul(mask, e.div(e.reshape(g!, kept), ties))];
};

export const MOVEMENT_ADJOINTS: Record<string, AdjointRule> = {
  sum: reduce(false),
  mean: reduce(true),
  max: extreme("max"),
  min: extreme("min"),
  transpose: ({ cotangents: [g], e }) => [e.transpose(g!)],
  reshape: ({ inputs: [x], cotangents: [g], e }) => [e.reshape(g!, x.type.shape)],
  broadcastTo: ({ inputs: [x], cotangents: [g], e }) => [e.sumTo(g!, x.type.shape)],
  diag: ({ cotangents: [g], e }) => [e.op("diagm", [g!])],
  diagm: ({ cotangents: [g], e }) => [e.op("diag", [g!])],
  // Only the diagonal of x reaches the output of trace: x̄ = ḡ·I (batched).
  trace: ({ inputs: [x], cotangents: [g], e }) => {
    const n = x.type.shape[x.type.shape.length - 1];
    const eye = e.op("eye", [], { shape: [n, n], dtype: x.type.dtype === "f64" ? "f64" : "f32" });
    return [e.mul(e.reshape(g!, [...g!.type.shape, 1, 1]), eye)];
  },
  assume: ({ cotangents: [g] }) => [g],
};
