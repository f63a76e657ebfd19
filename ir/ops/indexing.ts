/**
 * Joining and indexing along one axis: concatenate (any number of inputs), slice, take (gather by
 * i32 indices) and its scatter-add adjoint takeGrad, and permute (any axis order). Axes may be
 * negative (counted from the end), as in NumPy.
 */
import { intAttr, intListAttr, type Attrs } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { normaliseAxes } from "../shape.js";
import { dimEquals, formatShape, promote, tensorType, type Dim, type TensorType } from "../types.js";
import { concatenate, permute, slice, take, takeGrad } from "../../numeric/indexing.js";

const table = new OpTable();

/** `attrs.axis` of an op on a rank-`rank` value, made non-negative. */
export function axisOf(op: string, attrs: Attrs, rank: number): number {
  if (rank < 1) fail("MP2007", `${op}: input must have rank ≥ 1, got a scalar`);
  return normaliseAxes(op, [intAttr(op, attrs, "axis")], rank)[0];
}

table.define({
  name: "concatenate",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: "variadic",
  doc: "inputs joined along `axis` (numpy.concatenate); every other dim must agree",
  infer: (xs, attrs) => {
    const rank = xs[0].shape.length;
    const axis = axisOf("concatenate", attrs, rank);
    let size = 0;
    xs.forEach((x, k) => {
      const agrees = x.shape.length === rank && x.shape.every((d, i) => i === axis || dimEquals(d, xs[0].shape[i]));
      if (!agrees) fail("MP2001", `concatenate: input ${k} has shape ${formatShape(x.shape)}, input 0 ${formatShape(xs[0].shape)}: every dim but axis ${axis} must agree`);
      const d = x.shape[axis];
      if (typeof d !== "number") fail("MP2012", `concatenate: input ${k} has the named dim '${d}' along axis ${axis}; the joined size must be a number`);
      size += d;
    });
    const shape = xs[0].shape.map((d, i) => (i === axis ? size : d));
    return [tensorType(xs.map((x) => x.dtype).reduce(promote), shape)];
  },
  evalCPU: (xs, attrs) => [concatenate(xs, axisOf("concatenate", attrs, xs[0].shape.length))],
  // Each input's cotangent is its slice of g.
  adjoint: ({ inputs, attrs, cotangents: [g], e }) => {
    const axis = axisOf("concatenate", attrs, g!.type.shape.length);
    let start = 0;
    return inputs.map((x) => {
      const n = x.type.shape[axis] as number;
      start += n;
      return n === g!.type.shape[axis] ? g : e.op("slice", [g!], { axis, start: start - n, stop: start });
    });
  },
});

/** start and stop of a slice along a dim of size n: negative ones count from the end; both are clamped to [0, n] (Python). */
export function sliceBounds(attrs: Attrs, n: number): [number, number] {
  const at = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
  const stop = attrs.stop === null || attrs.stop === undefined ? n : intAttr("slice", attrs, "stop");
  return [at(intAttr("slice", attrs, "start")), at(stop)];
}

table.define({
  name: "slice",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "entries start ≤ k < stop along `axis` (x[..., start:stop, ...]; stop null = the end)",
  infer: ([x], attrs) => {
    const axis = axisOf("slice", attrs, x.shape.length);
    const n = x.shape[axis];
    if (typeof n !== "number") fail("MP2012", `slice: axis ${axis} is the named dim '${n}'; slicing needs its size`);
    const [start, stop] = sliceBounds(attrs, n);
    if (stop <= start) fail("MP2012", `slice: start ${attrs.start} and stop ${attrs.stop} select nothing of axis ${axis} (size ${n})`);
    return [tensorType(x.dtype, x.shape.map((d, i) => (i === axis ? stop - start : d)))];
  },
  evalCPU: ([x], attrs) => {
    const axis = axisOf("slice", attrs, x.shape.length);
    const [start, stop] = sliceBounds(attrs, x.shape[axis]);
    return [slice(x, axis, start, stop)];
  },
  // g between zeros: x̄ = [0 … 0, g, 0 … 0] along the axis.
  adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const axis = axisOf("slice", attrs, x.type.shape.length);
    const n = x.type.shape[axis] as number;
    const [start, stop] = sliceBounds(attrs, n);
    const zeros = (size: number) => e.broadcastTo(e.constant(0, g!.type.dtype), g!.type.shape.map((d, i) => (i === axis ? size : d)));
    const parts = [...(start > 0 ? [zeros(start)] : []), g!, ...(stop < n ? [zeros(n - stop)] : [])];
    return [e.op("concatenate", parts, { axis })];
  },
});

function demandIndices(op: string, t: TensorType): void {
  if (t.dtype !== "i32") fail("MP2006", `${op}: indices must be i32, got ${t.dtype}`);
}

table.define({
  name: "take",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 2,
  doc: "x's entries at i32 `indices` along `axis` (numpy.take; negative indices count from the end, out of range is an error)",
  infer: ([x, idx], attrs) => {
    const axis = axisOf("take", attrs, x.shape.length);
    demandIndices("take", idx);
    return [tensorType(x.dtype, [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)])];
  },
  evalCPU: ([x, idx], attrs) => [take(x, idx, axisOf("take", attrs, x.shape.length))],
  // Gathered entries scatter-add back; an index taken twice gets both cotangents. Indices get none.
  adjoint: ({ inputs: [x, idx], attrs, cotangents: [g], e }) => {
    const axis = axisOf("take", attrs, x.type.shape.length);
    return [e.op("takeGrad", [g!, idx], { axis, size: x.type.shape[axis] }), null];
  },
});

table.define({
  name: "takeGrad",
  family: "movement",
  groups: ["backward-only", "expression"],
  arity: 2,
  doc: "g, indices → x̄, the adjoint of take: g's entries added at their indices along `axis` of size `size`",
  infer: ([g, idx], attrs) => {
    demandIndices("takeGrad", idx);
    const axis = intAttr("takeGrad", attrs, "axis", 0);
    const size = attrs.size as Dim;
    if (!(typeof size === "string" || (typeof size === "number" && Number.isInteger(size) && size > 0))) fail("MP2004", `takeGrad: attribute 'size' must be a dim, got ${JSON.stringify(size)}`);
    const r = idx.shape.length;
    const ok = g.shape.length >= axis + r && idx.shape.every((d, i) => dimEquals(d, g.shape[axis + i]));
    if (!ok) fail("MP2001", `takeGrad: cotangent ${formatShape(g.shape)} does not hold indices ${formatShape(idx.shape)} at axis ${axis}`);
    return [tensorType(g.dtype, [...g.shape.slice(0, axis), size, ...g.shape.slice(axis + r)])];
  },
  evalCPU: ([g, idx], attrs, ctx) => [takeGrad(g, idx, attrs.axis as number, ctx.dim(attrs.size as Dim))],
  noAdjoint: "backward-only (take rule); second derivatives are not supported",
});

/** `attrs.axes` as a permutation of 0..rank−1 (negative axes count from the end). */
export function permutationOf(op: string, attrs: Attrs, rank: number): number[] {
  const axes = intListAttr(op, attrs, "axes");
  if (axes.length !== rank) fail("MP2004", `${op}: axes ${JSON.stringify(axes)} must name each of the ${rank} dims once`);
  const norm = axes.map((a) => normaliseAxes(op, [a], rank)[0]);
  if (new Set(norm).size !== rank) fail("MP2004", `${op}: axes ${JSON.stringify(axes)} repeat an axis`);
  return norm;
}

table.define({
  name: "permute",
  family: "movement",
  groups: ["expression", "finite-preserving"],
  arity: 1,
  doc: "dims reordered: output dim d is input dim axes[d] (numpy.transpose(x, axes))",
  infer: ([x], attrs) => {
    const axes = permutationOf("permute", attrs, x.shape.length);
    const r = x.shape.length;
    // Batch dims moved among themselves (the last two kept, maybe swapped): every matrix is the same or transposed.
    const keepsMatrices = r >= 2 && [axes[r - 2], axes[r - 1]].sort().join() === `${r - 2},${r - 1}`;
    return [tensorType(x.dtype, axes.map((a) => x.shape[a]), keepsMatrices ? x.structure : "general")];
  },
  evalCPU: ([x], attrs) => [permute(x, permutationOf("permute", attrs, x.shape.length))],
  // The inverse permutation: input dim axes[d] is output dim d.
  adjoint: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const axes = permutationOf("permute", attrs, x.type.shape.length);
    const inverse = axes.map((_, d) => axes.indexOf(d));
    return [e.op("permute", [g!], { axes: inverse })];
  },
});

/** The indexing ops, for ir/registry.ts. */
export const INDEXING_OPS = table.ops;
