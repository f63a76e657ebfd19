import { describe, expect, it } from "vitest";
import { eigh } from "../../../numeric/linalg/eigh.js";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { rangeProjector, topEigenProjector } from "../../../numeric/spectral/projectors.js";
import { inv } from "../../../numeric/linalg/solve.js";
import { type NDArray, ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, maxAbsDiff, randn, relErr, transpose } from "./helpers.js";

function traces(p: NDArray): number[] {
  const n = p.shape[p.shape.length - 1];
  const out: number[] = [];
  for (let b = 0; b < p.data.length / (n * n); b++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += p.data[b * n * n + i * n + i];
    out.push(t);
  }
  return out;
}

function expectProjector(p: NDArray, k: number): void {
  expect(maxAbsDiff(matmul(p, p), p)).toBeLessThan(1e-12);
  expect(maxAbsDiff(transpose(p), p)).toBe(0);
  for (const t of traces(p)) expect(Math.abs(t - k)).toBeLessThan(1e-12);
}

function symmetric(shape: number[], seed: number): NDArray {
  const g = randn(shape, seed);
  const gt = transpose(g);
  return ndarray(shape, g.data.map((v, i) => v + gt.data[i]));
}

describe("topEigenProjector", () => {
  it("known values: the top eigenvector of [[2,1],[1,2]] is (1,1)/√2", () => {
    expectClose(topEigenProjector(arr([[2, 1], [1, 2]]), 1), arr([[0.5, 0.5], [0.5, 0.5]]), 1e-15);
    expectClose(topEigenProjector(arr([[2, 1], [1, 2]]), 2), arr([[1, 0], [0, 1]]), 1e-15);
    // diag(1, 5, 3): the top two are coordinates 2 and 3.
    expectClose(topEigenProjector(arr([[1, 0, 0], [0, 5, 0], [0, 0, 3]]), 2), arr([[0, 0, 0], [0, 1, 0], [0, 0, 1]]), 1e-15);
  });

  it.each([[[], 5, 2], [[3], 6, 1], [[2, 2], 4, 3], [[], 20, 7]])("P² = P, P = Pᵀ, trace P = k (batch %j, n = %i, k = %i)", (batch, n, k) => {
    const x = symmetric([...batch, n, n], n * 3 + k);
    const p = topEigenProjector(x, k);
    expectProjector(p, k);
    // P X = X P: an invariant subspace.
    expect(relErr(matmul(p, x), matmul(x, p))).toBeLessThan(1e-12);
  });

  it("throws domain for k outside [1, n]", () => {
    expectNumericError(() => topEigenProjector(arr([[1, 0], [0, 2]]), 0), "domain");
    expectNumericError(() => topEigenProjector(arr([[1, 0], [0, 2]]), 3), "domain");
    expectNumericError(() => topEigenProjector(arr([[1, 0], [0, 2]]), 1.5), "domain");
  });
});

describe("rangeProjector", () => {
  it("known values: span{(1,1,0)} and span{(1,0,0), (1,1,0)}", () => {
    expectClose(rangeProjector(arr([[1], [1], [0]])), arr([[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 0]]), 1e-15);
    expectClose(rangeProjector(arr([[1, 1], [0, 1], [0, 0]])), arr([[1, 0, 0], [0, 1, 0], [0, 0, 0]]), 1e-15);
  });

  it.each([[[], 6, 2], [[3], 5, 5], [[2, 2], 7, 3], [[], 30, 4]])("P² = P, P = Pᵀ, trace P = k, P = Z(ZᵀZ)⁻¹Zᵀ (batch %j, n = %i, k = %i)", (batch, n, k) => {
    const z = randn([...batch, n, k], 40 + n + k);
    const p = rangeProjector(z);
    expect(p.shape).toEqual([...batch, n, n]);
    expectProjector(p, k);
    expect(maxAbsDiff(p, matmul(matmul(z, inv(matmul(transpose(z), z))), transpose(z)))).toBeLessThan(1e-12);
    expect(relErr(matmul(p, z), z)).toBeLessThan(1e-12); // P fixes Z's columns
  });

  it("agrees with topEigenProjector on the eigenvectors themselves", () => {
    const x = symmetric([6, 6], 3);
    const [, u] = eigh(x);
    const top = ndarray([6, 2], Array.from({ length: 12 }, (_, i) => u.data[Math.floor(i / 2) * 6 + 4 + (i % 2)]));
    expect(maxAbsDiff(rangeProjector(top), topEigenProjector(x, 2))).toBeLessThan(1e-13);
  });

  it("throws singular for a rank-deficient Z", () => {
    expectNumericError(() => rangeProjector(arr([[1, 2], [2, 4], [3, 6]])), "singular");
    expectNumericError(() => rangeProjector(arr([[0], [0]])), "singular");
    expect(() => rangeProjector(randn([2, 3], 1))).toThrow(RangeError);
  });
});
