/** Gradient checks of ops.einsum: batched products, three operands, and subscripts summed away. */
import { model, ops, type Tensor } from "../../../index.js";
import { F64, randn, type GradTable } from "./types.js";

const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

export const EINSUM_GRAD_CASES: GradTable = {
  "dsl:einsum": [
    {
      name: "bij,bjk->bik and ij,jk,kl->il",
      model: model("einsum", ({ input }) => {
        const x = input("X", [2, 3, 4], F64);
        const y = input("Y", [2, 4, 2], F64);
        const m = input("M", [3, 4], F64);
        const a = dot(ops.einsum("bij,bjk->bik", x, y), input("W", [2, 3, 2], F64));
        const b = dot(ops.einsum("ij,jk,kl->il", m, input("N", [4, 2], F64), input("P", [2, 5], F64)), input("V", [3, 5], F64));
        return { loss: ops.add(a, b) };
      }),
      inputs: (r) => ({ X: randn(r, [2, 3, 4]), Y: randn(r, [2, 4, 2]), M: randn(r, [3, 4]), N: randn(r, [4, 2]), P: randn(r, [2, 5]), W: randn(r, [2, 3, 2]), V: randn(r, [3, 5]) }),
    },
    {
      name: "ijk,ik->j (i and k summed), ji->ij, and an outer product i,j->ij",
      model: model("einsum-sums", ({ input }) => {
        const t = input("T", [3, 4, 2], F64);
        const s = input("S", [3, 2], F64);
        const a = dot(ops.einsum("ijk,ik->j", t, s), input("w", [4], F64));
        const b = dot(ops.einsum("ji->ij", s), input("U", [2, 3], F64));
        const c = dot(ops.einsum("i,j->ij", input("p", [3], F64), input("q", [4], F64)), input("Z", [3, 4], F64));
        return { loss: ops.add(ops.add(a, b), c) };
      }),
      inputs: (r) => ({ T: randn(r, [3, 4, 2]), S: randn(r, [3, 2]), w: randn(r, [4]), U: randn(r, [2, 3]), p: randn(r, [3]), q: randn(r, [4]), Z: randn(r, [3, 4]) }),
    },
  ],
};
