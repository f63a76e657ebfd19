/** Reductions over axes (all axes by default), NumPy-style `axis` and `keepdims`. */
import { axesAttr, boolAttr, type Attrs } from "../attrs.js";
import { defineOp } from "../op.js";
import { normaliseAxes, reducedShape } from "../shape.js";
import { tensorType, type Structure, type TensorType } from "../types.js";
import { countAxes, sumAxes } from "../../runtime/cpu/reduce.js";
import { map } from "../../runtime/cpu/elementwise.js";

function inferReduce(op: string, x: TensorType, attrs: Attrs): TensorType {
  const axes = normaliseAxes(op, axesAttr(op, attrs, "axis"), x.shape.length);
  const keepdims = boolAttr(op, attrs, "keepdims");
  // Summing over batch dims only keeps the matrices' structure (a mean of SPD matrices is SPD).
  const matrixAxes = [x.shape.length - 1, x.shape.length - 2];
  const keepsMatrix = !axes.some((a) => matrixAxes.includes(a));
  const structure: Structure = keepsMatrix && x.structure !== "orthogonal" && x.structure !== "projector" ? x.structure : "general";
  return tensorType(x.dtype, reducedShape(x.shape, axes, keepdims), structure);
}

defineOp({
  name: "sum",
  family: "reduce",
  arity: 1,
  doc: "sum over `axis` (all axes when null)",
  infer: ([x], attrs) => [inferReduce("sum", x, attrs)],
  evalCPU: ([x], attrs) => [sumAxes(x, normaliseAxes("sum", axesAttr("sum", attrs, "axis"), x.shape.length), attrs.keepdims as boolean)],
});

defineOp({
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
});
