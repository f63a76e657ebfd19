import { describe, expect, it } from "vitest";
import { tensorType } from "../../ir/types.js";
import { NumericError } from "../../numeric/numeric-error.js";
import { arr, expectClose, expectNumericError } from "../runtime/cpu/helpers.js";
import { infer, run } from "./helpers.js";

function caught(f: () => unknown): NumericError {
  try {
    f();
  } catch (e) {
    if (e instanceof NumericError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("lowerHalf", () => {
  it("keeps the strict lower triangle, halves the diagonal, zeros the upper triangle (batched)", () => {
    const a = arr([[[2, 3], [4, 6]], [[1, -1], [-5, 8]]]);
    expectClose(run("lowerHalf", [a]), arr([[[1, 0], [4, 3]], [[0.5, 0], [-5, 4]]]), 0);
    const b = arr([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expectClose(run("lowerHalf", [b]), arr([[0.5, 0, 0], [4, 2.5, 0], [7, 8, 4.5]]), 0);
  });
  it("demands square matrices", () => {
    expect(() => infer("lowerHalf", [tensorType("f64", [2, 3])])).toThrow(/square/);
  });
});

describe("eigGapInverse", () => {
  it("F_ij = 1/(w_j − w_i), 0 on the diagonal", () => {
    // w = [1, 2, 4]: F = [[0, 1, 1/3], [−1, 0, 1/2], [−1/3, −1/2, 0]].
    expectClose(run("eigGapInverse", [arr([1, 2, 4])]), arr([[0, 1, 1 / 3], [-1, 0, 0.5], [-1 / 3, -0.5, 0]]), 1e-15);
    const batched = run("eigGapInverse", [arr([[0, 1], [-2, 2]])]);
    expectClose(batched, arr([[[0, 1], [-1, 0]], [[0, 0.25], [-0.25, 0]]]), 1e-15);
  });
  it("reports repeated eigenvalues, naming them and the ways around", () => {
    const e = caught(() => run("eigGapInverse", [arr([0.5, 3, 3])]));
    expect(e.kind).toBe("domain");
    expect(e.message).toMatch(/repeated eigenvalues/);
    expect(e.message).toMatch(/λ_1 = 3 and λ_2 = 3/);
    expect(e.message).toMatch(/logm\/sqrtm\/expm/);
    expect(e.message).toMatch(/U·diag\(g\(w\)\)·Uᵀ/);
    expect(e.message).toMatch(/topEigenProjector/);
    // Numerically equal: within 1e-12·max(1, max|w|).
    expectNumericError(() => run("eigGapInverse", [arr([1, 1 + 5e-13, 2])]), "domain");
    expectNumericError(() => run("eigGapInverse", [arr([1e6, 1e6 + 1e-7])]), "domain");
    expect(() => run("eigGapInverse", [arr([1e-3, 1e-3 + 2e-12])])).not.toThrow();
    // Only the offending batch entry matters, and it is named.
    expect(caught(() => run("eigGapInverse", [arr([[1, 2], [5, 5]])])).message).toMatch(/batch entry 1/);
  });
});

describe("svdGapInverse", () => {
  it("F_ij = 1/(S_j² − S_i²), 0 on the diagonal", () => {
    // S = [3, 2, 1] (descending): S² = [9, 4, 1].
    const want = arr([[0, -1 / 5, -1 / 8], [1 / 5, 0, -1 / 3], [1 / 8, 1 / 3, 0]]);
    expectClose(run("svdGapInverse", [arr([3, 2, 1])]), want, 1e-15);
  });
  it("is accurate for close singular values (no cancellation of squares)", () => {
    const s = 1e8;
    const d = 1;
    const f = run("svdGapInverse", [arr([s + d, s])]);
    // S_1² − S_0² = −d(2s + d) exactly.
    expect(Math.abs(f.data[1] * -(d * (2 * s + d)) - 1)).toBeLessThan(1e-15);
  });
  it("reports repeated singular values", () => {
    const e = caught(() => run("svdGapInverse", [arr([2, 1, 1])]));
    expect(e.kind).toBe("domain");
    expect(e.message).toMatch(/singular vectors is undefined at repeated singular values \(σ_1 = 1 and σ_2 = 1/);
    expectNumericError(() => run("svdGapInverse", [arr([1, 0, 0])]), "domain");
  });
});
