/**
 * Reductions, data movement, matmul and the ops only the Graph API reaches (sign, broadcastTo).
 * Reductions run over several axis choices with and without keepdims; matmul covers broadcast batch
 * dims and 1-D operands on either side.
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";
import { awayFromZero, F64, graphModel, randn, type GradCase, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

function reduceCases(op: "sum" | "mean"): GradCase[] {
  const variants: { axis?: number[]; keepdims?: boolean; out: number[] }[] = [
    { out: [] },
    { axis: [1], out: [2, 4] },
    { axis: [0, 2], out: [3] },
    { axis: [-1], keepdims: true, out: [2, 3, 1] },
    { axis: [0, 1], keepdims: true, out: [1, 1, 4] },
  ];
  return variants.map((v) => ({
    name: `${op}: [2, 3, 4] over ${v.axis ? `axis [${v.axis.join(", ")}]` : "all axes"}${v.keepdims ? ", keepdims" : ""}`,
    model: model(`${op}-${v.axis?.join("") ?? "all"}${v.keepdims ? "-k" : ""}`, ({ input }) => {
      const X = input("X", [2, 3, 4], F64);
      const y = ops[op](X, v.axis ? { axis: v.axis, keepdims: v.keepdims ?? false } : {}) as Tensor;
      return { loss: dot(y, input("W", v.out, F64)) };
    }),
    inputs: (r) => ({ X: randn(r, [2, 3, 4]), W: randn(r, v.out) }),
  }));
}

function matmulCase(name: string, a: number[], b: number[], out: number[]): GradCase {
  return {
    name: `matmul: ${name} ${JSON.stringify(a)} @ ${JSON.stringify(b)}`,
    model: model(`matmul-${a.join("x")}-${b.join("x")}`, ({ input }) => {
      const A = input("A", a, F64) as Tensor;
      const B = input("B", b, F64) as Tensor;
      const y = ops.matmul(A as never, B as never) as Tensor;
      return { loss: out.length ? dot(y, input("W", out, F64)) : ops.mul(y as never, 1.5) };
    }),
    inputs: (r) => ({ A: randn(r, a), B: randn(r, b), ...(out.length ? { W: randn(r, out) } : {}) }),
  };
}

/** A mean over a named batch dim: its backward divides by the dim's size, known only at run time (dimSize). */
const namedMean: GradCase = {
  name: "mean: over a named batch dim [B, 3] (B = 5 at run time)",
  model: model("mean-named", ({ input }) => {
    const X = input("X", ["B", 3], F64);
    return { loss: dot(ops.mean(X, { axis: 0 }) as Tensor, input("W", [3], F64)) };
  }),
  inputs: (r) => ({ X: randn(r, [5, 3]), W: randn(r, [3]) }),
};

export const MOVEMENT_GRAD_CASES: GradTable = {
  sum: reduceCases("sum"),
  mean: [...reduceCases("mean"), namedMean],
  matmul: [
    matmulCase("plain", [3, 4], [4, 2], [3, 2]),
    matmulCase("batched, B broadcast over A's batch", [2, 3, 4], [4, 2], [2, 3, 2]),
    matmulCase("broadcast batch dims on both sides", [2, 1, 3, 4], [3, 4, 2], [2, 3, 3, 2]),
    matmulCase("1-D left", [4], [2, 4, 3], [2, 3]),
    matmulCase("1-D right", [2, 3, 4], [4], [2, 3]),
    matmulCase("1-D both (inner product)", [4], [4], []),
  ],
  transpose: [
    {
      name: "transpose: batch [2, 3, 4] → [2, 4, 3]",
      model: model("transpose-batch", ({ input }) => ({ loss: dot(ops.transpose(input("X", [2, 3, 4], F64)), input("W", [2, 4, 3], F64)) })),
      inputs: (r) => ({ X: randn(r, [2, 3, 4]), W: randn(r, [2, 4, 3]) }),
    },
  ],
  reshape: [
    {
      name: "reshape: [2, 6] → [3, -1] → [3, 2, 2]",
      model: model("reshape", ({ input }) => {
        const y = ops.reshape(ops.reshape(input("X", [2, 6], F64), [3, -1]), [3, 2, 2]);
        return { loss: dot(y as Tensor, input("W", [3, 2, 2], F64)) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 6]), W: randn(r, [3, 2, 2]) }),
    },
  ],
  trace: [
    {
      name: "trace: batch [2, 3, 3] → [2]",
      model: model("trace-batch", ({ input }) => ({ loss: dot(ops.trace(input("X", [2, 3, 3], F64)) as Tensor, input("W", [2], F64)) })),
      inputs: (r) => ({ X: randn(r, [2, 3, 3]), W: randn(r, [2]) }),
    },
    {
      name: "trace: one matrix → scalar",
      model: model("trace-one", ({ input }) => ({ loss: ops.mul(ops.trace(input("X", [3, 3], F64)) as never, 2.5) as Tensor })),
      inputs: (r) => ({ X: randn(r, [3, 3]) }),
    },
  ],
  diag: [
    {
      name: "diag: batch [2, 3, 3] → [2, 3]",
      model: model("diag-batch", ({ input }) => ({ loss: dot(ops.diag(input("X", [2, 3, 3], F64)) as Tensor, input("W", [2, 3], F64)) })),
      inputs: (r) => ({ X: randn(r, [2, 3, 3]), W: randn(r, [2, 3]) }),
    },
  ],
  diagm: [
    {
      name: "diagm: batch [2, 3] → [2, 3, 3]",
      model: model("diagm-batch", ({ input }) => ({ loss: dot(ops.diagm(input("v", [2, 3], F64)) as Tensor, input("W", [2, 3, 3], F64)) })),
      inputs: (r) => ({ v: randn(r, [2, 3]), W: randn(r, [2, 3, 3]) }),
    },
  ],
  assume: [
    {
      name: "assume: AᵀA asserted SPD, then logm",
      model: model("assume-spd", ({ input }) => {
        const A = input("A", [5, 3], F64);
        const C = ops.assume(ops.matmul(ops.transpose(A), A), "spd");
        return { loss: dot(linalg.logm(C), input("V", [3, 3], F64)) };
      }),
      inputs: (r) => ({ A: randn(r, [5, 3]), V: randn(r, [3, 3]) }),
    },
  ],
  broadcastTo: [
    {
      name: "broadcastTo: [3] → [2, 4, 3] and [4, 1] → [2, 4, 3]",
      model: graphModel("broadcast-to", (b) => {
        const v = b.input("v", [3]);
        const c = b.input("c", [4, 1]);
        const y = b.op("mul", [b.op("broadcastTo", [v], { shape: [2, 4, 3] }), b.op("broadcastTo", [c], { shape: [2, 4, 3] })]);
        return { loss: b.dot(y) };
      }),
      inputs: (r) => ({ v: randn(r, [3]), c: randn(r, [4, 1]), W: randn(r, [2, 4, 3]) }),
    },
  ],
  sign: [
    {
      name: "sign: zero gradient, seen through sum(sign(X) ∘ X ∘ W) = ⟨|X|, W⟩",
      model: graphModel("sign", (b) => {
        const X = b.input("X", [3, 4]);
        return { loss: b.dot(b.op("mul", [b.op("sign", [X]), X])) };
      }),
      inputs: (r) => ({ X: awayFromZero(r, [3, 4]), W: randn(r, [3, 4]) }),
    },
  ],
};
