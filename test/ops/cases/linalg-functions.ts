/**
 * Known values for issue 12's linalg ops. The inputs are built from known factors (ROT2/ROT3,
 * A = 5·u₁v₁ᵀ + 2·u₂v₂ᵀ) or are small enough to factor by hand, so every expected value is a
 * closed form worked out below; the Newton–Schulz square root's is the scalar recurrence its
 * iteration runs on each eigenvalue (docs/matrix-functions.md), evaluated here in plain JS.
 */
import { linalg, model } from "../../../index.js";
import { F64, graphModel, outerSum, ROT2, ROT3, spectral, type CaseTable } from "./types.js";

const SYM = { dtype: "f64", structure: "symmetric" } as const;
const SPD = { dtype: "f64", structure: "spd" } as const;

/** X = Q diag(1, 4, 9) Qᵀ (trace 14). */
const X149 = spectral([1, 4, 9], ROT3);
// A = 5·u₁v₁ᵀ + 2·u₂v₂ᵀ with u = ROT3's first two columns, v = ROT2's: σ = (5, 2).
const U32 = [ROT3[0], ROT3[1]];
const A32 = outerSum([5, 2], U32, ROT2);
const A23 = outerSum([5, 2], ROT2, U32);

/** √λ·u_N with u₀ = √(λ/τ), u_k = u_{k−1}(3 − u_{k−1}²)/2: the Newton–Schulz result on eigenvalue λ. */
function newtonSchulzEigenvalue(lambda: number, trace: number, iters: number): number {
  let u = Math.sqrt(lambda / trace);
  for (let k = 0; k < iters; k++) u = (u * (3 - u * u)) / 2;
  return Math.sqrt(lambda) * u;
}

export const LINALG_FUNCTION_CASES: CaseTable = {
  eigvalsh: [
    {
      name: "eigvalsh(Q diag(9,1,4) Qᵀ) = [1, 4, 9] ascending; batched [[2,1],[1,2]], diag(3, −1)",
      model: model("eigvalsh", ({ input }) => ({ w: linalg.eigvalsh(input("X", [3, 3], SYM)), b: linalg.eigvalsh(input("B", [2, 2, 2], SYM)) })),
      inputs: { X: spectral([9, 1, 4], ROT3), B: [[[2, 1], [1, 2]], [[3, 0], [0, -1]]] },
      expected: { w: [1, 4, 9], b: [[1, 3], [-1, 3]] },
    },
  ],
  det: [
    {
      name: "det [[1,2],[3,4]] = −2; det(Q diag(1,4,9) Qᵀ) = 36; a row swap [[0,1],[1,0]] = −1; singular [[1,2],[2,4]] = 0 (no error: det is continuous)",
      model: model("det", ({ input }) => ({
        a: linalg.det(input("A", [2, 2], F64)),
        x: linalg.det(input("X", [3, 3], F64)),
        b: linalg.det(input("B", [2, 2, 2], F64)),
      })),
      inputs: { A: [[1, 2], [3, 4]], X: X149, B: [[[0, 1], [1, 0]], [[1, 2], [2, 4]]] },
      expected: { a: -2, x: 36, b: [-1, 0] },
    },
  ],
  slogdet: [
    {
      name: "slogdet [[1,2],[3,4]] = (−1, ln 2); of Q diag(1,4,9) Qᵀ = (1, ln 36); of 10⁻³⁰⁰·I₃ = (1, −900 ln 10) where det underflows",
      model: model("slogdet", ({ input }) => {
        const [s, l] = linalg.slogdet(input("A", [2, 2], F64));
        const [sx, lx] = linalg.slogdet(input("X", [3, 3], F64));
        const [st, lt] = linalg.slogdet(input("T", [3, 3], F64));
        return { s, l, sx, lx, st, lt };
      }),
      inputs: { A: [[1, 2], [3, 4]], X: X149, T: [[1e-300, 0, 0], [0, 1e-300, 0], [0, 0, 1e-300]] },
      expected: { s: -1, l: Math.LN2, sx: 1, lx: Math.log(36), st: 1, lt: -900 * Math.LN10 },
    },
  ],
  norm: [
    {
      name: "A = 5·u₁v₁ᵀ + 2·u₂v₂ᵀ: fro √29, nuc 7, 2-norm 5; the transpose alike; vectors along the last axis [3,4], [6,8] → 5, 10",
      model: model("norm", ({ input }) => {
        const a = input("A", [3, 2], F64);
        const t = input("T", [2, 3], F64);
        return {
          fro: linalg.norm(a),
          nuc: linalg.norm(a, { ord: "nuc" }),
          two: linalg.norm(a, { ord: 2 }),
          nucT: linalg.norm(t, { ord: "nuc" }),
          rows: linalg.norm(input("V", [2, 2], F64), { axis: -1 }),
          vec: linalg.norm(input("v", [2], F64)),
        };
      }),
      inputs: { A: A32, T: A23, V: [[3, 4], [6, 8]], v: [5, 12] },
      expected: { fro: Math.sqrt(29), nuc: 7, two: 5, nucT: 7, rows: [5, 10], vec: 13 },
    },
  ],
  normWeights: [
    {
      name: "nuclear: 1 on each nonzero σ; spectral: 1/r on the r values tied at σ₁; a zero matrix: 0",
      model: graphModel("norm-weights", (b) => {
        const s = b.input("S", [3, 3]);
        return { nuc: b.op("normWeights", [s], { ord: "nuc" }), two: b.op("normWeights", [s], { ord: "2" }) };
      }),
      inputs: { S: [[5, 2, 0], [3, 3, 1], [0, 0, 0]] },
      expected: { nuc: [[1, 1, 0], [1, 1, 1], [0, 0, 0]], two: [[1, 0, 0], [0.5, 0.5, 0], [0, 0, 0]] },
    },
  ],
  qr: [
    {
      name: "square [[3,1],[4,2]], tall [[3,1],[4,2],[0,0.3]], wide [[3,1,2],[4,2,1]]: Gram–Schmidt by hand, R's diagonal > 0",
      model: model("qr", ({ input }) => {
        const [q, r] = linalg.qr(input("A", [2, 2], F64));
        const [qt, rt] = linalg.qr(input("T", [3, 2], F64));
        const [qw, rw] = linalg.qr(input("W", [2, 3], F64));
        return { q, r, qt, rt, qw, rw };
      }),
      inputs: { A: [[3, 1], [4, 2]], T: [[3, 1], [4, 2], [0, 0.3]], W: [[3, 1, 2], [4, 2, 1]] },
      // q₁ = (3,4)/5, R₁₂ = q₁·(1,2) = 2.2; (1,2) − 2.2q₁ = 0.4·(−0.8, 0.6). Tall: (1,2,0.3) − 2.2q₁ = 0.5·(−0.64, 0.48, 0.6).
      expected: {
        q: [[0.6, -0.8], [0.8, 0.6]],
        r: [[5, 2.2], [0, 0.4]],
        qt: [[0.6, -0.64], [0.8, 0.48], [0, 0.6]],
        rt: [[5, 2.2], [0, 0.5]],
        qw: [[0.6, -0.8], [0.8, 0.6]],
        rw: [[5, 2.2, 2], [0, 0.4, -1]],
      },
    },
  ],
  pinv: [
    {
      name: "pinv(5·u₁v₁ᵀ + 2·u₂v₂ᵀ) = v₁u₁ᵀ/5 + v₂u₂ᵀ/2 (tall and wide); rank one 5·u₁v₁ᵀ → v₁u₁ᵀ/5; invertible [[1,2],[3,4]] → its inverse",
      model: model("pinv", ({ input }) => ({
        p: linalg.pinv(input("A", [3, 2], F64)),
        w: linalg.pinv(input("W", [2, 3], F64)),
        r: linalg.pinv(input("R", [3, 2], F64)),
        i: linalg.pinv(input("I", [2, 2], F64)),
      })),
      inputs: { A: A32, W: A23, R: outerSum([5], [U32[0]], [ROT2[0]]), I: [[1, 2], [3, 4]] },
      expected: {
        p: outerSum([0.2, 0.5], ROT2, U32),
        w: outerSum([0.2, 0.5], U32, ROT2),
        r: outerSum([0.2], [ROT2[0]], [U32[0]]),
        i: [[-2, 1], [1.5, -0.5]],
      },
    },
  ],
  polar: [
    {
      name: "polar(5·u₁v₁ᵀ + 2·u₂v₂ᵀ) = u₁v₁ᵀ + u₂v₂ᵀ (tall and wide); of 3·R (all σ equal) = R",
      model: model("polar", ({ input }) => ({ p: linalg.polar(input("A", [3, 2], F64)), w: linalg.polar(input("W", [2, 3], F64)), r: linalg.polar(input("R", [2, 2], F64)) })),
      inputs: { A: A32, W: A23, R: [[2.4, -1.8], [1.8, 2.4]] },
      expected: { p: outerSum([1, 1], U32, ROT2), w: outerSum([1, 1], ROT2, U32), r: [[0.8, -0.6], [0.6, 0.8]] },
    },
  ],
  powm: [
    {
      name: "X = Q diag(1,4,9) Qᵀ: X^½ = Q diag(1,2,3) Qᵀ, X^−1 = Q diag(1,¼,⅑) Qᵀ, X^1.5 = Q diag(1,8,27) Qᵀ",
      model: model("powm", ({ input }) => {
        const x = input("X", [3, 3], SPD);
        return { h: linalg.powm(x, 0.5), i: linalg.powm(x, -1), c: linalg.powm(x, 1.5) };
      }),
      inputs: { X: X149 },
      expected: { h: spectral([1, 2, 3], ROT3), i: spectral([1, 1 / 4, 1 / 9], ROT3), c: spectral([1, 8, 27], ROT3) },
    },
  ],
  powLoewner: [
    {
      name: "p = ½, λ = (1, 4, 9): (√λᵢ − √λⱼ)/(λᵢ − λⱼ) = 1/(√λᵢ + √λⱼ), and ½λ^−½ on the diagonal (the same formula)",
      model: graphModel("pow-loewner", (b) => ({ L: b.op("powLoewner", [b.input("w", [3])], { p: 0.5 }) })),
      inputs: { w: [1, 4, 9] },
      expected: { L: [[1 / 2, 1 / 3, 1 / 4], [1 / 3, 1 / 4, 1 / 5], [1 / 4, 1 / 5, 1 / 6]] },
    },
  ],
  sqrtmNewtonSchulz: [
    {
      name: "X = Q diag(1,4,9) Qᵀ: after N steps Q diag(√λ·u_N(√(λ/14))) Qᵀ (N = 1, 3), and √X = Q diag(1,2,3) Qᵀ to 1e-10 after 15",
      model: model("sqrtm-newton-schulz", ({ input }) => {
        const x = input("X", [3, 3], SPD);
        return {
          one: linalg.sqrtm(x, { method: "newton-schulz", iters: 1 }),
          three: linalg.sqrtm(x, { method: "newton-schulz", iters: 3 }),
          many: linalg.sqrtm(x, { method: "newton-schulz", iters: 15 }),
        };
      }),
      inputs: { X: X149 },
      expected: {
        one: spectral([1, 4, 9].map((l) => newtonSchulzEigenvalue(l, 14, 1)), ROT3),
        three: spectral([1, 4, 9].map((l) => newtonSchulzEigenvalue(l, 14, 3)), ROT3),
        many: spectral([1, 2, 3], ROT3),
      },
    },
  ],
};
