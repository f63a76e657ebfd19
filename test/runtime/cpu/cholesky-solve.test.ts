import { describe, expect, it } from "vitest";
import { cholesky } from "../../../numeric/linalg/cholesky.js";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { inv, solve } from "../../../numeric/linalg/solve.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, eye, maxAbsDiff, randn, randomSPD, relErr, transpose } from "./helpers.js";

describe("cholesky", () => {
  it("known values: [[4,2],[2,3]] = L Lᵀ with L = [[2,0],[1,√2]]", () => {
    // l11 = √4 = 2, l21 = 2/2 = 1, l22 = √(3 − 1) = √2.
    expectClose(cholesky(arr([[4, 2], [2, 3]])), arr([[2, 0], [1, Math.SQRT2]]), 1e-15);
  });

  it.each([[[], 1], [[], 5], [[4], 8], [[2, 3], 3], [[], 40]])("L Lᵀ = A, L lower triangular (batch %j, n = %i)", (batch, n) => {
    const a = randomSPD(batch, n, 7 + n);
    const l = cholesky(a);
    expect(relErr(matmul(l, transpose(l)), a)).toBeLessThan(1e-13);
    for (let b = 0; b < l.data.length / (n * n); b++) {
      for (let i = 0; i < n; i++) {
        expect(l.data[b * n * n + i * n + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(l.data[b * n * n + i * n + j]).toBe(0);
      }
    }
  });

  it("throws not-spd for indefinite and semi-definite matrices", () => {
    expectNumericError(() => cholesky(arr([[1, 2], [2, 1]])), "not-spd"); // eigenvalues −1, 3
    expectNumericError(() => cholesky(arr([[1, 1], [1, 1]])), "not-spd"); // eigenvalues 0, 2
    expectNumericError(() => cholesky(arr([[-1]])), "not-spd");
    // Only the second matrix of the batch is bad.
    expectNumericError(() => cholesky(arr([[[2, 0], [0, 2]], [[0, 0], [0, 1]]])), "not-spd");
  });

  it("throws not-symmetric for a visibly asymmetric matrix, non-finite for NaN", () => {
    expectNumericError(() => cholesky(arr([[4, 2], [0, 3]])), "not-symmetric");
    expectNumericError(() => cholesky(arr([[4, NaN], [NaN, 3]])), "non-finite");
  });
});

describe("solve / inv", () => {
  it("known values: [[2,1],[1,3]] x = [3,5] → x = [4/5, 7/5]", () => {
    // Cramer: det = 5, x = (3·3 − 1·5)/5 = 4/5, y = (2·5 − 1·3)/5 = 7/5.
    const x = solve(arr([[2, 1], [1, 3]]), arr([3, 5]));
    expect(x.shape).toEqual([2]);
    expectClose(x, arr([4 / 5, 7 / 5]), 1e-15);
    // inv = [[3, −1], [−1, 2]] / 5
    expectClose(inv(arr([[2, 1], [1, 3]])), arr([[0.6, -0.2], [-0.2, 0.4]]), 1e-15);
  });

  it("needs pivoting: [[0,1],[1,0]]", () => {
    expectClose(solve(arr([[0, 1], [1, 0]]), arr([[1, 2], [3, 4]])), arr([[3, 4], [1, 2]]), 0);
  });

  it.each([[[], 1], [[], 6], [[3], 4], [[2, 2], 5], [[], 40]])("A·solve(A, B) = B and A·inv(A) = I (batch %j, n = %i)", (batch, n) => {
    const a = randn([...batch, n, n], 50 + n);
    const b = randn([...batch, n, 3], 60 + n);
    const x = solve(a, b);
    expect(x.shape).toEqual([...batch, n, 3]);
    expect(relErr(matmul(a, x), b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(a, inv(a)), eye(batch, n))).toBeLessThan(1e-12);
  });

  it("broadcasts batch dims of a and b and reads right-hand-side vectors", () => {
    const a = randn([3, 4, 4], 1);
    const one = randn([4, 2], 2); // a single [n, k] right-hand side for the whole batch
    const x = solve(a, one);
    expect(x.shape).toEqual([3, 4, 2]);
    expect(relErr(matmul(a, x), ndarray([3, 4, 2], [...one.data, ...one.data, ...one.data]))).toBeLessThan(1e-12);
    // NumPy 2: one right-hand-side vector per matrix is written [..., n, 1]; a [3, 4] b is a matrix.
    const vs = randn([3, 4, 1], 3);
    const xv = solve(a, vs);
    expect(xv.shape).toEqual([3, 4, 1]);
    for (let t = 0; t < 3; t++) {
      const at = ndarray([4, 4], a.data.subarray(t * 16, t * 16 + 16));
      const bt = ndarray([4], vs.data.subarray(t * 4, t * 4 + 4));
      expect(relErr(matmul(at, ndarray([4], xv.data.subarray(t * 4, t * 4 + 4))), bt)).toBeLessThan(1e-12);
    }
    expect(() => solve(a, randn([3, 4], 7))).toThrow(RangeError);
    expect(solve(a, randn([4], 4)).shape).toEqual([3, 4]); // 1-D b broadcast over the batch
    expect(solve(randn([4, 4], 5), randn([2, 3, 4, 1], 6)).shape).toEqual([2, 3, 4, 1]);
  });

  it("throws singular for singular matrices, with a scale-free test", () => {
    expectNumericError(() => solve(arr([[1, 2], [2, 4]]), arr([1, 1])), "singular");
    expectNumericError(() => inv(arr([[1, 2], [2, 4]])), "singular");
    expectNumericError(() => inv(arr([[0, 0], [0, 0]])), "singular");
    // Rank 2 of 3, exactly: row 3 = row 1 + row 2.
    expectNumericError(() => inv(arr([[1, 2, 3], [4, 5, 6], [5, 7, 9]])), "singular");
    // Tiny but perfectly conditioned: not singular.
    expectClose(inv(arr([[1e-300, 0], [0, 2e-300]])), arr([[1e300, 0], [0, 5e299]]), 1e-15);
  });

  it("throws RangeError on shape mismatches", () => {
    expect(() => solve(randn([3, 3], 1), randn([4], 2))).toThrow(RangeError);
    expect(() => inv(randn([2, 3], 1))).toThrow(RangeError);
  });
});
