/**
 * Spectral functions (Daleckii–Krein), the two normalized-cuts projectors, and spectralApply, the
 * target of the rewrite of a hand-written U·diag(g(w))·Uᵀ (reached only through that rewrite).
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";
import { F64, randn, spd, SPD, SYM, symmetric, symmetricWith, type GradCase, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

function spectralCases(op: "logm" | "sqrtm" | "expm"): GradCase[] {
  return [[[], 4], [[2], 3]].map(([batch, n]) => {
    const shape = [...(batch as number[]), n as number, n as number];
    return {
      name: `${op}: ${JSON.stringify(shape)}`,
      model: model(`${op}-${shape.join("x")}`, ({ input }) => {
        const y = op === "expm" ? linalg.expm(input("X", shape, SYM)) : linalg[op](input("X", shape, SPD));
        return { loss: dot(y as Tensor, input("W", shape, F64)) };
      }),
      inputs: (r) => ({ X: op === "expm" ? symmetric(r, n as number, batch as number[]) : spd(r, n as number, batch as number[]), W: randn(r, shape) }),
    };
  });
}

type G = "log" | "sqrt" | "exp" | "cube";
/** U·diag(g(w))·Uᵀ by hand, in the spelling `form`; the spectral rewrite turns it into spectralApply. */
function handSpectral(g: G, form: "diag-left" | "diag-right" | "scaled-columns", batch: number[], n: number): GradCase {
  const shape = [...batch, n, n];
  return {
    name: `spectralApply: U·diag(${g}(w))·Uᵀ written as ${form}, ${JSON.stringify(shape)}`,
    model: model(`hand-${g}-${form}-${shape.join("x")}`, ({ input }) => {
      const [w, U] = linalg.eigh(input("X", shape, g === "exp" || g === "cube" ? SYM : SPD));
      const v = (g === "cube" ? ops.add(ops.mul(ops.pow(w, 3), 0.5), w) : ops[g](w)) as Tensor;
      const Ut = ops.transpose(U);
      const y =
        form === "diag-left"
          ? ops.matmul(ops.matmul(U, ops.diagm(v) as never), Ut as never)
          : form === "diag-right"
            ? ops.matmul(U, ops.matmul(ops.diagm(v), Ut as never) as never)
            : ops.matmul(ops.mul(U, ops.reshape(v, [...batch, 1, n]) as never) as never, Ut as never);
      return { loss: dot(y as Tensor, input("W", shape, F64)) };
    }),
    inputs: (r) => ({ X: g === "exp" || g === "cube" ? symmetric(r, n, batch) : spd(r, n, batch), W: randn(r, shape) }),
  };
}

const LOGM = spectralCases("logm");
const SQRTM = spectralCases("sqrtm");
const EXPM = spectralCases("expm");

export const SPECTRAL_GRAD_CASES: GradTable = {
  logm: LOGM,
  sqrtm: SQRTM,
  expm: EXPM,
  // The canonical form logm/sqrtm/expm take in gradient graphs (compiler/passes/canonicalize.ts).
  spectralFn: [...LOGM, ...SQRTM, ...EXPM],
  topEigenProjector: [
    {
      name: "topEigenProjector: [5, 5], k = 2",
      model: model("top-2", ({ input }) => ({ loss: dot(linalg.topEigenProjector(input("X", [5, 5], SYM), 2), input("W", [5, 5], F64)) })),
      inputs: (r) => ({ X: symmetric(r, 5), W: randn(r, [5, 5]) }),
    },
    {
      name: "topEigenProjector: batch [2, 4, 4], k = 1",
      model: model("top-1-batch", ({ input }) => ({ loss: dot(linalg.topEigenProjector(input("X", [2, 4, 4], SYM), 1), input("W", [2, 4, 4], F64)) })),
      inputs: (r) => ({ X: symmetric(r, 4, [2]), W: randn(r, [2, 4, 4]) }),
    },
    {
      name: "topEigenProjector: k = n (the identity: zero gradient)",
      model: model("top-all", ({ input }) => ({ loss: dot(linalg.topEigenProjector(input("X", [3, 3], SYM), 3), input("W", [3, 3], F64)) })),
      // An exactly zero gradient of X: passes because gradcheck's errors are relative to the gradients' scale.
      inputs: (r) => ({ X: symmetricWith(r, [], [1, 2, 3]), W: randn(r, [3, 3]) }),
    },
  ],
  rangeProjector: [
    {
      name: "rangeProjector: Z [5, 2]",
      model: model("range-5x2", ({ input }) => ({ loss: dot(linalg.rangeProjector(input("Z", [5, 2], F64)), input("W", [5, 5], F64)) })),
      inputs: (r) => ({ Z: randn(r, [5, 2]), W: randn(r, [5, 5]) }),
    },
    {
      name: "rangeProjector: batch Z [2, 4, 3]",
      model: model("range-batch", ({ input }) => ({ loss: dot(linalg.rangeProjector(input("Z", [2, 4, 3], F64)), input("W", [2, 4, 4], F64)) })),
      inputs: (r) => ({ Z: randn(r, [2, 4, 3]), W: randn(r, [2, 4, 4]) }),
    },
  ],
  spectralApply: [
    handSpectral("log", "diag-left", [], 4),
    handSpectral("sqrt", "diag-right", [], 4),
    handSpectral("exp", "scaled-columns", [], 4),
    handSpectral("cube", "diag-left", [], 4),
    handSpectral("log", "diag-left", [2], 3),
    handSpectral("exp", "scaled-columns", [2], 3),
  ],
};
