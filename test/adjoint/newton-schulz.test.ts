/**
 * The Newton–Schulz square root as an op (`linalg.sqrtm(X, { method: "newton-schulz", iters })`):
 * - its error against the eigendecomposition's sqrtm is what the iteration promises
 *   (docs/matrix-functions.md): X = Q diag(λ) Qᵀ gives Q diag(√λᵢ·(1 − u_N(√(λᵢ/tr X)))) Qᵀ as the
 *   difference, so the relative Frobenius error is √(Σ λᵢ (1 − u_N)²) / √(Σ λᵢ) exactly — computed here
 *   from the scalar recurrence, for iteration counts from far from converged to converged;
 * - its gradient, through the unrolled iteration, matches central differences at iteration counts
 *   the WebGPU table (test/adjoint/cases/linalg-functions.ts) keeps out for compile time.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { linalg, model, ops } from "../../index.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { conjugateDiag, DEFAULT_TOL, F64, orthogonal, randn, SPD, symmetricWith } from "./cases/types.js";

/** u_N from u₀ = √x: the factor the iteration leaves on an eigenvalue with λ / tr X = x. */
function scale(x: number, iters: number): number {
  let u = Math.sqrt(x);
  for (let k = 0; k < iters; k++) u = (u * (3 - u * u)) / 2;
  return u;
}

const both = (iters: number, n: number) =>
  model(`ns-vs-eigh-${iters}-${n}`, ({ input }) => {
    const x = input("X", [n, n], SPD);
    return { ns: linalg.sqrtm(x, { method: "newton-schulz", iters }), eigh: linalg.sqrtm(x) };
  });

describe("Newton–Schulz sqrtm against the eigendecomposition's sqrtm", () => {
  // Eigenvalues spanning a condition number of 100 (n = 6): far from converged at 5 steps, converged by 20.
  const lam = [0.05, 0.3, 1, 2, 3.5, 5];
  const tr = lam.reduce((a, b) => a + b, 0);
  for (const iters of [1, 5, 9, 13, 20]) {
    const promised = Math.sqrt(lam.reduce((a, l) => a + l * (1 - scale(l / tr, iters)) ** 2, 0) / tr);
    it(`${iters} steps: relative error ${promised.toExponential(2)}, as the scalar recurrence says`, () => {
      const x = ndarray([lam.length, lam.length], conjugateDiag(orthogonal(new Random(iters), lam.length), lam));
      const out = executeCPU(both(iters, lam.length).build(), new Map([["X", x]])).outputs;
      const [ns, eigh] = [out.get("ns")!.data, out.get("eigh")!.data];
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < ns.length; i++) {
        diff += (ns[i] - eigh[i]) ** 2;
        norm += eigh[i] ** 2;
      }
      const err = Math.sqrt(diff / norm);
      expect(Math.abs(err - promised)).toBeLessThanOrEqual(1e-12 + 1e-9 * promised);
    });
  }
});

describe("Newton–Schulz sqrtm: gradient through the unrolled iteration matches central differences", () => {
  for (const { iters, batch, n } of [
    { iters: 5, batch: [2], n: 4 },
    { iters: 12, batch: [], n: 6 },
  ]) {
    it(`${iters} steps, ${JSON.stringify([...batch, n, n])}`, () => {
      const m = model(`ns-grad-${iters}`, ({ input }) => {
        const y = linalg.sqrtm(input("X", [...batch, n, n], SPD), { method: "newton-schulz", iters });
        return { loss: ops.sum(ops.mul(y, input("W", [...batch, n, n], F64))) };
      });
      const r = new Random(iters);
      const feeds = new Map([
        ["X", symmetricWith(r, batch, [0.6, 1.3, 2.1, 3.0, 4.0, 5.1].slice(0, n))],
        ["W", randn(r, [...batch, n, n])],
      ]);
      expect(gradcheck(m.build(), feeds, { seed: 1 }).worst).toBeLessThanOrEqual(DEFAULT_TOL);
    });
  }
});
