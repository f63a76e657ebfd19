import { describe, expect, it } from "vitest";
import { cov } from "../../../numeric/linalg/cov.js";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, eye, maxAbsDiff, randn, relErr, transpose } from "./helpers.js";

describe("cov", () => {
  it("known values: F = [[1,2],[3,4]], eps = 0.5", () => {
    // FᵀF = [[1+9, 2+12], [2+12, 4+16]] = [[10,14],[14,20]]; /2 → [[5,7],[7,10]]; + 0.5·I.
    expectClose(cov(arr([[1, 2], [3, 4]]), 0.5), arr([[5.5, 7], [7, 10.5]]), 1e-15);
  });

  it("matches FᵀF/n + eps·I on a batch and is exactly symmetric", () => {
    const f = randn([2, 3, 9, 4], 8);
    const c = cov(f, 1e-3);
    expect(c.shape).toEqual([2, 3, 4, 4]);
    const ftf = matmul(transpose(f), f);
    const want = ndarray(ftf.shape, ftf.data.map((v, i) => v / 9 + 1e-3 * eye([2, 3], 4).data[i]));
    expect(relErr(c, want)).toBeLessThan(1e-14);
    expect(maxAbsDiff(transpose(c), c)).toBe(0);
  });
});
