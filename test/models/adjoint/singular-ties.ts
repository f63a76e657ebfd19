/**
 * Models for test/adjoint/repeated-singular-values.test.ts: ⟨W, polar(A)⟩, the same written by hand
 * as U·Vh through svd, and the nuclear and spectral norms. The test finds the svd call's line in this
 * file to check where its error points, so that call sits on a line of its own.
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";

const F64 = { dtype: "f64" } as const;
const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

export function polarLoss(m: number, n: number) {
  return model("ties-polar", ({ input }) => ({ loss: dot(linalg.polar(input("A", [m, n], F64)), input("W", [m, n], F64)) }));
}

/** The Procrustes factor U·Vh written through svd: its rule divides by σⱼ² − σᵢ². */
export function procrustesBySvd(m: number, n: number) {
  return model("ties-procrustes-svd", ({ input }) => {
    const A = input("A", [m, n], F64);
    const [U, , Vh] = linalg.svd(A);
    return { loss: dot(ops.matmul(U, Vh) as Tensor, input("W", [m, n], F64)) };
  });
}

export function normLoss(ord: "nuc" | 2, m: number, n: number) {
  return model(`ties-norm-${ord}`, ({ input }) => ({ loss: ops.mul(linalg.norm(input("A", [m, n], F64), { ord }), input("c", [], F64)) }));
}
