/** Adjoint rules of concatenate, slice, take and permute. */
import type { AdjointRule } from "../op.js";
import { axisOf, permutationOf, sliceBounds } from "../ops/indexing.js";

export const INDEXING_ADJOINTS: Record<string, AdjointRule> = {
  // Each input's cotangent is its slice of g.
  concatenate: ({ inputs, attrs, cotangents: [g], e }) => {
    const axis = axisOf("concatenate", attrs, g!.type.shape.length);
    let start = 0;
    return inputs.map((x) => {
      const n = x.type.shape[axis] as number;
      start += n;
      return n === g!.type.shape[axis] ? g : e.op("slice", [g!], { axis, start: start - n, stop: start });
    });
  },
  // g between zeros: x̄ = [0 … 0, g, 0 … 0] along the axis.
  slice: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const axis = axisOf("slice", attrs, x.type.shape.length);
    const n = x.type.shape[axis] as number;
    const [start, stop] = sliceBounds(attrs, n);
    const zeros = (size: number) => e.broadcastTo(e.constant(0, g!.type.dtype), g!.type.shape.map((d, i) => (i === axis ? size : d)));
    const parts = [...(start > 0 ? [zeros(start)] : []), g!, ...(stop < n ? [zeros(n - stop)] : [])];
    return [e.op("concatenate", parts, { axis })];
  },
  // Gathered entries scatter-add back; an index taken twice gets both cotangents. Indices get none.
  take: ({ inputs: [x, idx], attrs, cotangents: [g], e }) => {
    const axis = axisOf("take", attrs, x.type.shape.length);
    return [e.op("takeGrad", [g!, idx], { axis, size: x.type.shape[axis] }), null];
  },
  // The inverse permutation: input dim axes[d] is output dim d.
  permute: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const axes = permutationOf("permute", attrs, x.type.shape.length);
    const inverse = axes.map((_, d) => axes.indexOf(d));
    return [e.op("permute", [g!], { axes: inverse })];
  },
};
