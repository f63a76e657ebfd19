/**
 * Valid models the rewrites once made undifferentiable or weakened (each found by the random-program
 * sweep or a user report), gradient-checked end to end: the gradient pipeline must accept every
 * model the builder accepts, and a rewrite may never make a value's type weaker.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, nn, ops, type Model, type Tensor } from "../../index.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { Random } from "../../numeric/random.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { F64, randn, spd, SPD, SYM, symmetric } from "./cases/types.js";

const t = (x: unknown) => x as Tensor;
const any = (x: unknown) => x as never;

interface Regression {
  readonly name: string;
  readonly model: Model;
  readonly inputs: (r: Random) => Record<string, NDArray>;
}

const REGRESSIONS: Regression[] = [
  {
    // broadcast-scalar-reshape folded reshape(c [1, 1], [1]) into broadcastTo(c, [3]): MP2003.
    name: "broadcast-scalar-reshape: sum(x [3], axis 0) times W [2, 2]",
    model: model("sum-axis-times-matrix", ({ input }) => {
      const x = input("x", [3], F64);
      const W = input("W", [2, 2], F64);
      const s = ops.sum(x, { axis: 0 });
      return { loss: ops.sum(ops.mul(any(s), any(W))) };
    }),
    inputs: (r) => ({ x: randn(r, [3]), W: randn(r, [2, 2]) }),
  },
  {
    name: "broadcast-scalar-reshape: mean(p [9], keepdims) as a matmul operand",
    model: model("mean-keepdims-matmul", ({ input }) => {
      const p = input("p", [9], F64);
      const W = input("W", [1, 3], F64);
      return { loss: ops.sum(ops.matmul(any(ops.mean(p, { keepdims: true })), any(W))) };
    }),
    inputs: (r) => ({ p: randn(r, [9]), W: randn(r, [1, 3]) }),
  },
  {
    // add-self rewrote S + S (SPD) to 2·S, which the type rules only knew as symmetric: the
    // backward graph's copy of cholesky refused it (MP2002).
    name: "add-self: cholesky(S + S) keeps S + S SPD",
    model: model("cholesky-of-doubled-spd", ({ input }) => {
      const S = input("S", [3, 3], SPD);
      return { loss: ops.sum(ops.mul(linalg.cholesky(ops.add(S, S)), input("W", [3, 3], F64))) };
    }),
    inputs: (r) => ({ S: spd(r, 3), W: randn(r, [3, 3]) }),
  },
  {
    // transpose-symmetric folded Sᵀ to S, and S·S was no longer known symmetric: eigh refused it (MP2002).
    name: "transpose-symmetric: eigh(S·Sᵀ) for a symmetric S",
    model: model("eigh-of-s-st", ({ input }) => {
      const S = input("S", [3, 3], SYM);
      const [w] = linalg.eigh(t(ops.matmul(S, ops.transpose(S))) as never);
      return { loss: ops.sum(ops.mul(any(w), any(input("v", [3], F64)))) };
    }),
    inputs: (r) => ({ S: symmetric(r, 3), v: randn(r, [3]) }),
  },
  {
    // A 1×1 symmetric matrix times a scalar was typed general: expm refused it when the graph was built.
    name: "1×1 symmetric times a scalar stays symmetric: expm(0.2·(x + xᵀ)), x [1, 1]",
    model: model("expm-1x1", ({ input }) => {
      const x = input("x", [1, 1], F64);
      const s = ops.assume(ops.add(x, ops.transpose(x)), "symmetric");
      return { loss: ops.sum(linalg.expm(ops.mul(s, 0.2))) };
    }),
    inputs: (r) => ({ x: randn(r, [1, 1]) }),
  },
  {
    // div-of-scaled folded (x·c₁)/c₂ into x·(c₁/c₂) with the constant in x's dtype (f32): the f64
    // division of the cross-entropy's backward came out f32 (found by the fuzz campaign).
    name: "div-of-scaled: an f64 loss over an f32 cross-entropy keeps the backward in f64",
    model: model("f64-loss-f32-ce", ({ input }) => {
      const z = input("z", [3, 4]);
      const y = input("y", [3], { dtype: "i32" });
      const w = input("w", [2], F64);
      return { loss: ops.add(nn.softmaxCrossEntropy(z, y), ops.sum(w)) };
    }),
    inputs: (r) => ({ z: randn(r, [3, 4]), y: ndarray([3], [0, 3, 1]), w: randn(r, [2]) }),
  },
];

describe("models the rewrites once broke", () => {
  it.each(REGRESSIONS.map((c, i) => [c.name, c, i] as const))("%s", (_, c, i) => {
    const forward = c.model.build();
    const feeds = new Map(Object.entries(c.inputs(new Random(500 + i))));
    const r = gradcheck(forward, feeds, { seed: 1 });
    for (const input of r.inputs) expect(input.relError, input.name).toBeLessThanOrEqual(1e-7);
    // No value is known less about after the rewrites (the engine checks this on every rewrite).
    expect(() => differentiate(forward)).not.toThrow();
  });
});
