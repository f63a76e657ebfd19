import { describe, expect, it } from "vitest";
import { eigh } from "../../../numeric/linalg/eigh.js";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { arr, expectClose, expectNumericError, eye, maxAbsDiff, randn, randomSPD, relErr, scaleColumns, transpose } from "./helpers.js";
import { ndarray } from "../../../numeric/ndarray.js";

describe("eigh", () => {
  it("known values: [[2,1],[1,2]] has eigenvalues 1, 3 with eigenvectors (1,−1)/√2, (1,1)/√2", () => {
    const [w, u] = eigh(arr([[2, 1], [1, 2]]));
    expectClose(w, arr([1, 3]), 1e-15);
    const r = Math.SQRT1_2;
    // Columns: (1, −1)/√2 for λ=1 and (1, 1)/√2 for λ=3; the sign rule makes the first entry positive.
    expectClose(u, arr([[r, r], [-r, r]]), 1e-15);
  });

  it("gives ascending eigenvalues of a diagonal matrix with repeated values", () => {
    const [w, u] = eigh(arr([[3, 0, 0], [0, -1, 0], [0, 0, 3]]));
    expectClose(w, arr([-1, 3, 3]), 1e-15);
    expect(maxAbsDiff(matmul(transpose(u), u), eye([], 3))).toBeLessThan(1e-15);
  });

  it.each([
    [[], 1],
    [[], 2],
    [[], 7],
    [[3], 5],
    [[2, 2], 16],
    [[], 40],
  ])("U is orthogonal and U diag(w) Uᵀ = X (batch %j, n = %i)", (batch, n) => {
    const g = randn([...batch, n, n], 11 * n + batch.length);
    const x = ndarray(g.shape, g.data);
    // Symmetric indefinite input, exactly symmetric.
    const gt = transpose(g);
    for (let i = 0; i < x.data.length; i++) x.data[i] = g.data[i] + gt.data[i];
    const [w, u] = eigh(x);
    expect(w.shape).toEqual([...batch, n]);
    expect(u.shape).toEqual([...batch, n, n]);
    expect(maxAbsDiff(matmul(transpose(u), u), eye(batch, n))).toBeLessThan(1e-12);
    expect(relErr(matmul(scaleColumns(u, w), transpose(u)), x)).toBeLessThan(1e-12);
    for (let b = 0; b < w.data.length / n; b++) {
      for (let i = 1; i < n; i++) expect(w.data[b * n + i]).toBeGreaterThanOrEqual(w.data[b * n + i - 1]);
    }
  });

  it("is deterministic: the same input and its scaled copy give the same vectors", () => {
    const x = randomSPD([2], 6, 5);
    const [, u1] = eigh(x);
    const [, u2] = eigh(ndarray(x.shape, x.data.map((v) => 3 * v)));
    expect(maxAbsDiff(u1, u2)).toBeLessThan(1e-12);
  });

  it("symmetrises its input", () => {
    const [w] = eigh(arr([[2, 0], [2, 2]])); // sym = [[2,1],[1,2]]
    expectClose(w, arr([1, 3]), 1e-15);
  });

  it("rejects non-finite input and non-square shapes", () => {
    expectNumericError(() => eigh(arr([[1, NaN], [NaN, 1]])), "non-finite");
    expect(() => eigh(randn([2, 3], 1))).toThrow(RangeError);
  });
});
