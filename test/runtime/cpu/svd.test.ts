import { describe, expect, it } from "vitest";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { svd } from "../../../numeric/linalg/svd.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, eye, maxAbsDiff, randn, relErr, scaleColumns, transpose } from "./helpers.js";

describe("svd", () => {
  it("known values: [[1,1],[1,−1],[0,0]]", () => {
    // AᵀA = [[2,0],[0,2]] so σ = (√2, √2); repeated σ makes U and V non-unique, so check A = U S Vh only.
    const a = arr([[1, 1], [1, -1], [0, 0]]);
    const [u, s, vh] = svd(a);
    expectClose(s, arr([Math.SQRT2, Math.SQRT2]), 1e-15);
    expectClose(matmul(scaleColumns(u, s), vh), a, 1e-15);
  });

  it("known values: [[3,0],[0,4],[0,0]] → σ = (4, 3), U = [e2, e1], Vh = [e2; e1]", () => {
    const [u, s, vh] = svd(arr([[3, 0], [0, 4], [0, 0]]));
    expectClose(s, arr([4, 3]), 1e-15);
    expectClose(u, arr([[0, 1], [1, 0], [0, 0]]), 1e-15);
    expectClose(vh, arr([[0, 1], [1, 0]]), 1e-15);
  });

  it("known values: [[2,2],[1,1],[2,2]] has rank 1, σ = (√18, 0)", () => {
    // A = (2,1,2)ᵀ (1,1): ‖(2,1,2)‖ = 3, ‖(1,1)‖ = √2, so σ₁ = 3√2 with u₁ = (2,1,2)/3, v₁ = (1,1)/√2.
    const [u, s, vh] = svd(arr([[2, 2], [1, 1], [2, 2]]));
    expect(Math.abs(s.data[0] - 3 * Math.SQRT2)).toBeLessThan(1e-14);
    expect(Math.abs(s.data[1])).toBeLessThan(1e-14);
    expectClose(ndarray([3], [u.data[0], u.data[2], u.data[4]]), arr([2 / 3, 1 / 3, 2 / 3]), 1e-15);
    expectClose(ndarray([2], vh.data.subarray(0, 2)), arr([Math.SQRT1_2, Math.SQRT1_2]), 1e-15);
  });

  it.each([
    [[], 5, 3],
    [[], 3, 5],
    [[], 4, 4],
    [[3], 7, 2],
    [[2, 2], 2, 7],
    [[], 1, 6],
    [[], 6, 1],
    [[2], 30, 20],
    [[], 20, 30],
  ])("A = U diag(S) Vh with orthonormal U, Vh (batch %j, %i×%i)", (batch, m, n) => {
    const a = randn([...batch, m, n], 100 + m * 10 + n);
    const [u, s, vh] = svd(a);
    const k = Math.min(m, n);
    expect(u.shape).toEqual([...batch, m, k]);
    expect(s.shape).toEqual([...batch, k]);
    expect(vh.shape).toEqual([...batch, k, n]);
    expect(relErr(matmul(scaleColumns(u, s), vh), a)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(transpose(u), u), eye(batch, k))).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(vh, transpose(vh)), eye(batch, k))).toBeLessThan(1e-12);
    for (let b = 0; b < s.data.length / k; b++) {
      for (let i = 0; i < k; i++) {
        expect(s.data[b * k + i]).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(s.data[b * k + i]).toBeLessThanOrEqual(s.data[b * k + i - 1]);
      }
    }
  });

  it("agrees between A and Aᵀ (the m < n path transposes)", () => {
    const a = randn([4, 6], 9);
    const [u, s, vh] = svd(a);
    const [u2, s2, vh2] = svd(transpose(a));
    expectClose(s, s2, 1e-14);
    // Aᵀ = V S Uᵀ: the same singular vectors up to sign, so compare the rank-one pieces.
    for (let c = 0; c < 4; c++) {
      const sign = Math.sign(u.data[c] * vh2.data[c * 4]) || 1;
      for (let r = 0; r < 4; r++) expect(Math.abs(u.data[r * 4 + c] - sign * vh2.data[c * 4 + r])).toBeLessThan(1e-12);
      for (let r = 0; r < 6; r++) expect(Math.abs(vh.data[c * 6 + r] - sign * u2.data[r * 4 + c])).toBeLessThan(1e-12);
    }
  });

  it("rejects non-finite input", () => {
    expectNumericError(() => svd(arr([[1, Infinity], [0, 1]])), "non-finite");
  });
});
