/**
 * Properties of issue 12's float64 linalg kernels that hold whatever the reference says:
 * factorisation identities, the Moore–Penrose conditions, the Newton–Schulz error formula on
 * each eigenvalue, and the divided difference of λ^p near ties against its Taylor expansion.
 */
import { describe, expect, it } from "vitest";
import { det, slogdet } from "../../../numeric/linalg/det.js";
import { matmul } from "../../../numeric/linalg/matmul.js";
import { powDividedDifference, powm } from "../../../numeric/spectral/matrix-power.js";
import { newtonSchulzScale, newtonSchulzSqrtm } from "../../../numeric/linalg/newton-schulz.js";
import { norm } from "../../../numeric/linalg/norm.js";
import { pinv, polar } from "../../../numeric/linalg/polar.js";
import { qr } from "../../../numeric/linalg/qr.js";
import { inv } from "../../../numeric/linalg/solve.js";
import { sqrtm } from "../../../numeric/spectral/spectral.js";
import { ndarray, sizeOf, type NDArray } from "../../../numeric/ndarray.js";
import { arr, expectClose, expectNumericError, eye, maxAbs, maxAbsDiff, orthonormalColumns, randn, relErr, transpose } from "./helpers.js";

/** Q diag(λ) Qᵀ with Q a seeded random orthogonal matrix (exactly symmetric). */
function withEigenvalues(lam: readonly number[], seed: number): { x: NDArray; q: Float64Array } {
  const n = lam.length;
  const q = orthonormalColumns(randn([n, n], seed).data, n, n);
  const x = ndarray([n, n]);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += q[i * n + c] * lam[c] * q[j * n + c];
    x.data[i * n + j] = x.data[j * n + i] = s;
  }
  return { x, q };
}

const SIZES: [number[], number, number][] = [[[], 8, 8], [[], 9, 9], [[2], 16, 16], [[], 17, 17], [[], 33, 33], [[3], 9, 4], [[], 17, 8], [[2], 4, 9], [[], 1, 5], [[], 6, 1]];

describe("qr", () => {
  it.each(SIZES)("A = QR, QᵀQ = I, R upper triangular with R_jj ≥ 0 (batch %j, %i×%i)", (batch, m, n) => {
    const a = randn([...batch, m, n], 3 * m + n);
    const [q, r] = qr(a);
    const k = Math.min(m, n);
    expect(relErr(matmul(q, r), a)).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(q), q), eye(batch, k))).toBeLessThan(1e-13);
    for (let b = 0; b < sizeOf(batch); b++) {
      for (let i = 0; i < k; i++) {
        expect(r.data[b * k * n + i * n + i]).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < Math.min(i, n); j++) expect(r.data[b * k * n + i * n + j]).toBe(0);
      }
    }
  });

  it("a rank-deficient A (zero and repeated columns) still gets an orthonormal Q and A = QR", () => {
    const a = arr([[1, 0, 1, 2], [2, 0, 2, 1], [3, 0, 3, 0], [4, 0, 4, 5], [5, 0, 5, 1]]);
    const [q, r] = qr(a);
    expect(relErr(matmul(q, r), a)).toBeLessThan(1e-14);
    expect(maxAbsDiff(matmul(transpose(q), q), eye([], 4))).toBeLessThan(1e-14);
    expect(r.data[1 * 4 + 1]).toBe(0);
  });
});

describe("det and slogdet", () => {
  it("det(AB) = det A · det B, det(cA) = cⁿ det A, and slogdet agrees with det (signs of both kinds)", () => {
    for (const n of [1, 2, 5, 9, 17]) {
      const a = randn([4, n, n], n);
      const b = randn([4, n, n], n + 100);
      const da = det(a).data;
      const db = det(b).data;
      const dab = det(matmul(a, b)).data;
      for (let t = 0; t < 4; t++) expect(Math.abs(dab[t] - da[t] * db[t])).toBeLessThan(1e-11 * Math.abs(da[t] * db[t]));
      const c = ndarray(a.shape, a.data.map((v) => -1.5 * v));
      for (let t = 0; t < 4; t++) expect(Math.abs(det(c).data[t] / da[t] / (-1.5) ** n - 1)).toBeLessThan(1e-12);
      const [s, l] = slogdet(a);
      for (let t = 0; t < 4; t++) expect(Math.abs((s.data[t] * Math.exp(l.data[t])) / da[t] - 1)).toBeLessThan(1e-12);
    }
  });

  it("triangular: the product of the diagonal; a zero column: det 0 and slogdet refuses (−∞)", () => {
    expect(det(arr([[2, 7, 1], [0, -3, 5], [0, 0, 0.5]])).data[0]).toBe(-3);
    expect(Math.abs(det(arr([[1, 0, 3], [2, 0, 1], [4, 0, 2]])).data[0])).toBe(0);
    expectNumericError(() => slogdet(arr([[1, 0, 3], [2, 0, 1], [4, 0, 2]])), "singular");
  });

  it("slogdet has no overflow where det does (a 200×200 matrix with det 10^400)", () => {
    const n = 200;
    const a = ndarray([n, n]);
    for (let i = 0; i < n; i++) a.data[i * n + i] = i % 2 ? 100 : -100;
    const [s, l] = slogdet(a);
    expect(s.data[0]).toBe(1);
    expect(l.data[0]).toBeCloseTo(n * Math.log(100), 9);
    expectNumericError(() => det(a), "non-finite");
  });
});

describe("polar", () => {
  it.each(SIZES)("Q has orthonormal columns (rows when wide) and QᵀA (AQᵀ) is symmetric positive definite (batch %j, %i×%i)", (batch, m, n) => {
    const a = randn([...batch, m, n], 7 * m + n);
    const q = polar(a);
    const tall = m >= n;
    const k = Math.min(m, n);
    const gram = tall ? matmul(transpose(q), q) : matmul(q, transpose(q));
    expect(maxAbsDiff(gram, eye(batch, k))).toBeLessThan(1e-13);
    const p = tall ? matmul(transpose(q), a) : matmul(a, transpose(q));
    expect(maxAbsDiff(p, transpose(p))).toBeLessThan(1e-12 * maxAbs(a));
    // P = (AᵀA)^½: its square is AᵀA.
    const ata = tall ? matmul(transpose(a), a) : matmul(a, transpose(a));
    expect(relErr(matmul(p, p), ata)).toBeLessThan(1e-12);
  });

  it("is unique at repeated singular values: A = U diag(2, 2, 1) Vᵀ gives U Vᵀ", () => {
    const u = orthonormalColumns(randn([3, 3], 1).data, 3, 3);
    const v = orthonormalColumns(randn([3, 3], 2).data, 3, 3);
    const U = ndarray([3, 3], u);
    const Vt = transpose(ndarray([3, 3], v));
    const a = matmul(matmul(U, arr([[2, 0, 0], [0, 2, 0], [0, 0, 1]])), Vt);
    expectClose(polar(a), matmul(U, Vt), 1e-14);
  });

  it("a rank-deficient matrix has no unique polar factor: NumericError(singular)", () => {
    expectNumericError(() => polar(arr([[1, 2], [2, 4], [0, 0]])), "singular");
  });
});

describe("pinv", () => {
  it.each([[5, 3], [3, 5], [4, 4]])("the Moore–Penrose conditions (%i×%i, full rank and rank 2)", (m, n) => {
    const full = randn([m, n], m * n);
    const low = matmul(randn([m, 2], m), randn([2, n], n)); // rank 2
    for (const a of [full, low]) {
      const p = pinv(a);
      expect(relErr(matmul(matmul(a, p), a), a)).toBeLessThan(1e-12);
      expect(relErr(matmul(matmul(p, a), p), p)).toBeLessThan(1e-12);
      const ap = matmul(a, p);
      const pa = matmul(p, a);
      expect(maxAbsDiff(ap, transpose(ap))).toBeLessThan(1e-12);
      expect(maxAbsDiff(pa, transpose(pa))).toBeLessThan(1e-12);
    }
    if (m === n) expectClose(pinv(full), inv(full), 1e-12);
  });
});

describe("norm", () => {
  it("fro has no overflow at 1e200 entries; nuc of an orthogonal n×n is n; 2 of diag is max|d|", () => {
    expect(norm(arr([[3e200, 4e200]]), "fro", true).data[0] / 5e200).toBeCloseTo(1, 15);
    const q = ndarray([5, 5], orthonormalColumns(randn([5, 5], 4).data, 5, 5));
    expect(norm(q, "nuc", true).data[0]).toBeCloseTo(5, 13);
    expect(norm(arr([[1, 0, 0], [0, -7, 0], [0, 0, 2]]), 2, true).data[0]).toBeCloseTo(7, 14);
    expect(norm(arr([[3, 4]]), 2, false).data[0]).toBe(5);
  });
});

describe("powm", () => {
  const { x } = withEigenvalues([0.3, 1, 1, 2.5, 7], 11);
  it("X^½ = sqrtm X, X¹ = X, X⁻¹ = inv X, X^p X^q = X^(p+q)", () => {
    expectClose(powm(x, 0.5), sqrtm(x), 1e-14);
    expectClose(powm(x, 1), x, 1e-14);
    expectClose(powm(x, -1), inv(x), 1e-13);
    expectClose(matmul(powm(x, 0.3), powm(x, -1.7)), powm(x, -1.4), 1e-13);
  });

  it("domain: a negative eigenvalue is refused; a zero one only for p ≤ 0", () => {
    const { x: psd } = withEigenvalues([0, 1, 2], 3);
    expect(powm(psd, 0.5).data.every(Number.isFinite)).toBe(true);
    expectNumericError(() => powm(psd, -0.5), "domain");
    expectNumericError(() => powm(withEigenvalues([-0.1, 1, 2], 3).x, 0.5), "domain");
  });

  it("the divided difference (a^p − b^p)/(a − b) near ties = its Taylor expansion about the midpoint", () => {
    // With m = (a+b)/2, h = (a−b)/2: (f(m+h) − f(m−h))/(2h) = f′(m) + f‴(m)h²/6 + f⁽⁵⁾(m)h⁴/120 + …
    for (const p of [0.5, -0.5, 1.7, 0.25, -2, 3]) {
      for (const m of [1e-3, 0.7, 1, 40]) {
        for (const rel of [1e-14, 1e-9, 1e-6, 1e-3]) {
          const h = rel * m;
          const d1 = p * m ** (p - 1);
          const d3 = p * (p - 1) * (p - 2) * m ** (p - 3);
          const d5 = d3 * (p - 3) * (p - 4) * m ** -2;
          const want = d1 + (d3 * h * h) / 6 + (d5 * h ** 4) / 120;
          expect(Math.abs(powDividedDifference(m + h, m - h, p) - want)).toBeLessThanOrEqual(3 * Number.EPSILON * Math.abs(want));
        }
      }
    }
  });
});

describe("Newton–Schulz sqrtm: on each eigenvalue λ the result is √λ · u_N(λ / tr X)", () => {
  // The scalar recurrence is the whole error model (docs/matrix-functions.md); check it on matrices
  // with known eigenvalues, including repeated ones and a condition number of 10⁴.
  const spectra: number[][] = [[1, 2, 3, 4], [0.01, 0.5, 0.5, 3, 9], [1, 1, 1], [1e-4, 0.3, 1, 1, 1, 1]];
  for (const lam of spectra) {
    for (const iters of [1, 2, 5, 10, 20]) {
      it(`λ = ${lam.join(", ")}: ${iters} iterations`, () => {
        const { x, q } = withEigenvalues(lam, lam.length);
        const y = newtonSchulzSqrtm(x, iters);
        const tr = lam.reduce((a, b) => a + b, 0);
        const want = withEigenvalues(lam.map((l) => Math.sqrt(l) * newtonSchulzScale(l / tr, iters)), lam.length).x;
        expect(withEigenvalues(lam, lam.length).q).toEqual(q);
        expect(maxAbsDiff(y, want)).toBeLessThan(1e-14 * Math.sqrt(Math.max(...lam)) * iters);
      });
    }
  }

  it("converges to sqrtm: 20 iterations reach 1e-13 at κ = 100 (n = 6), where 5 are 5e-2 away", () => {
    const { x } = withEigenvalues([0.05, 0.2, 1, 2, 4, 5], 6);
    expect(relErr(newtonSchulzSqrtm(x, 20), sqrtm(x))).toBeLessThan(1e-13);
    expect(relErr(newtonSchulzSqrtm(x, 5), sqrtm(x))).toBeGreaterThan(0.04);
  });

  it("a matrix whose trace is not positive is refused (NumericError domain)", () => {
    expectNumericError(() => newtonSchulzSqrtm(arr([[-1, 0], [0, 0.5]]), 3), "domain");
  });
});
