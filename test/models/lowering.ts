/**
 * Small models that exercise the lowering's dependencies: the shapes of issue 9's WebGPU bugs,
 * shared by the pass tests (test/codegen) and the WebGPU regression tests.
 */
import { linalg, model, ops, type Tensor } from "../../index.js";

/** y = X·W + A·B at n×n, and a loss on it: the + is X·W's epilogue and reads A·B. */
export const twoProducts = (n: number) =>
  model(`two-products-${n}`, ({ input }) => {
    const [X, W, A, B, T] = ["X", "W", "A", "B", "T"].map((k) => input(k, [n, n]));
    const y = ops.add(ops.matmul(X, W), ops.matmul(A, B));
    return { y, loss: ops.sum(ops.mul(y, T)) };
  });

/** loss = Σ (F·Fᵀ) ∘ P with F [n, 3] and P general: a self-product, fused while n fits one tile. */
export const selfProduct = (n: number) =>
  model(`self-product-${n}`, ({ input }) => {
    const F = input("F", [n, 3]);
    const P = input("P", [n, n]);
    return { loss: ops.sum(ops.mul(ops.matmul(F, ops.transpose(F)), P)) };
  });

/** The Procrustes (polar) factor U·Vh of A's thin SVD against a target. */
export const procrustes = (m: number, n: number) =>
  model(`procrustes-${m}x${n}`, ({ input }) => {
    const A = input("A", [m, n]);
    const T = input("T", [m, n]);
    const [U, , Vh] = linalg.svd(A);
    return { loss: ops.sum(ops.mul(ops.matmul(U, Vh), T)) };
  });

/** The normalized-cuts layer of docs/design.md on `n` pixels: W = F·Fᵀ, Z = D^{-1/2} F, J = ½‖Π_W − Π_Y‖². */
export const ncutsLayer = (n: number) =>
  model(`ncuts-${n}`, ({ input }) => {
    const F = input("F", [n, 3]);
    const PiY = input("PiY", [n, n]);
    const W = ops.matmul(F, ops.transpose(F));
    const degrees = ops.sum(W, { axis: 1 }) as Tensor;
    const Z = ops.mul(ops.reshape(ops.pow(degrees, -0.5), [n, 1]), F);
    const diff = ops.sub(linalg.rangeProjector(Z as Tensor) as Tensor, PiY as Tensor);
    return { loss: ops.mul(ops.sum(ops.mul(diff, diff)), 0.5) };
  });

/** loss = Σ ((x₀ + x₁)·1.5 + x₂)·1.5 + … over `n` [3, 3] inputs: one expression reading them all. */
export const manyInputs = (n: number) =>
  model(`many-inputs-${n}`, ({ input }) => {
    const xs: Tensor[] = Array.from({ length: n }, (_, i) => input(`x${i}`, [3, 3]));
    return { loss: ops.sum(xs.reduce((a, b) => ops.mul(ops.add(a, b), 1.5) as Tensor)) };
  });
