/** Reductions over axes (all axes by default), NumPy-style `axis` and `keepdims`: sum, mean, max, min, argmax, argmin. */
import { axesAttr, boolAttr, type Attrs } from "../attrs.js";
import { type AdjointRule, OpTable } from "../op.js";
import { normaliseAxes, reducedShape } from "../shape.js";
import { fail } from "../diagnostics.js";
import { isFloat, tensorType, type Dim, type Structure, type TensorType } from "../types.js";
import { countAxes, sumAxes } from "../../numeric/reduce.js";
import { map } from "../../numeric/elementwise.js";
import { extremeAxes } from "../../numeric/extreme.js";

const table = new OpTable();

/** Put the reduced axes back (size 1) so a reduction's cotangent broadcasts against its input. */
function keptShape(shape: readonly Dim[], axes: readonly number[]): Dim[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** x̄ = ḡ broadcast back over the reduced axes (divided by their count for a mean). */
const reductionAdjoint = (mean: boolean): AdjointRule => ({ inputs: [x], attrs, cotangents: [g], e }) => {
  const axes = normaliseAxes("sum", (attrs.axis as number[] | null) ?? null, x.type.shape.length);
  let gx = e.broadcastTo(e.reshape(g!, keptShape(x.type.shape, axes)), x.type.shape);
  if (mean) gx = e.div(gx, e.count(axes.map((a) => x.type.shape[a]), x.type.dtype));
  return [gx];
};

/**
 * max/min: the cotangent goes to the extreme entries, split evenly among ties (as JAX's
 * reduce_max). For max, y − x ≥ 0 and sign(y − x) is 0 exactly at a maximum.
 */
const extremeAdjoint = (which: "max" | "min"): AdjointRule => ({ inputs: [x], outputs: [y], attrs, cotangents: [g], e }) => {
  const axes = normaliseAxes(which, (attrs.axis as number[] | null) ?? null, x.type.shape.length);
  const kept = keptShape(x.type.shape, axes);
  const yk = e.reshape(y, kept);
  const gap = which === "max" ? e.sub(yk, x) : e.sub(x, yk);
  const mask = e.sub(1, e.op("sign", [gap]));
  const ties = e.op("sum", [mask], { axis: axes, keepdims: true });
  return [e.mul(mask, e.div(e.reshape(g!, kept), ties))];
};

function inferReduce(op: string, x: TensorType, attrs: Attrs): TensorType {
  const axes = normaliseAxes(op, axesAttr(op, attrs, "axis"), x.shape.length);
  const keepdims = boolAttr(op, attrs, "keepdims");
  // Summing over batch dims only keeps the matrices' structure (a mean of SPD matrices is SPD).
  const matrixAxes = [x.shape.length - 1, x.shape.length - 2];
  const keepsMatrix = !axes.some((a) => matrixAxes.includes(a));
  const structure: Structure = keepsMatrix && x.structure !== "orthogonal" && x.structure !== "projector" ? x.structure : "general";
  return tensorType(x.dtype, reducedShape(x.shape, axes, keepdims), structure);
}

table.define({
  name: "sum",
  family: "reduce",
  arity: 1,
  doc: "sum over `axis` (all axes when null)",
  infer: ([x], attrs) => [inferReduce("sum", x, attrs)],
  evalCPU: ([x], attrs) => [sumAxes(x, normaliseAxes("sum", axesAttr("sum", attrs, "axis"), x.shape.length), attrs.keepdims as boolean)],
  adjoint: reductionAdjoint(false),
});

table.define({
  name: "mean",
  family: "reduce",
  arity: 1,
  doc: "mean over `axis` (all axes when null)",
  infer: ([x], attrs) => [inferReduce("mean", x, attrs)],
  evalCPU: ([x], attrs) => {
    const axes = normaliseAxes("mean", axesAttr("mean", attrs, "axis"), x.shape.length);
    const n = countAxes(x.shape, axes);
    return [map(sumAxes(x, axes, attrs.keepdims as boolean), (v) => v / n)];
  },
  adjoint: reductionAdjoint(true),
});

/** max / min: the reduced axes' extreme entry (NumPy's max/min; NaN propagates). */
for (const which of ["max", "min"] as const) {
  table.define({
    name: which,
    family: "reduce",
    groups: ["finite-preserving"],
    arity: 1,
    doc: `${which === "max" ? "largest" : "smallest"} entry over \`axis\` (all axes when null)`,
    infer: ([x], attrs) => [inferReduce(which, x, attrs)],
    evalCPU: ([x], attrs) => [extremeAxes(x, normaliseAxes(which, axesAttr(which, attrs, "axis"), x.shape.length), attrs.keepdims as boolean, which)],
    adjoint: extremeAdjoint(which),
  });
}

/**
 * argmax / argmin: the position of the first extreme entry along one axis, or in the flattened
 * array when `axis` is null (NumPy's argmax), as i32.
 */
for (const [name, which] of [["argmax", "max"], ["argmin", "min"]] as const) {
  table.define({
    name,
    family: "reduce",
    groups: ["finite-preserving"],
    arity: 1,
    doc: `index of the first ${which === "max" ? "largest" : "smallest"} entry along \`axis\` (of the flattened array when null), i32`,
    infer: ([x], attrs) => {
      const axes = axesAttr(name, attrs, "axis");
      if (axes !== null && axes.length !== 1) fail("MP2004", `${name}: axis must be one axis or null (the flattened array), got ${JSON.stringify(axes)}`);
      if (!isFloat(x.dtype)) fail("MP2006", `${name}: input must be float, got ${x.dtype}`);
      const t = inferReduce(name, x, attrs);
      return [tensorType("i32", t.shape)];
    },
    evalCPU: ([x], attrs) => [extremeAxes(x, normaliseAxes(name, axesAttr(name, attrs, "axis"), x.shape.length), attrs.keepdims as boolean, which, true)],
    noAdjoint: `an integer position: piecewise constant in x, so no gradient flows through it (as jax.numpy.${name})`,
  });
}

/** The reduce ops, for ir/registry.ts. */
export const REDUCE_OPS = table.ops;
