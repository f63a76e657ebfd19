/**
 * Issue 12's linalg ops. Inputs have separated eigen/singular
 * values where a decomposition's conventions could otherwise flip under a 1e-5 perturbation, and
 * both determinant signs.
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";
import { F64, randn, spd, SPD, SYM, symmetric, symmetricWith, withSingularValues, wellConditioned, type GradCase, type GradTable } from "./types.js";

/** n well-separated values 3.1, 2.8, …, descending and all ≥ 0.7 for n ≤ 9. */
const separated = (n: number) => Array.from({ length: n }, (_, i) => 3.1 - 0.3 * i);

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

/** A square matrix with singular values s and a random orthogonal factor of determinant −1 or +1. */
function negatedFirstRow(x: ReturnType<typeof wellConditioned>): typeof x {
  const n = x.shape[x.shape.length - 1];
  for (let o = 0; o < x.data.length; o += n * n) for (let j = 0; j < n; j++) x.data[o + j] = -x.data[o + j];
  return x;
}

function matrixCase(op: string, shape: number[], out: number[], build: (a: Tensor) => Tensor, sample: GradCase["inputs"], extra = ""): GradCase {
  return {
    name: `${op}: ${JSON.stringify(shape)}${extra}`,
    model: model(`${op}-${shape.join("x")}${extra.replace(/\W+/g, "-")}`, ({ input }) => ({ loss: dot(build(input("A", shape, F64) as Tensor), input("W", out, F64)) })),
    inputs: sample,
  };
}

export const LINALG_FUNCTION_GRAD_CASES: GradTable = {
  eigvalsh: [[], [2]].map((batch) => ({
    name: `eigvalsh: ${JSON.stringify([...batch, 4, 4])}`,
    model: model(`eigvalsh-${batch.length}`, ({ input }) => ({ loss: dot(linalg.eigvalsh(input("X", [...batch, 4, 4], SYM)) as Tensor, input("a", [...batch, 4], F64)) })),
    inputs: (r) => ({ X: symmetric(r, 4, batch), a: randn(r, [...batch, 4]) }),
  })),
  det: [
    matrixCase("det", [3, 3], [], (a) => linalg.det(a as never) as Tensor, (r) => ({ A: wellConditioned(r, 3), W: randn(r, []) }), ", det > 0"),
    matrixCase("det", [3, 3], [], (a) => linalg.det(a as never) as Tensor, (r) => ({ A: negatedFirstRow(wellConditioned(r, 3)), W: randn(r, []) }), ", det < 0"),
    matrixCase("det", [2, 9, 9], [2], (a) => linalg.det(a as never) as Tensor, (r) => ({ A: negatedFirstRow(wellConditioned(r, 9, [2])), W: randn(r, [2]) }), ", batched, past a tile of 8"),
  ],
  slogdet: [
    matrixCase("slogdet", [3, 3], [], (a) => linalg.slogdet(a as never)[1] as Tensor, (r) => ({ A: negatedFirstRow(wellConditioned(r, 3)), W: randn(r, []) }), ", det < 0, loss on log|det|"),
    matrixCase("slogdet", [2, 9, 9], [2], (a) => ops.add(ops.mul(linalg.slogdet(a as never)[0] as Tensor, 3) as never, linalg.slogdet(a as never)[1] as never) as Tensor, (r) => ({ A: negatedFirstRow(wellConditioned(r, 9, [2])), W: randn(r, [2]) }), ", batched, past a tile of 8, loss on sign and log|det|"),
  ],
  norm: [
    matrixCase("norm", [4, 3], [], (a) => linalg.norm(a, { ord: "fro" }) as Tensor, (r) => ({ A: randn(r, [4, 3]), W: randn(r, []) }), ", fro"),
    matrixCase("norm", [2, 3, 4], [2], (a) => linalg.norm(a, { ord: "nuc" }) as Tensor, (r) => ({ A: withSingularValues(r, [2], 3, 4, [3.1, 2, 1.2]), W: randn(r, [2]) }), ", nuc"),
    matrixCase("norm", [4, 3], [], (a) => linalg.norm(a, { ord: 2 }) as Tensor, (r) => ({ A: withSingularValues(r, [], 4, 3, [3.1, 2, 1.2]), W: randn(r, []) }), ", 2"),
    matrixCase("norm", [3, 5], [3], (a) => linalg.norm(a, { axis: -1 }) as Tensor, (r) => ({ A: randn(r, [3, 5]), W: randn(r, [3]) }), ", vectors along the last axis"),
  ],
  qr: [
    { shape: [5, 3], use: "both" },
    { shape: [10, 9], use: "both" },
    { shape: [2, 4, 3], use: "Q" },
    { shape: [4, 3], use: "R" },
  ].map(({ shape, use }) => {
    const [m, n] = shape.slice(-2);
    const batch = shape.slice(0, -2);
    return {
      name: `qr: ${JSON.stringify(shape)}, loss through ${use === "both" ? "Q and R" : use}`,
      model: model(`qr-${shape.join("x")}-${use}`, ({ input }) => {
        const [Q, R] = linalg.qr(input("A", shape, F64) as Tensor);
        const terms: Tensor[] = [];
        if (use !== "R") terms.push(dot(Q as Tensor, input("P", [...batch, m, n], F64)));
        if (use !== "Q") terms.push(dot(R as Tensor, input("S", [...batch, n, n], F64)));
        return { loss: terms.reduce((acc, t) => ops.add(acc as never, t as never) as Tensor) };
      }),
      inputs: (r) => ({ A: withSingularValues(r, batch, m, n, separated(n)), P: randn(r, [...batch, m, n]), S: randn(r, [...batch, n, n]) }),
    } satisfies GradCase;
  }),
  pinv: [[4, 3], [3, 5], [3, 3], [2, 4, 3]].map((shape) => {
    const [m, n] = shape.slice(-2);
    const batch = shape.slice(0, -2);
    return matrixCase("pinv", shape, [...batch, n, m], (a) => linalg.pinv(a) as Tensor, (r) => ({ A: withSingularValues(r, batch, m, n, [3.1, 2.0, 1.2].slice(0, Math.min(m, n))), W: randn(r, [...batch, n, m]) }));
  }),
  polar: [[3, 3], [5, 3], [3, 5], [2, 9, 9]].map((shape) => {
    const [m, n] = shape.slice(-2);
    const batch = shape.slice(0, -2);
    return matrixCase("polar", shape, shape, (a) => linalg.polar(a) as Tensor, (r) => ({ A: withSingularValues(r, batch, m, n, separated(Math.min(m, n))), W: randn(r, shape) }));
  }),
  powm: [0.5, -0.5, 1.7, 0.25].map((p, i) => {
    const [batch, n] = i === 3 ? [[2], 9] : [[], 4];
    return {
      name: `powm: p = ${p}, ${JSON.stringify([...batch, n, n])}`,
      model: model(`powm-${i}`, ({ input }) => ({ loss: dot(linalg.powm(input("X", [...batch, n, n], SPD), p) as Tensor, input("W", [...batch, n, n], F64)) })),
      inputs: (r) => ({ X: n === 4 ? spd(r, 4, batch) : symmetricWith(r, batch, separated(n).reverse()), W: randn(r, [...batch, n, n]) }),
    };
  }),
  // WebGPU compiles every kernel of the unrolled iteration (each step's fused operands differ), so the
  // table keeps to 1 and 2 steps; 5 and 12 are checked on the CPU in test/adjoint/newton-schulz.test.ts.
  sqrtmNewtonSchulz: [
    { iters: 1, batch: [], n: 4 },
    { iters: 2, batch: [2], n: 9 },
  ].map(({ iters, batch, n }) => ({
    name: `sqrtm newton-schulz: ${iters} iterations, ${JSON.stringify([...batch, n, n])}`,
    model: model(`ns-${iters}-${n}`, ({ input }) => ({ loss: dot(linalg.sqrtm(input("X", [...batch, n, n], SPD), { method: "newton-schulz", iters }) as Tensor, input("W", [...batch, n, n], F64)) })),
    inputs: (r) => ({ X: symmetricWith(r, batch, separated(n).reverse()), W: randn(r, [...batch, n, n]) }),
  })),
};
