/**
 * Known values for the matrix ops. Most inputs are built from known factors — Q diag(λ) Qᵀ with
 * Q = ROT3 (a rotation with cos = 3/5, sin = 4/5) — so that each result has a closed form:
 * eigh gives λ and Q's columns, f(X) = Q diag(f(λ)) Qᵀ, the top-k projector is the sum of q q̄ᵀ over
 * the top k columns.
 */
import { linalg, model, ops } from "../../../index.js";
import { F64, mat, outerSum, ROT2, ROT3, spectral, type CaseTable, type Mat } from "./types.js";

const SYM = { dtype: "f64", structure: "symmetric" } as const;
const SPD = { dtype: "f64", structure: "spd" } as const;

/** The matrix whose columns are `cols`. */
const columns = (cols: readonly (readonly number[])[]): Mat => mat(cols[0].length, cols.length, (i, j) => cols[j][i]);
const rows = (rs: readonly (readonly number[])[]): Mat => rs.map((r) => [...r]);

/** X = Q diag(1, 4, 9) Qᵀ: eigenvalues 1, 4, 9 with eigenvectors ROT3's columns. */
export const X149 = spectral([1, 4, 9], ROT3);
const S = Math.SQRT1_2;

// Thin SVD with known factors: A = 5·u₁v₁ᵀ + 2·u₂v₂ᵀ, u = ROT3's first two columns, v = ROT2's.
const U32 = [ROT3[0], ROT3[1]];
const A32 = outerSum([5, 2], U32, ROT2); // 3×2, m > n
const A23 = outerSum([5, 2], ROT2, U32); // 2×3 = A32ᵀ, m < n

type Out = ReadonlyMap<string, { shape: readonly number[]; data: Float64Array }>;
/** max |U diag(S) Vh − A| for one unbatched thin SVD, by hand. */
function reconstructionError(o: Out, a: Mat): number {
  const [u, s, vh] = ["U", "S", "Vh"].map((k) => o.get(k)!);
  const [m, k] = u.shape;
  const n = vh.shape[1];
  let err = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let c = 0; c < k; c++) x += u.data[i * k + c] * s.data[c] * vh.data[c * n + j];
      err = Math.max(err, Math.abs(x - a[i][j]));
    }
  }
  return err;
}

export const LINALG_CASES: CaseTable = {
  eigh: [
    {
      name: "[[2,1],[1,2]]: w = [1, 3], U = [(1,−1), (1,1)]/√2 (up to column sign)",
      model: model("eigh-2x2", ({ input }) => {
        const [w, U] = linalg.eigh(input("X", [2, 2], SYM));
        return { w, U };
      }),
      inputs: { X: [[2, 1], [1, 2]] },
      expected: { w: [1, 3], U: [[S, S], [-S, S]] },
      columnSign: ["U"],
    },
    {
      name: "Q diag(1,4,9) Qᵀ: w ascending [1, 4, 9], U = Q",
      model: model("eigh-rotated", ({ input }) => {
        const [w, U] = linalg.eigh(input("X", [3, 3], SYM));
        return { w, U };
      }),
      inputs: { X: X149 },
      expected: { w: [1, 4, 9], U: columns(ROT3) },
      columnSign: ["U"],
    },
  ],
  svd: [
    {
      name: "thin SVD, m > n (3×2): S = [5, 2] descending, U = [u₁ u₂], Vh = [v₁ᵀ; v₂ᵀ]",
      model: model("svd-tall", ({ input }) => {
        const [U, S, Vh] = linalg.svd(input("A", [3, 2], F64));
        return { U, S, Vh };
      }),
      inputs: { A: A32 },
      expected: { S: [5, 2], U: columns(U32), Vh: rows(ROT2) },
      columnSign: ["U"],
      rowSign: ["Vh"],
      check: (o) => {
        if (!(reconstructionError(o, A32) < 1e-13)) throw new Error("U diag(S) Vh ≠ A");
      },
    },
    {
      name: "thin SVD, m < n (2×3 = the transpose): U = [v₁ v₂], Vh = [u₁ᵀ; u₂ᵀ]",
      model: model("svd-wide", ({ input }) => {
        const [U, S, Vh] = linalg.svd(input("A", [2, 3], F64));
        return { U, S, Vh };
      }),
      inputs: { A: A23 },
      expected: { S: [5, 2], U: columns(ROT2), Vh: rows(U32) },
      columnSign: ["U"],
      rowSign: ["Vh"],
      check: (o) => {
        if (!(reconstructionError(o, A23) < 1e-13)) throw new Error("U diag(S) Vh ≠ A");
      },
    },
  ],
  inv: [
    {
      name: "[[4,7],[2,6]]⁻¹ = [[6,−7],[−2,4]]/10, and a batch with a diagonal matrix",
      model: model("inv", ({ input }) => ({ y: linalg.inv(input("X", [2, 2, 2], F64)) })),
      inputs: { X: [[[4, 7], [2, 6]], [[2, 0], [0, -4]]] },
      expected: { y: [[[0.6, -0.7], [-0.2, 0.4]], [[0.5, 0], [0, -0.25]]] },
    },
  ],
  solve: [
    {
      name: "vector and matrix right-hand sides: A⁻¹ = [[3,−1],[−1,2]]/5",
      model: model("solve", ({ input }) => {
        const a = input("A", [2, 2], F64);
        return { x: linalg.solve(a, input("b", [2], F64)), X: linalg.solve(a, input("B", [2, 2], F64)) };
      }),
      inputs: { A: [[2, 1], [1, 3]], b: [3, 5], B: [[3, 1], [5, 0]] },
      // A⁻¹[3,5] = [9−5, −3+10]/5; A⁻¹[1,0] = [3, −1]/5.
      expected: { x: [0.8, 1.4], X: [[0.8, 0.6], [1.4, -0.2]] },
    },
    {
      name: "NumPy 2: b of shape A.shape[:-1] is one [n, k] matrix broadcast over A's batch; a 1-D b is a vector",
      model: model("solve-batch", ({ input }) => {
        const a = input("A", [2, 2, 2], F64);
        return {
          X: linalg.solve(a, input("B", [2, 2], F64)),
          x: linalg.solve(a, input("b", [2], F64)),
          Y: linalg.solve(input("C", [2, 2], F64), input("D", [3, 2, 1], F64)),
        };
      }),
      inputs: {
        A: [[[2, 1], [1, 3]], [[1, 0], [0, 2]]],
        B: [[3, 1], [5, 0]],
        b: [3, 5],
        C: [[0, 1], [1, 0]],
        D: [[[1], [2]], [[3], [4]], [[5], [6]]],
      },
      expected: {
        // A₀⁻¹B as above; A₁⁻¹B halves B's second row.
        X: [[[0.8, 0.6], [1.4, -0.2]], [[3, 1], [2.5, 0]]],
        x: [[0.8, 1.4], [3, 2.5]],
        // C swaps the two rows: C⁻¹ = C.
        Y: [[[2], [1]], [[4], [3]], [[6], [5]]],
      },
    },
  ],
  cholesky: [
    {
      name: "[[4,2],[2,5]] = L Lᵀ with L = [[2,0],[1,2]]; the classic 3×3",
      model: model("cholesky", ({ input }) => ({ l2: linalg.cholesky(input("X", [2, 2], SPD)), l3: linalg.cholesky(input("Y", [3, 3], SPD)) })),
      inputs: { X: [[4, 2], [2, 5]], Y: [[4, 12, -16], [12, 37, -43], [-16, -43, 98]] },
      expected: { l2: [[2, 0], [1, 2]], l3: [[2, 0, 0], [6, 1, 0], [-8, 5, 3]] },
    },
  ],
  cov: [
    {
      name: "FᵀF/n + eps·I, with and without eps, batched",
      model: model("cov", ({ input }) => {
        const f = input("F", [3, 2], F64);
        return { c: linalg.cov(f, { eps: 0.5 }), c0: linalg.cov(f), cb: linalg.cov(input("G", [2, 2, 1], F64), { eps: 0.25 }) };
      }),
      inputs: { F: [[1, 0], [0, 1], [1, 1]], G: [[[1], [3]], [[2], [0]]] },
      expected: {
        // FᵀF = [[2,1],[1,2]], n = 3.
        c: [[2 / 3 + 0.5, 1 / 3], [1 / 3, 2 / 3 + 0.5]],
        c0: [[2 / 3, 1 / 3], [1 / 3, 2 / 3]],
        // (1² + 3²)/2 + ¼ and (2² + 0²)/2 + ¼.
        cb: [[[5.25]], [[2.25]]],
      },
    },
  ],
  assume: [
    {
      name: "asserting spd lets cholesky run; the value passes through",
      model: model("assume", ({ input }) => {
        const x = ops.assume(input("X", [2, 2], F64), "spd");
        return { x, l: linalg.cholesky(x) };
      }),
      inputs: { X: [[9, 3], [3, 5]] },
      // L = [[3, 0], [1, 2]]: 3·1 = 3, 1 + 4 = 5.
      expected: { x: [[9, 3], [3, 5]], l: [[3, 0], [1, 2]] },
    },
  ],
  topEigenProjector: [
    {
      name: "top-1 and top-2 eigenspaces of Q diag(1,4,9) Qᵀ, and of [[2,1],[1,2]]",
      model: model("top-eigen", ({ input }) => {
        const x = input("X", [3, 3], SYM);
        return {
          p1: linalg.topEigenProjector(x, 1),
          p2: linalg.topEigenProjector(x, 2),
          q: linalg.topEigenProjector(input("Y", [2, 2], SYM), 1),
        };
      }),
      inputs: { X: X149, Y: [[2, 1], [1, 2]] },
      expected: {
        p1: spectral([0, 0, 1], ROT3), // q₃q₃ᵀ = e₃e₃ᵀ
        p2: spectral([0, 1, 1], ROT3), // q₂q₂ᵀ + q₃q₃ᵀ
        q: [[0.5, 0.5], [0.5, 0.5]],
      },
    },
  ],
  rangeProjector: [
    {
      name: "I − nnᵀ/‖n‖² for a 3×2 Z with normal n = (1,−1,−1); batched rank-1 projectors",
      model: model("range-projector", ({ input }) => ({ p: linalg.rangeProjector(input("Z", [3, 2], F64)), pb: linalg.rangeProjector(input("W", [2, 2, 1], F64)) })),
      inputs: { Z: [[1, 1], [1, 0], [0, 1]], W: [[[2], [2]], [[0], [5]]] },
      expected: {
        p: [[2 / 3, 1 / 3, 1 / 3], [1 / 3, 2 / 3, -1 / 3], [1 / 3, -1 / 3, 2 / 3]],
        pb: [[[0.5, 0.5], [0.5, 0.5]], [[0, 0], [0, 1]]],
      },
    },
  ],
};

export const SPECTRAL_CASES: CaseTable = {
  logm: [
    {
      name: "logm(Q diag(1,4,9) Qᵀ) = Q diag(0, ln 4, ln 9) Qᵀ; logm([[2,1],[1,2]]) = (ln 3 / 2)·[[1,1],[1,1]]; logm(diag(1, e, e²)) = diag(0, 1, 2)",
      model: model("logm", ({ input }) => ({
        r: linalg.logm(input("X", [3, 3], SPD)),
        t: linalg.logm(input("Y", [2, 2], SPD)),
        d: linalg.logm(input("D", [3, 3], SPD)),
      })),
      inputs: { X: X149, Y: [[2, 1], [1, 2]], D: [[1, 0, 0], [0, Math.E, 0], [0, 0, Math.E ** 2]] },
      expected: {
        r: spectral([0, 2 * Math.LN2, Math.log(9)], ROT3),
        // Eigenpairs (1, (1,−1)/√2) and (3, (1,1)/√2); ln 1 = 0.
        t: [[Math.log(3) / 2, Math.log(3) / 2], [Math.log(3) / 2, Math.log(3) / 2]],
        d: [[0, 0, 0], [0, 1, 0], [0, 0, 2]],
      },
    },
  ],
  sqrtm: [
    {
      name: "sqrtm([[5,4],[4,5]]) = [[2,1],[1,2]]; sqrtm(Q diag(1,4,9) Qᵀ) = Q diag(1,2,3) Qᵀ",
      model: model("sqrtm", ({ input }) => ({ t: linalg.sqrtm(input("Y", [2, 2], SPD)), r: linalg.sqrtm(input("X", [3, 3], SPD)) })),
      inputs: { Y: [[5, 4], [4, 5]], X: X149 },
      expected: { t: [[2, 1], [1, 2]], r: spectral([1, 2, 3], ROT3) },
    },
  ],
  expm: [
    {
      name: "expm([[0,1],[1,0]]) = [[cosh 1, sinh 1],[sinh 1, cosh 1]]; expm(Q diag(−1, 0, ln 2) Qᵀ) = Q diag(1/e, 1, 2) Qᵀ",
      model: model("expm", ({ input }) => ({ t: linalg.expm(input("Y", [2, 2], SYM)), r: linalg.expm(input("X", [3, 3], SYM)) })),
      inputs: { Y: [[0, 1], [1, 0]], X: spectral([-1, 0, Math.LN2], ROT3) },
      expected: {
        t: [[(Math.E + 1 / Math.E) / 2, (Math.E - 1 / Math.E) / 2], [(Math.E - 1 / Math.E) / 2, (Math.E + 1 / Math.E) / 2]],
        r: spectral([1 / Math.E, 1, 2], ROT3),
      },
    },
  ],
};
