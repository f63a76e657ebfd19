/**
 * The normalized-cuts layer (docs/design.md "The two structured layers", our formulation): features
 * F [n, d], affinity A = F Fᵀ, degrees A·1, Z = D^{-1/2} F, Π_W = Z (ZᵀZ)⁻¹ Zᵀ, and the loss
 * J = ½ ‖Π_W − Π_Y‖_F² against a ground-truth segmentation projector Π_Y (a general input: the
 * gradient check perturbs it, and a perturbed projector is no longer one).
 *
 * `ncutsGaussian` is the other choice the design names: a Gaussian affinity
 * A_ij = exp(−‖f_i − f_j‖²/s²), and the top-k eigenprojector of D^{-1/2} A D^{-1/2} (rule 3).
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";

const F64 = { dtype: "f64" } as const;
const N = 6;

function projectorLoss(P: Tensor, PiY: Tensor): Tensor {
  return ops.mul(ops.sum(ops.pow(ops.sub(P as never, PiY as never) as Tensor, 2)), 0.5) as Tensor;
}

export const ncuts = model("ncuts", ({ input }) => {
  const F = input("F", [N, 2], F64);
  const PiY = input("PiY", [N, N], F64);
  const A = ops.matmul(F, ops.transpose(F));
  const degrees = ops.sum(A, { axis: 1 }) as Tensor;
  const Z = ops.mul(ops.reshape(ops.pow(degrees, -0.5), [N, 1]), F);
  return { loss: projectorLoss(linalg.rangeProjector(Z as Tensor), PiY) };
});

export const ncutsGaussian = model("ncuts-gaussian", ({ input }) => {
  const F = input("F", [N, 2], F64);
  const PiY = input("PiY", [N, N], F64);
  const sq = ops.sum(ops.mul(F, F), { axis: 1 }) as Tensor;
  const dist = ops.sub(ops.add(ops.reshape(sq, [N, 1]), ops.reshape(sq, [1, N])), ops.mul(ops.matmul(F, ops.transpose(F)), 2));
  const A = ops.exp(ops.mul(dist as Tensor, -0.5));
  const dinv = ops.pow(ops.sum(A, { axis: 1 }) as Tensor, -0.5);
  const normalised = ops.mul(ops.mul(ops.reshape(dinv, [N, 1]), A), ops.reshape(dinv, [1, N]));
  return { loss: projectorLoss(linalg.topEigenProjector(ops.assume(normalised as Tensor, "symmetric"), 2), PiY) };
});
