import { describe, expect, it } from "vitest";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { expm, logm, scalarFn, spectralFunction, sqrtm } from "../../../numeric/spectral/spectral.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, randn, randomSPD, relErr, transpose } from "./helpers.js";

const E = Math.E;

describe("spectral functions", () => {
  it("expm([[0,1],[1,0]]) = [[cosh 1, sinh 1], [sinh 1, cosh 1]]", () => {
    expectClose(expm(arr([[0, 1], [1, 0]])), arr([[Math.cosh(1), Math.sinh(1)], [Math.sinh(1), Math.cosh(1)]]), 1e-15);
  });

  it("sqrtm([[5,4],[4,5]]) = [[2,1],[1,2]]", () => {
    // [[2,1],[1,2]]² = [[4+1, 2+2], [2+2, 1+4]] and [[2,1],[1,2]] is SPD (eigenvalues 1, 3).
    expectClose(sqrtm(arr([[5, 4], [4, 5]])), arr([[2, 1], [1, 2]]), 1e-15);
  });

  it("logm(diag(1, e, e²)) = diag(0, 1, 2)", () => {
    expectClose(logm(arr([[1, 0, 0], [0, E, 0], [0, 0, E * E]])), arr([[0, 0, 0], [0, 1, 0], [0, 0, 2]]), 1e-15);
  });

  it("logm([[2,1],[1,2]]) = (log 3 / 2)·[[1,1],[1,1]]", () => {
    // Eigenpairs (1, (1,−1)/√2) and (3, (1,1)/√2): log 1 · P₁ + log 3 · P₃ with P₃ = [[1,1],[1,1]]/2.
    const h = Math.log(3) / 2;
    const got = logm(arr([[2, 1], [1, 2]]));
    expectClose(got, arr([[h, h], [h, h]]), 1e-15);
  });

  it("sqrtm of a PSD rank-1 matrix clamps its zero eigenvalue", () => {
    // [[1,1],[1,1]] = 2·P with P = [[1,1],[1,1]]/2, so its square root is √2·P.
    const r = Math.SQRT1_2;
    expectClose(sqrtm(arr([[1, 1], [1, 1]])), arr([[r, r], [r, r]]), 1e-15);
  });

  it.each([[[], 1], [[], 5], [[3], 6], [[2, 2], 4], [[], 30]])("expm(logm(X)) = X and sqrtm(X)² = X (batch %j, n = %i)", (batch, n) => {
    const x = randomSPD(batch, n, 31 + n, 0.1, 10);
    const l = logm(x);
    expect(relErr(expm(l), x)).toBeLessThan(1e-12);
    const s = sqrtm(x);
    expect(relErr(matmul(s, s), x)).toBeLessThan(1e-12);
    for (const y of [l, s]) expect(relErr(transpose(y), y)).toBe(0);
  });

  it("expm of a general symmetric matrix is exactly symmetric and equals its power series", () => {
    const g = randn([4, 4], 3);
    const x = ndarray([4, 4], g.data.map((v, i) => 0.25 * (v + g.data[(i % 4) * 4 + Math.floor(i / 4)])));
    const y = spectralFunction(x, "exp");
    expect(relErr(transpose(y), y)).toBe(0);
    // Σ Xᵏ/k!, 30 terms: converges to f64 precision for ‖X‖ ≲ 1.
    let term = ndarray([4, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const sum = ndarray([4, 4], term.data);
    for (let k = 1; k < 30; k++) {
      term = matmul(term, x);
      term = ndarray([4, 4], term.data.map((v) => v / k));
      for (let i = 0; i < 16; i++) sum.data[i] += term.data[i];
    }
    expect(relErr(y, sum)).toBeLessThan(1e-13);
  });

  it("scalarFn returns the scalar function", () => {
    expect(scalarFn("log")(E)).toBe(1);
    expect(scalarFn("sqrt")(9)).toBe(3);
    expect(scalarFn("exp")(0)).toBe(1);
  });

  it("throws domain for logm with a zero or negative eigenvalue and sqrtm with a negative one", () => {
    expectNumericError(() => logm(arr([[1, 0], [0, 0]])), "domain");
    expectNumericError(() => logm(arr([[1, 1], [1, 1]])), "domain"); // eigenvalues 0, 2 (0 up to round-off)
    expectNumericError(() => logm(arr([[1, 2], [2, 1]])), "domain"); // eigenvalues −1, 3
    expectNumericError(() => sqrtm(arr([[1, 2], [2, 1]])), "domain");
    expectNumericError(() => expm(arr([[1000, 0], [0, 1]])), "non-finite"); // e^1000 overflows
    expectNumericError(() => logm(arr([[1, NaN], [NaN, 1]])), "non-finite");
  });
});
