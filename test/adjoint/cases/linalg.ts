/**
 * Matrix ops, each unbatched and batched ("every matrix op maps over leading batch dims"): inv,
 * solve (matrix and vector right-hand sides, broadcast batches), cholesky, eigh, thin SVD in all
 * three shapes, cov. Inputs have separated eigen/singular values so the decompositions are smooth
 * and the kernels' sign conventions cannot flip under a 1e-5 perturbation.
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";
import { F64, randn, spd, SPD, SYM, symmetric, withSingularValues, wellConditioned, type GradCase, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

function solveCase(name: string, a: number[], b: number[], out: number[]): GradCase {
  return {
    name: `solve: ${name} A ${JSON.stringify(a)}, B ${JSON.stringify(b)}`,
    model: model(`solve-${a.join("x")}-${b.join("x")}`, ({ input }) => {
      const y = linalg.solve(input("A", a, F64) as Tensor, input("B", b, F64) as Tensor) as Tensor;
      return { loss: dot(y, input("W", out, F64)) };
    }),
    inputs: (r) => ({ A: wellConditioned(r, a[a.length - 1], a.slice(0, -2)), B: randn(r, b), W: randn(r, out) }),
  };
}

function eighCase(batch: number[], n: number, use: "both" | "w" | "U"): GradCase {
  const shape = [...batch, n, n];
  return {
    name: `eigh: ${JSON.stringify(shape)}, loss through ${use === "both" ? "w and U" : use}`,
    model: model(`eigh-${shape.join("x")}-${use}`, ({ input }) => {
      const [w, U] = linalg.eigh(input("X", shape, SYM));
      const terms: Tensor[] = [];
      if (use !== "U") terms.push(dot(w, input("a", [...batch, n], F64)));
      if (use !== "w") terms.push(dot(U, input("B", shape, F64)));
      return { loss: terms.length === 2 ? ops.add(terms[0] as never, terms[1] as never) : terms[0] };
    }),
    inputs: (r) => ({ X: symmetric(r, n, batch), a: randn(r, [...batch, n]), B: randn(r, shape) }),
  };
}

function svdCase(batch: number[], m: number, n: number, use: "all" | "S" | "U" | "Vh"): GradCase {
  const k = Math.min(m, n);
  const shape = [...batch, m, n];
  return {
    name: `svd: ${JSON.stringify(shape)} (${m > n ? "m > n" : m < n ? "m < n" : "square"}), loss through ${use === "all" ? "U, S and Vh" : use}`,
    model: model(`svd-${shape.join("x")}-${use}`, ({ input }) => {
      const [U, S, Vh] = linalg.svd(input("A", shape, F64) as Tensor);
      const terms: Tensor[] = [];
      if (use === "all" || use === "U") terms.push(dot(U as Tensor, input("P", [...batch, m, k], F64)));
      if (use === "all" || use === "S") terms.push(dot(S as Tensor, input("s", [...batch, k], F64)));
      if (use === "all" || use === "Vh") terms.push(dot(Vh as Tensor, input("Q", [...batch, k, n], F64)));
      return { loss: terms.reduce((acc, t) => ops.add(acc as never, t as never) as Tensor) };
    }),
    inputs: (r) => ({
      A: withSingularValues(r, batch, m, n, [3.1, 2.0, 1.2, 0.7].slice(0, k)),
      P: randn(r, [...batch, m, k]),
      s: randn(r, [...batch, k]),
      Q: randn(r, [...batch, k, n]),
    }),
  };
}

export const LINALG_GRAD_CASES: GradTable = {
  inv: [3, 4].map((n, i) => {
    const shape = i ? [2, n, n] : [n, n];
    return {
      name: `inv: ${JSON.stringify(shape)}`,
      model: model(`inv-${shape.join("x")}`, ({ input }) => ({ loss: dot(linalg.inv(input("X", shape, F64) as Tensor), input("W", shape, F64)) })),
      inputs: (r) => ({ X: wellConditioned(r, n, shape.slice(0, -2)), W: randn(r, shape) }),
    } satisfies GradCase;
  }),
  solve: [
    solveCase("matrix right-hand side", [3, 3], [3, 2], [3, 2]),
    solveCase("vector right-hand side", [3, 3], [3], [3]),
    solveCase("batched,", [2, 3, 3], [2, 3, 2], [2, 3, 2]),
    solveCase("batched A, one B broadcast:", [2, 3, 3], [3, 2], [2, 3, 2]),
    solveCase("one A, batched B broadcast:", [3, 3], [2, 3, 2], [2, 3, 2]),
    solveCase("batched A, vector b:", [2, 3, 3], [3], [2, 3]),
  ],
  cholesky: [[], [2]].map((batch) => {
    const shape = [...batch, 4, 4];
    return {
      name: `cholesky: ${JSON.stringify(shape)} (W on the whole matrix, upper triangle included)`,
      model: model(`cholesky-${shape.join("x")}`, ({ input }) => ({ loss: dot(linalg.cholesky(input("X", shape, SPD)) as Tensor, input("W", shape, F64)) })),
      inputs: (r) => ({ X: spd(r, 4, batch), W: randn(r, shape) }),
    } satisfies GradCase;
  }),
  eigh: [eighCase([], 4, "both"), eighCase([], 4, "w"), eighCase([], 4, "U"), eighCase([2], 3, "both")],
  svd: [
    svdCase([], 4, 3, "all"),
    svdCase([], 3, 4, "all"),
    svdCase([], 3, 3, "all"),
    svdCase([], 4, 3, "S"),
    svdCase([], 4, 3, "U"),
    svdCase([], 3, 4, "Vh"),
    svdCase([2], 4, 3, "all"),
    svdCase([2], 2, 4, "all"),
  ],
  cov: [[], [2]].map((batch) => ({
    name: `cov: F ${JSON.stringify([...batch, 6, 3])}, eps = 1e-3`,
    model: model(`cov-${batch.length}`, ({ input }) => ({ loss: dot(linalg.cov(input("F", [...batch, 6, 3], F64), { eps: 1e-3 }) as Tensor, input("W", [...batch, 3, 3], F64)) })),
    inputs: (r) => ({ F: randn(r, [...batch, 6, 3]), W: randn(r, [...batch, 3, 3]) }),
  })),
};
