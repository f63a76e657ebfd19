import { describe, expect, it } from "vitest";
import { tensorType } from "../../ir/types.js";
import { NumericError } from "../../numeric/numeric-error.js";
import { eigh } from "../../numeric/linalg/eigh.js";
import { logm } from "../../numeric/spectral/spectral.js";
import { type NDArray, ndarray } from "../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, randn, randomSPD, relErr } from "../runtime/cpu/helpers.js";
import { infer, run } from "./helpers.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof NumericError) return e.message;
    throw e;
  }
  throw new Error("did not throw");
}

function expectExactlySymmetric(a: NDArray): void {
  const n = a.shape[a.shape.length - 1];
  for (let b = 0; b < a.data.length / (n * n); b++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(a.data[b * n * n + i * n + j]).toBe(a.data[b * n * n + j * n + i]);
  }
}

const F = {
  log: { f: Math.log, df: (x: number) => 1 / x },
  exp: { f: Math.exp, df: Math.exp },
  sqrt: { f: Math.sqrt, df: (x: number) => 0.5 / Math.sqrt(x) },
} as const;

describe("loewner", () => {
  it("known values: divided differences off the diagonal, f′ on it", () => {
    const e = Math.E;
    expectClose(run("loewner", [arr([1, e])], { fn: "log" }), arr([[1, 1 / (e - 1)], [1 / (e - 1), 1 / e]]), 1e-15);
    const l2 = Math.LN2;
    expectClose(run("loewner", [arr([0, l2])], { fn: "exp" }), arr([[1, 1 / l2], [1 / l2, 2]]), 1e-15);
    expectClose(run("loewner", [arr([[1, 4], [9, 9]])], { fn: "sqrt" }), arr([[[0.5, 1 / 3], [1 / 3, 0.25]], [[1 / 6, 1 / 6], [1 / 6, 1 / 6]]]), 1e-15);
  });
  it("is stable where the naive quotient cancels or overflows", () => {
    const d = 1e-9;
    // log1p(δ)/δ = 1 − δ/2 + δ²/3 − …; the naive (log(1+δ) − 0)/δ is off by ~1e-7 here.
    expect(Math.abs(run("loewner", [arr([1, 1 + d])], { fn: "log" }).data[1] - (1 - d / 2 + (d * d) / 3))).toBeLessThan(1e-16);
    // e²·expm1(δ)/δ = e²(1 + δ/2 + δ²/6).
    const ex = run("loewner", [arr([2, 2 + d])], { fn: "exp" }).data[1];
    expect(Math.abs(ex / (Math.exp(2) * (1 + d / 2)) - 1)).toBeLessThan(1e-15);
    // A small eigenvalue next to a large one: (log 1 − log 1e-10)/(1 − 1e-10).
    const lg = run("loewner", [arr([1e-10, 1])], { fn: "log" }).data[1];
    expect(Math.abs(lg / (-Math.log(1e-10) / (1 - 1e-10)) - 1)).toBeLessThan(1e-15);
    // Far-apart exp: e^b·expm1(δ) would be 0·∞.
    expect(run("loewner", [arr([-800, 0])], { fn: "exp" }).data[1]).toBeCloseTo(1 / 800, 15);
    // sqrt near-equal: 1/(√a + √b) exactly.
    expect(run("loewner", [arr([4, 4 + d])], { fn: "sqrt" }).data[1]).toBe(1 / (2 + Math.sqrt(4 + d)));
  });
  it("is exactly symmetric", () => {
    for (const fn of ["log", "exp", "sqrt"]) expectExactlySymmetric(run("loewner", [arr([0.3, 0.30000001, 1.7, 5])], { fn }));
  });
  it("refuses λ ≤ 0 for log and zero eigenvalues for sqrt", () => {
    expectNumericError(() => run("loewner", [arr([0, 1])], { fn: "log" }), "domain");
    expectNumericError(() => run("loewner", [arr([-1, 1])], { fn: "log" }), "domain");
    expect(message(() => run("loewner", [arr([0, 1])], { fn: "sqrt" }))).toMatch(/unbounded/);
    expect(message(() => run("loewner", [arr([-1e-14, 1])], { fn: "sqrt" }))).toMatch(/zero eigenvalue/);
    expect(message(() => run("loewner", [arr([-0.5, 1])], { fn: "sqrt" }))).toMatch(/negative/);
    expect(() => run("loewner", [arr([-3, 0, 2])], { fn: "exp" })).not.toThrow();
    expect(() => infer("loewner", [tensorType("f64", [3])], { fn: "cos" })).toThrow(/fn/);
  });
});

describe("divdiff", () => {
  const cases: Record<string, number[]> = {
    distinct: [0.5, 1.3, 2.9, 7],
    "near-equal (δ = 1e-9)": [0.8, 1, 1 + 1e-9, 2],
    equal: [1.5, 1.5, 3, 3],
  };
  for (const [what, w] of Object.entries(cases)) {
    for (const fn of ["log", "exp", "sqrt"] as const) {
      it(`equals loewner(${fn}) at ${what} eigenvalues`, () => {
        const gw = arr(w.map(F[fn].f));
        const dgw = arr(w.map(F[fn].df));
        const got = run("divdiff", [arr(w), gw, dgw]);
        expect(relErr(got, run("loewner", [arr(w)], { fn }))).toBeLessThan(1e-10);
        expectExactlySymmetric(got);
      });
    }
  }
  it("known values for g = x³: (a³ − b³)/(a − b) = a² + ab + b², 3a² on the diagonal", () => {
    const w = [1, 2, 2 + 1e-8];
    const got = run("divdiff", [arr(w), arr(w.map((x) => x ** 3)), arr(w.map((x) => 3 * x * x))]);
    const want = ndarray([3, 3]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) want.data[i * 3 + j] = w[i] ** 2 + w[i] * w[j] + w[j] ** 2;
    expect(relErr(got, want)).toBeLessThan(1e-12);
  });
  it("checks that w, g(w) and g′(w) have one shape", () => {
    expect(() => infer("divdiff", [tensorType("f64", [3]), tensorType("f64", [3]), tensorType("f64", [4])])).toThrow(/g′\(w\)/);
  });
});

describe("spectralApply", () => {
  it("U diag(g) Uᵀ: a rotation by θ with g = [1, 3]", () => {
    const [c, s] = [Math.cos(0.3), Math.sin(0.3)];
    const u = arr([[c, -s], [s, c]]);
    const x = arr([[0, 0], [0, 0]]);
    const y = run("spectralApply", [x, arr([0, 0]), u, arr([1, 3]), arr([0, 0])]);
    expectClose(y, arr([[c * c + 3 * s * s, -2 * c * s], [-2 * c * s, s * s + 3 * c * c]]), 1e-15);
  });
  it("is logm when g = log, exactly symmetric, batched", () => {
    const x = randomSPD([2, 3], 5, 11);
    const [w, u] = eigh(x);
    const gw = ndarray(w.shape, w.data.map(Math.log));
    const y = run("spectralApply", [x, w, u, gw, ndarray(w.shape, w.data.map((v) => 1 / v))]);
    expect(relErr(y, logm(x))).toBeLessThan(1e-12);
    expectExactlySymmetric(y);
  });
  it("checks the shapes agree and X is symmetric", () => {
    const t = (shape: (number | string)[], s: "general" | "symmetric" = "general") => tensorType("f64", shape, s);
    const sym = t(["B", 4, 4], "symmetric");
    const ok = [sym, t(["B", 4]), t(["B", 4, 4]), t(["B", 4]), t(["B", 4])];
    expect(infer("spectralApply", ok)).toEqual(tensorType("f64", ["B", 4, 4], "symmetric"));
    expect(() => infer("spectralApply", [t(["B", 4, 4]), ...ok.slice(1)])).toThrow(/symmetric/);
    expect(() => infer("spectralApply", [sym, t(["B", 3]), ...ok.slice(2)])).toThrow(/w must have shape/);
    expect(() => infer("spectralApply", [...ok.slice(0, 4), t([4])])).toThrow(/g′\(w\)/);
    expect(() => run("spectralApply", [randn([3, 3], 1), arr([1, 2]), randn([3, 3], 2), arr([1, 2, 3]), arr([1, 2, 3])])).toThrow(RangeError);
  });
});

describe("projectorGap", () => {
  it("1/(λ_i − λ_j) between the top-k block and the rest, symmetric", () => {
    const g = run("projectorGap", [arr([1, 2, 5, 7])], { k: 2 });
    const want = arr([
      [0, 0, 1 / 4, 1 / 6],
      [0, 0, 1 / 3, 1 / 5],
      [1 / 4, 1 / 3, 0, 0],
      [1 / 6, 1 / 5, 0, 0],
    ]);
    expectClose(g, want, 1e-15);
    expectClose(run("projectorGap", [arr([1, 2, 5])], { k: 3 }), ndarray([3, 3]), 0);
  });
  it("ignores degeneracy inside a block", () => {
    expectClose(run("projectorGap", [arr([[1, 1, 3, 3]])], { k: 2 }), arr([[[0, 0, 0.5, 0.5], [0, 0, 0.5, 0.5], [0.5, 0.5, 0, 0], [0.5, 0.5, 0, 0]]]), 1e-15);
  });
  it("reports a zero gap between the k-th and (k+1)-th eigenvalues", () => {
    const m = message(() => run("projectorGap", [arr([1, 2, 2, 3])], { k: 2 }));
    expect(m).toMatch(/topEigenProjector\(X, 2\): no gradient: the k-th and \(k\+1\)-th largest eigenvalues are equal \(2 and 2/);
    expectNumericError(() => run("projectorGap", [arr([1, 1e6, 1e6 * (1 + 1e-13)])], { k: 1 }), "domain");
    expect(() => run("projectorGap", [arr([1e-20, 2e-20])], { k: 1 })).not.toThrow();
    expect(() => infer("projectorGap", [tensorType("f64", [3])], { k: 4 })).toThrow(/exceeds/);
    expect(() => infer("projectorGap", [tensorType("f64", [3])], { k: 0 })).toThrow(/'k'/);
  });
});
