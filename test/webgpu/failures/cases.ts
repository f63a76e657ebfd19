/**
 * The failure classes a WebGPU kernel reports through the status buffer, one row each: a model, the
 * inputs that make it fail, and what the error must say. Shared by the WebGPU tests (the CLI
 * backend: MP5001 at the DSL line, as the CPU executor gives) and the bundle tests (MP7012 naming
 * the op and the line). `cpu: "same"` rows fail on the float64 CPU executor too, at the same node;
 * `cpu: "f32"` rows are failures only f32 has (a pivot or eigenvalue that is round-off in f32, a
 * solver stopped at a lowered sweep cap): the CPU computes them, WebGPU must stop rather than return
 * noise. Rows that fail in the forward pass name their output `y`, not `loss`: their bundles then
 * carry no training step (half the build).
 */
import { linalg, model, ops, type Model, type Tensor } from "../../../index.js";
import { ndarray, type NDArray } from "../../../numeric/ndarray.js";
import { Random } from "../../../numeric/random.js";
import { conjugateDiag, orthogonal, randn, symmetricWith, wellConditioned, withSingularValues } from "../../adjoint/cases/types.js";

export interface FailureCase {
  readonly name: string;
  readonly model: Model;
  readonly inputs: (r: Random) => Record<string, NDArray>;
  /** The op whose node fails (the error names it and its DSL line). */
  readonly op: string;
  /** What the message says. */
  readonly message: RegExp;
  readonly cpu: "same" | "f32";
  /** The graph that fails: the forward pass, or the training step (a failure in a gradient op). */
  readonly graph: "forward" | "train";
  /** A lowered Jacobi sweep cap (the solver then stops unconverged). */
  readonly maxSweeps?: number;
}

const sumDot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));
const vec = (...v: number[]) => ndarray([v.length], v);

/** Symmetric with eigenvalues `eigs` in a random basis. */
const withEigs = (r: Random, eigs: readonly number[], batch: readonly number[] = []) => symmetricWith(r, batch, eigs);
/** Exactly `eigs` (no jitter): for repeated eigenvalues. */
const exactEigs = (r: Random, eigs: readonly number[]) => ndarray([eigs.length, eigs.length], conjugateDiag(orthogonal(r, eigs.length), eigs));

function singular(r: Random, n: number): NDArray {
  const a = wellConditioned(r, n);
  for (let j = 0; j < n; j++) a.data[(n - 1) * n + j] = 2 * a.data[j] - a.data[n + j]; // last row = 2·row 0 − row 1
  return a;
}

const produced = (op: string, what: string) => new RegExp(`^${op} produced ${what} \\(output 0, flat index \\d+\\); an input is outside its domain`);

export const FAILURES: readonly FailureCase[] = [
  {
    name: "take with an index out of range (indices are data: the gather checks them)",
    model: model("take-range", ({ input }) => ({ y: ops.take(input("X", [4, 3]), input("i", [3], { dtype: "i32" }), { axis: 0 }) })),
    inputs: (r) => ({ X: randn(r, [4, 3]), i: vec(1, -5, 4) }),
    op: "take",
    // Index −5 of 4 rows is the first bad one: result row 1 starts at flat index 3.
    message: /take: an index is out of range for an axis of size 4 \(at flat index 3 of the result\)/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume spd of an indefinite matrix (issue 9, repro 4: it would flow into logm)",
    model: model("assume-spd-false", ({ input }) => {
      const C = ops.assume(input("X", [3, 3], { structure: "symmetric" }), "spd");
      return { y: sumDot(linalg.logm(C), input("V", [3, 3])) };
    }),
    inputs: (r) => ({ X: withEigs(r, [-1, 0.5, 2]), V: randn(r, [3, 3]) }),
    op: "assume",
    message: /^assume failed: not-spd: symmetric but not positive definite/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume spd of a batch of 9×9 matrices whose second is indefinite",
    model: model("assume-spd-batch", ({ input }) => ({ y: sumDot(ops.assume(input("X", [2, 9, 9], { structure: "symmetric" }), "spd"), input("V", [2, 9, 9])) })),
    inputs: (r) => {
      const eigs = [1, 2, 3, 4, 5, 6, 7, 8, 9];
      const X = withEigs(r, eigs, [2]);
      X.data.set(withEigs(r, [-0.3, ...eigs.slice(1)]).data, 81);
      return { X, V: randn(r, [2, 9, 9]) };
    },
    op: "assume",
    message: /^assume failed: not-spd: .*matrix 1 of the batch/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume symmetric of a general matrix",
    model: model("assume-sym-false", ({ input }) => ({ y: sumDot(linalg.expm(ops.assume(input("A", [4, 4]), "symmetric")), input("V", [4, 4])) })),
    inputs: (r) => ({ A: randn(r, [4, 4]), V: randn(r, [4, 4]) }),
    op: "assume",
    message: /^assume failed: not-symmetric: not symmetric/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume diagonal of a full symmetric matrix",
    model: model("assume-diag-false", ({ input }) => ({ y: sumDot(ops.assume(input("X", [3, 3], { structure: "symmetric" }), "diagonal"), input("V", [3, 3])) })),
    inputs: (r) => ({ X: withEigs(r, [1, 2, 3]), V: randn(r, [3, 3]) }),
    op: "assume",
    message: /^assume failed: not-symmetric: not diagonal/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume orthogonal of a general matrix",
    model: model("assume-orth-false", ({ input }) => ({ y: sumDot(ops.assume(input("Q", [3, 3]), "orthogonal"), input("V", [3, 3])) })),
    inputs: (r) => ({ Q: randn(r, [3, 3]), V: randn(r, [3, 3]) }),
    op: "assume",
    message: /^assume failed: domain: not orthogonal/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "assume projector of a symmetric matrix that is not idempotent",
    model: model("assume-proj-false", ({ input }) => ({ y: sumDot(ops.assume(input("P", [3, 3], { structure: "symmetric" }), "projector"), input("V", [3, 3])) })),
    inputs: (r) => ({ P: withEigs(r, [0, 0.5, 1]), V: randn(r, [3, 3]) }),
    op: "assume",
    message: /^assume failed: domain: not projector/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "solve with a singular matrix",
    model: model("solve-singular", ({ input }) => ({ y: ops.sum(linalg.solve(input("A", [4, 4]), input("B", [4, 2]))) })),
    inputs: (r) => ({ A: singular(r, 4), B: randn(r, [4, 2]) }),
    op: "solve",
    message: /^solve failed: singular: solve: matrix 0 of the batch is singular/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "inv of a singular 17×17 matrix",
    model: model("inv-singular", ({ input }) => ({ y: sumDot(linalg.inv(input("A", [17, 17])), input("V", [17, 17])) })),
    inputs: (r) => ({ A: singular(r, 17), V: randn(r, [17, 17]) }),
    op: "inv",
    message: /^inv failed: singular: inv: .* is singular/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "cholesky of cov(F, eps = 1e-9) of a rank-2 F: SPD in f64, singular within f32 round-off",
    model: model("cholesky-f32", ({ input }) => ({ y: sumDot(linalg.cholesky(linalg.cov(input("F", [2, 5]), { eps: 1e-9 })), input("V", [5, 5])) })),
    inputs: (r) => ({ F: randn(r, [2, 5]), V: randn(r, [5, 5]) }),
    op: "cholesky",
    message: /^cholesky failed: not-spd: cholesky: matrix 0 of the batch is not positive definite/,
    cpu: "f32",
    graph: "forward",
  },
  {
    name: "log of a negative number",
    model: model("log-negative", ({ input }) => ({ y: sumDot(ops.log(input("x", [6])), input("w", [6])) })),
    inputs: (r) => ({ x: vec(1, 2, 0.5, -0.25, 3, 4), w: randn(r, [6]) }),
    op: "log",
    message: produced("log", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "log(0) (SwiftShader gives −88 without the check)",
    model: model("log-zero", ({ input }) => ({ y: sumDot(ops.log(ops.mul(input("x", [2, 3]), 2)), input("w", [2, 3])) })),
    inputs: (r) => ({ x: ndarray([2, 3], [1, 2, 3, 4, 0, 6]), w: randn(r, [2, 3]) }),
    op: "log",
    message: produced("log", "-Infinity"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "sqrt of a negative number, fused into a matmul operand",
    model: model("sqrt-negative", ({ input }) => ({ y: ops.sum(ops.matmul(ops.sqrt(input("A", [9, 9])), input("B", [9, 9]))) })),
    inputs: (r) => {
      const A = ndarray([9, 9], Array.from({ length: 81 }, (_, i) => 1 + i));
      A.data[40] = -2;
      return { A, B: randn(r, [9, 9]) };
    },
    op: "sqrt",
    message: produced("sqrt", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "trace(log(X)) with a negative entry off the diagonal: every element is checked, not just those the trace reads",
    model: model("trace-log", ({ input }) => ({ y: ops.trace(ops.log(input("X", [3, 3]))) })),
    inputs: () => ({ X: ndarray([3, 3], [1, 2, 3, 4, 5, -6, 7, 8, 9]) }),
    op: "log",
    message: produced("log", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "pow of a negative base to a non-integer exponent, as a matmul epilogue",
    model: model("pow-negative", ({ input }) => ({ y: ops.sum(ops.pow(ops.matmul(input("A", [17, 3]), input("B", [3, 17])), 1.5)) })),
    inputs: (r) => ({ A: randn(r, [17, 3]), B: randn(r, [3, 17]) }),
    op: "pow",
    message: produced("pow", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "pow of zero to a negative exponent",
    model: model("pow-zero", ({ input }) => ({ y: sumDot(ops.pow(input("x", [4]), -2), input("w", [4])) })),
    inputs: (r) => ({ x: vec(1, 0, 2, 3), w: randn(r, [4]) }),
    op: "pow",
    message: produced("pow", "Infinity"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "division by zero, broadcast, in a reduction",
    model: model("div-zero", ({ input }) => ({ y: ops.sum(ops.div(input("a", [3, 4]), input("b", [4]))) })),
    inputs: (r) => ({ a: randn(r, [3, 4]), b: vec(1, 2, 0, 3) }),
    op: "div",
    message: /^div produced (±Infinity|-?Infinity) \(output 0, flat index 2\); an input is outside its domain/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "0/0",
    model: model("div-nan", ({ input }) => ({ y: ops.sum(ops.div(input("a", [3]), input("b", [3]))) })),
    inputs: () => ({ a: vec(1, 0, 2), b: vec(1, 0, 2) }),
    op: "div",
    message: produced("div", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "a division by zero in the backward pass: ∂sqrt(x)/∂x at x = 0",
    model: model("sqrt-grad-zero", ({ input }) => ({ loss: sumDot(ops.sqrt(input("x", [3])), input("w", [3])) })),
    inputs: (r) => ({ x: vec(1, 0, 4), w: randn(r, [3]) }),
    op: "div",
    message: /^div produced (±Infinity|-?Infinity|NaN) \(output 0, flat index 1\)/,
    cpu: "same",
    graph: "train",
  },
  {
    name: "hand-written U·diag(log w)·Uᵀ of an indefinite matrix: the log node",
    model: model("udut-log-negative", ({ input }) => {
      const [w, U] = linalg.eigh(input("X", [4, 4], { structure: "symmetric" }));
      return { y: sumDot(ops.matmul(ops.matmul(U, ops.diagm(ops.log(w))), ops.transpose(U)), input("V", [4, 4])) };
    }),
    inputs: (r) => ({ X: withEigs(r, [-1, 1, 2, 3]), V: randn(r, [4, 4]) }),
    op: "log",
    message: produced("log", "NaN"),
    cpu: "same",
    graph: "forward",
  },
  {
    name: "logm of cov(F, eps = 1e-9) of a rank-2 F: an eigenvalue that is round-off in f32",
    model: model("logm-f32", ({ input }) => ({ y: sumDot(linalg.logm(linalg.cov(input("F", [2, 4]), { eps: 1e-9 })), input("V", [4, 4])) })),
    inputs: (r) => ({ F: randn(r, [2, 4]), V: randn(r, [4, 4]) }),
    op: "logm",
    message: /^logm failed: domain: logm: eigenvalue not positive/,
    cpu: "f32",
    graph: "forward",
  },
  {
    name: "expm of a symmetric matrix with an eigenvalue of 100: exp overflows f32",
    model: model("expm-overflow", ({ input }) => ({ y: sumDot(linalg.expm(input("X", [3, 3], { structure: "symmetric" })), input("V", [3, 3])) })),
    inputs: (r) => ({ X: withEigs(r, [1, 2, 100]), V: randn(r, [3, 3]) }),
    op: "expm",
    message: /^expm failed: non-finite: expm: exp\(λ\) overflows f32/,
    cpu: "f32",
    graph: "forward",
  },
  {
    name: "the eigenvector gradient at a repeated eigenvalue",
    model: model("eigh-repeated", ({ input }) => {
      const [, U] = linalg.eigh(input("X", [4, 4], { structure: "symmetric" }));
      return { loss: sumDot(U, input("V", [4, 4])) };
    }),
    inputs: (r) => ({ X: exactEigs(r, [1, 2, 2, 3]), V: randn(r, [4, 4]) }),
    op: "eigGapInverse",
    message: /^eigGapInverse failed: domain: eigh: the gradient through the eigenvectors is undefined at repeated eigenvalues/,
    cpu: "same",
    graph: "train",
  },
  {
    name: "the topEigenProjector gradient with no gap at k",
    model: model("projector-no-gap", ({ input }) => ({ loss: sumDot(linalg.topEigenProjector(input("X", [5, 5], { structure: "symmetric" }), 2), input("V", [5, 5])) })),
    inputs: (r) => ({ X: exactEigs(r, [1, 2, 3, 3, 4]), V: randn(r, [5, 5]) }),
    op: "projectorGap",
    message: /^projectorGap failed: domain: topEigenProjector\(X, 2\): no gradient/,
    cpu: "same",
    graph: "train",
  },
  {
    name: "the singular-vector gradient at a repeated singular value",
    model: model("svd-repeated", ({ input }) => {
      const [U] = linalg.svd(input("A", [5, 3]));
      return { loss: sumDot(U, input("V", [5, 3])) };
    }),
    inputs: (r) => ({ A: withSingularValues(r, [], 5, 3, [2, 1, 1]), V: randn(r, [5, 3]) }),
    op: "svdGapInverse",
    message: /^svdGapInverse failed: domain: svd: the gradient through the singular vectors is undefined at repeated singular values/,
    cpu: "same",
    graph: "train",
  },
  {
    name: "rangeProjector of a rank-deficient Z",
    model: model("range-rank", ({ input }) => ({ y: sumDot(linalg.rangeProjector(input("Z", [6, 3])), input("V", [6, 6])) })),
    inputs: (r) => ({ Z: withSingularValues(r, [], 6, 3, [2, 1, 0]), V: randn(r, [6, 6]) }),
    op: "rangeProjector",
    message: /^rangeProjector failed: singular: rangeProjector: Z is rank deficient/,
    cpu: "same",
    graph: "forward",
  },
  {
    name: "eigh (through logm) stopped at a sweep cap of 1, batch of 2",
    model: model("eigh-capped", ({ input }) => ({ y: sumDot(linalg.logm(input("X", [2, 6, 6], { structure: "spd" })), input("V", [2, 6, 6])) })),
    inputs: (r) => ({ X: withEigs(r, [1, 2, 3, 4, 5, 6], [2]), V: randn(r, [2, 6, 6]) }),
    op: "logm",
    message: /^logm failed: no-convergence: eigh: the Jacobi solver did not converge in 1 sweeps \(matrix 0 of the batch\)/,
    cpu: "f32",
    graph: "forward",
    maxSweeps: 1,
  },
  {
    name: "svd stopped at a sweep cap of 1",
    model: model("svd-capped", ({ input }) => {
      const [, S] = linalg.svd(input("A", [7, 4]));
      return { y: sumDot(S, input("w", [4])) };
    }),
    inputs: (r) => ({ A: randn(r, [7, 4]), w: randn(r, [4]) }),
    op: "svd",
    message: /^svd failed: no-convergence: svd: the Jacobi solver did not converge in 1 sweeps/,
    cpu: "f32",
    graph: "forward",
    maxSweeps: 1,
  },
];

/** The inputs of a row, drawn from its own seeded generator. */
export function failureInputs(c: FailureCase): Map<string, NDArray> {
  return new Map(Object.entries(c.inputs(new Random(FAILURES.indexOf(c) + 1))));
}
