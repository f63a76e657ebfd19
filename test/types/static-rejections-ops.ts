/**
 * Static rules of the ops issue 12 added (the companion of static-rejections.ts, same conventions:
 * only type-checked, each `// @ts-expect-error -- <reason>` proves a rejection, `Expect<Equal<…>>`
 * pins result types): elementwise ops' broadcasting and structure, reductions' shapes, concatenate's
 * non-axis dims, `where` broadcasting, einsum's operand count.
 */
import { model, ops, linalg, nn, type Dim } from "matprop";
import type { Equal, Expect, ShapeOf, StructureOf } from "./expect.js";

// ---- elementwise -----------------------------------------------------------------------------------

export const elementwise = model("elementwise-12", ({ input }) => {
  const A = input("A", [4, 3]);
  const C = input("C", [4, 2]);
  // @ts-expect-error -- shapes do not broadcast: [[4, 3], [4, 2]]
  ops.minimum(A, C);
  // @ts-expect-error -- shapes do not broadcast (a lower bound of the wrong length)
  ops.clip(A, input("lo", [2]), 1);
  // @ts-expect-error -- shapes do not broadcast (an upper bound of the wrong length)
  ops.clip(A, 0, input("hi", [5]));

  // Accepted, with shapes and structure: symmetric stays symmetric, an SPD matrix's Hadamard square is SPD.
  const S = input("S", [3, 3], { structure: "spd" });
  const t = ops.tanh(S);
  type _t = Expect<Equal<StructureOf<typeof t>, "symmetric">>;
  linalg.eigh(t);
  linalg.eigh(nn.sigmoid(S));
  linalg.eigh(nn.gelu(S));
  linalg.eigh(ops.clip(S, -1, 1));
  linalg.eigh(ops.minimum(S, 0.5));
  const sq = ops.square(S);
  type _sq = Expect<Equal<StructureOf<typeof sq>, "spd">>;
  linalg.logm(sq);
  const m = ops.minimum(A, input("r", [3]));
  type _m = Expect<Equal<ShapeOf<typeof m>, [4, 3]>>;
  const c = ops.clip(input("X", ["B", 1, 3]), input("lo2", [5, 1]), 2);
  type _c = Expect<Equal<ShapeOf<typeof c>, ["B", 5, 3]>>;
  type _cs = Expect<Equal<StructureOf<typeof c>, "general">>;
  return { loss: ops.sum(ops.add(t, sq)) };
});

// ---- reductions keep their shape type --------------------------------------------------------------

export const reductions = model("reductions-12", ({ input }) => {
  const T = input("T", ["B", 3, 4]);
  const m = ops.mean(T, { axis: -1 });
  type _m = Expect<Equal<ShapeOf<typeof m>, ["B", 3]>>;
  const k = ops.sum(T, { axis: [0, -1], keepdims: true });
  type _k = Expect<Equal<ShapeOf<typeof k>, [1, 3, 1]>>;
  const all = ops.max(T);
  type _all = Expect<Equal<ShapeOf<typeof all>, []>>;
  const allKeep = ops.min(T, { keepdims: true });
  type _ak = Expect<Equal<ShapeOf<typeof allKeep>, [1, 1, 1]>>;
  const pos = ops.argmax(T, { axis: 1 });
  type _pos = Expect<Equal<ShapeOf<typeof pos>, ["B", 4]>>;
  const lse = ops.logsumexp(T, { axis: 2, keepdims: true });
  type _lse = Expect<Equal<ShapeOf<typeof lse>, ["B", 3, 1]>>;
  const p = nn.softmax(T, { axis: 1 });
  type _p = Expect<Equal<ShapeOf<typeof p>, readonly ["B", 3, 4]>>;
  const lp = nn.logSoftmax(T);
  type _lp = Expect<Equal<ShapeOf<typeof lp>, readonly ["B", 3, 4]>>;
  // A mean over rows broadcasts back against its input without a cast.
  const centred = ops.sub(T, ops.mean(T, { axis: -1, keepdims: true }));
  type _c = Expect<Equal<ShapeOf<typeof centred>, ["B", 3, 4]>>;
  // @ts-expect-error -- shapes do not broadcast: a mean without keepdims does not line up with its rows
  ops.sub(T, ops.mean(T, { axis: -2 }));
  const axis: number = 1;
  const wide = ops.sum(T, { axis });
  type _w = Expect<Equal<ShapeOf<typeof wide>, Dim[]>>;
  return { loss: ops.sum(ops.add(centred, p)) };
});

// ---- joining and indexing ----------------------------------------------------------------------------

export const indexing = model("indexing-12", ({ input }) => {
  const A = input("A", ["B", 3, 4]);
  const C = input("C", ["B", 3, 5]);
  const AC = ops.concatenate([A, C], { axis: -1 });
  type _ac = Expect<Equal<ShapeOf<typeof AC>, ["B", 3, number]>>;
  // @ts-expect-error -- concatenate inputs differ outside the axis (dim 2: 4 vs 5)
  ops.concatenate([A, C], { axis: 1 });
  // @ts-expect-error -- concatenate inputs differ outside the axis (a named dim against another)
  ops.concatenate([A, input("D", ["N", 3, 4])], { axis: 2 });
  // @ts-expect-error -- concatenate inputs differ outside the axis (rank)
  ops.concatenate([A, input("E", [3, 4])]);
  // @ts-expect-error -- concatenate inputs differ outside the axis (stack needs equal shapes)
  ops.stack([A, C]);
  const S = ops.slice(A, { axis: 1, start: 1 });
  type _s = Expect<Equal<ShapeOf<typeof S>, ["B", number, 4]>>;
  const idx = input("idx", [7], { dtype: "i32" });
  const rows = ops.take(A, idx, { axis: 1 });
  type _rows = Expect<Equal<ShapeOf<typeof rows>, ["B", 7, 4]>>;
  const flat = ops.take(A, input("ij", [2, 2], { dtype: "i32" }));
  type _flat = Expect<Equal<ShapeOf<typeof flat>, [2, 2]>>;
  const P = ops.permute(A, [2, 0, 1]);
  type _p = Expect<Equal<ShapeOf<typeof P>, [4, "B", 3]>>;
  return { loss: ops.sum(ops.add(ops.sum(AC), ops.sum(P))) };
});

// ---- comparisons and where -----------------------------------------------------------------------------

export const comparisons = model("comparisons-12", ({ input }) => {
  const A = input("A", [4, 3]);
  const c = ops.greater(A, input("r", [3]));
  type _c = Expect<Equal<ShapeOf<typeof c>, [4, 3]>>;
  // @ts-expect-error -- shapes do not broadcast (a comparison's operands)
  ops.less(A, input("q", [4]));
  const w = ops.where(ops.less(input("col", [4, 1]), 0), A, 0);
  type _w = Expect<Equal<ShapeOf<typeof w>, [4, 3]>>;
  // @ts-expect-error -- shapes do not broadcast (where's cond against a)
  ops.where(ops.greater(input("v", [5]), 0), A, 1);
  // @ts-expect-error -- shapes do not broadcast (where's b against cond and a)
  ops.where(c, A, input("b2", [2]));
  return { loss: ops.sum(w) };
});

// ---- einsum ------------------------------------------------------------------------------------------

export const einsumCounts = model("einsum-12", ({ input }) => {
  const A = input("A", [2, 3]);
  const B = input("B", [3, 4]);
  ops.einsum("ij,jk->ik", A, B);
  ops.einsum("ij,jk", A, B);
  ops.einsum("ij->ji", A);
  // @ts-expect-error -- einsum 'ij,jk->ik' has 2 operand subscripts: 1 operands given
  ops.einsum("ij,jk->ik", A);
  // @ts-expect-error -- einsum 'ij->ji' has 1 operand subscripts: 2 operands given
  ops.einsum("ij->ji", A, B);
  const spec: string = "ij,jk->ik";
  ops.einsum(spec, A, B);
  return { loss: ops.sum(ops.einsum("ij,jk->ik", A, B)) };
});
