/** Every backward-only op: the type rule's shape is the shape the CPU kernel returns. */
import { describe, expect, it } from "vitest";
import type { Attrs } from "../../ir/attrs.js";
import { getOp } from "../../ir/registry.js";
import { tensorType, type DType, type Dim, type Structure, type TensorType } from "../../ir/types.js";
import { eigh } from "../../numeric/linalg/eigh.js";
import { type NDArray, ndarray } from "../../numeric/ndarray.js";
import { arr, randn, randomSPD } from "../runtime/cpu/helpers.js";
import { ctxOf } from "./helpers.js";

interface Row {
  readonly op: string;
  /** Declared types (shapes may use the named dims of `dims`). */
  readonly types: readonly TensorType[];
  readonly values: readonly NDArray[];
  readonly attrs?: Attrs;
  readonly dims?: Readonly<Record<string, number>>;
  readonly want: { dtype: DType; structure: Structure };
}

const t = (shape: Dim[], dtype: DType = "f64", structure: Structure = "general") => tensorType(dtype, shape, structure);
const ascending = (shape: number[], seed: number) => {
  const v = randn(shape, seed);
  const n = shape[shape.length - 1];
  for (let b = 0; b < v.data.length / n; b++) v.data.subarray(b * n, (b + 1) * n).sort();
  return v;
};
const positive = (shape: number[], seed: number) => ndarray(shape, randn(shape, seed).data.map((x) => 0.1 + Math.abs(x)));
const spd = randomSPD([2], 4, 3);
const [w4, u4] = eigh(spd);

const ROWS: readonly Row[] = [
  { op: "sign", types: [t(["B", 3, 3], "f32", "spd")], values: [randn([2, 3, 3], 1)], dims: { B: 2 }, want: { dtype: "f32", structure: "symmetric" } },
  { op: "broadcastTo", types: [t([1, 3])], values: [randn([1, 3], 1)], attrs: { shape: ["B", 2, 3] }, dims: { B: 4 }, want: { dtype: "f64", structure: "general" } },
  { op: "dimSize", types: [], values: [], attrs: { dim: "B", dtype: "f32" }, dims: { B: 4 }, want: { dtype: "f32", structure: "general" } },
  { op: "lowerHalf", types: [t(["B", 3, 3])], values: [randn([2, 3, 3], 1)], dims: { B: 2 }, want: { dtype: "f64", structure: "general" } },
  { op: "eigGapInverse", types: [t(["B", 4])], values: [ascending([2, 4], 2)], dims: { B: 2 }, want: { dtype: "f64", structure: "general" } },
  { op: "svdGapInverse", types: [t([3], "f32")], values: [arr([3, 2, 1])], want: { dtype: "f32", structure: "general" } },
  { op: "loewner", types: [t(["B", 5])], values: [positive([3, 5], 3)], attrs: { fn: "log" }, dims: { B: 3 }, want: { dtype: "f64", structure: "symmetric" } },
  {
    op: "divdiff",
    types: [t([2, 3]), t([2, 3]), t([2, 3])],
    values: [ascending([2, 3], 4), randn([2, 3], 5), randn([2, 3], 6)],
    want: { dtype: "f64", structure: "symmetric" },
  },
  {
    op: "spectralApply",
    types: [t(["B", 4, 4], "f64", "spd"), t(["B", 4]), t(["B", 4, 4], "f64", "orthogonal"), t(["B", 4]), t(["B", 4])],
    values: [spd, w4, u4, w4, w4],
    dims: { B: 2 },
    want: { dtype: "f64", structure: "symmetric" },
  },
  { op: "projectorGap", types: [t(["B", 5])], values: [ascending([2, 5], 7)], attrs: { k: 2 }, dims: { B: 2 }, want: { dtype: "f64", structure: "symmetric" } },
  {
    op: "conv2dGradInput",
    types: [t(["N", 4, 3, 3]), t([4, 2, 3, 3])],
    values: [randn([2, 4, 3, 3], 1), randn([4, 2, 3, 3], 2)],
    attrs: { stride: [2, 2], padding: [1, 1], inputSize: [6, 5] },
    dims: { N: 2 },
    want: { dtype: "f64", structure: "general" },
  },
  {
    op: "conv2dGradWeight",
    types: [t(["N", 2, 6, 5]), t(["N", 4, 3, 3])],
    values: [randn([2, 2, 6, 5], 1), randn([2, 4, 3, 3], 2)],
    attrs: { stride: [2, 2], padding: [1, 1], kernel: [3, 3] },
    dims: { N: 2 },
    want: { dtype: "f64", structure: "general" },
  },
  {
    op: "avgPool2dBackward",
    types: [t(["N", 2, 5, 5]), t(["N", 2, 3, 3])],
    values: [randn([1, 2, 5, 5], 1), randn([1, 2, 3, 3], 2)],
    attrs: { kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
    dims: { N: 1 },
    want: { dtype: "f64", structure: "general" },
  },
  {
    op: "maxPool2dBackward",
    types: [t(["N", 2, 4, 4], "f32"), t(["N", 2, 2, 2], "f32")],
    values: [randn([3, 2, 4, 4], 1), randn([3, 2, 2, 2], 2)],
    attrs: { kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    dims: { N: 3 },
    want: { dtype: "f32", structure: "general" },
  },
  { op: "softmax", types: [t(["B", 7])], values: [randn([4, 7], 1)], dims: { B: 4 }, want: { dtype: "f64", structure: "general" } },
  { op: "oneHot", types: [t(["B"], "i32")], values: [arr([0, 2, 1])], attrs: { classes: 3 }, dims: { B: 3 }, want: { dtype: "f32", structure: "general" } },
];

describe("backward-only ops: inferred shape = evaluated shape", () => {
  for (const row of ROWS) {
    it(row.op, () => {
      const def = getOp(row.op);
      expect(def.arity).toBe(row.types.length);
      expect(def.doc.length).toBeGreaterThan(10);
      const [type] = def.infer(row.types, row.attrs ?? {});
      const ctx = ctxOf(row.dims);
      const [value] = def.evalCPU(row.values, row.attrs ?? {}, ctx);
      expect(type.shape.map((d) => ctx.dim(d))).toEqual(value.shape);
      expect({ dtype: type.dtype, structure: type.structure }).toEqual(row.want);
    });
  }
  it("covers all sixteen ops", () => {
    expect(new Set(ROWS.map((r) => r.op)).size).toBe(16);
  });
});
