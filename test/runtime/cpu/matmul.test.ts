import { describe, expect, it } from "vitest";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, randn } from "./helpers.js";

/** Naive reference: one output entry of a single matrix product. */
function ref(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}

describe("matmul", () => {
  it("multiplies a hand-written 2×3 by 3×2", () => {
    // [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    const c = matmul(arr([[1, 2, 3], [4, 5, 6]]), arr([[7, 8], [9, 10], [11, 12]]));
    expect(c.shape).toEqual([2, 2]);
    expect(Array.from(c.data)).toEqual([58, 64, 139, 154]);
  });

  it("treats 1-D operands as row / column vectors and drops the added dim", () => {
    const m = arr([[1, 2], [3, 4]]);
    const v = arr([5, 6]);
    const mv = matmul(m, v); // [17, 39]
    expect(mv.shape).toEqual([2]);
    expect(Array.from(mv.data)).toEqual([17, 39]);
    const vm = matmul(v, m); // [23, 34]
    expect(vm.shape).toEqual([2]);
    expect(Array.from(vm.data)).toEqual([23, 34]);
    const vv = matmul(v, v); // 61
    expect(vv.shape).toEqual([]);
    expect(vv.data[0]).toBe(61);
  });

  it("broadcasts batch dims with NumPy rules", () => {
    const a = randn([2, 1, 3, 4], 1);
    const b = randn([5, 4, 2], 2);
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 5; j++) {
        const am = Array.from({ length: 3 }, (_, r) => Array.from(a.data.subarray(i * 12 + r * 4, i * 12 + r * 4 + 4)));
        const bm = Array.from({ length: 4 }, (_, r) => Array.from(b.data.subarray(j * 8 + r * 2, j * 8 + r * 2 + 2)));
        const want = ndarray([3, 2], ref(am, bm).flat());
        const got = ndarray([3, 2], c.data.subarray((i * 5 + j) * 6, (i * 5 + j + 1) * 6));
        expectClose(got, want, 1e-15);
      }
    }
    // A batched matrix times a 1-D vector keeps the batch.
    expect(matmul(randn([4, 3, 2], 3), arr([1, 1])).shape).toEqual([4, 3]);
  });

  it("throws RangeError on an inner-dim or batch mismatch", () => {
    expect(() => matmul(randn([2, 3], 1), randn([2, 3], 2))).toThrow(RangeError);
    expect(() => matmul(randn([2, 2, 2], 1), randn([3, 2, 2], 2))).toThrow(RangeError);
  });
});
