/**
 * Models for test/adjoint/repeated-eigenvalues.test.ts: losses ⟨W, f(X)⟩ through the spectral ops
 * and the same functions written by hand through eigh. The test finds the eigh and
 * topEigenProjector calls' lines in this file to check where errors point, so each such call sits
 * on a line of its own.
 */
import { linalg, model, ops, type Tensor } from "../../../index.js";

const F64 = { dtype: "f64" } as const;
const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

export type SpectralOp = "logm" | "sqrtm" | "expm";

/** ⟨W, f(X)⟩ for f = logm, sqrtm or expm (X declared SPD). */
export function spectralLoss(op: SpectralOp, n: number) {
  return model(`ties-${op}`, ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "spd" });
    return { loss: dot(linalg[op](X), input("W", [n, n], F64)) };
  });
}

/** ⟨W, P_k(X)⟩, P_k the projector onto the top-k eigenspace. */
export function projectorLoss(n: number, k: number) {
  return model("ties-projector", ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "symmetric" });
    const P = linalg.topEigenProjector(X, k);
    return { loss: dot(P, input("W", [n, n], F64)) };
  });
}

export type Elementwise = "log" | "sqrt" | "exp";
export type Spelling = "U·diagm(g(w))·Uᵀ" | "U·(diagm(g(w))·Uᵀ)" | "(U ∘ g(w))·Uᵀ";

/** ⟨W, U diag(g(w)) Uᵀ⟩ with [w, U] = eigh(X), written out by hand in one of the spellings the rewrite knows. */
export function handWritten(g: Elementwise, spelling: Spelling, n: number) {
  return model(`ties-hand-${g}`, ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "spd" });
    const [w, U] = linalg.eigh(X);
    const v = ops[g](w);
    const Y =
      spelling === "U·diagm(g(w))·Uᵀ"
        ? ops.matmul(ops.matmul(U, ops.diagm(v)), ops.transpose(U))
        : spelling === "U·(diagm(g(w))·Uᵀ)"
          ? ops.matmul(U, ops.matmul(ops.diagm(v), ops.transpose(U)))
          : ops.matmul(ops.mul(U, v), ops.transpose(U));
    return { loss: dot(Y as Tensor, input("W", [n, n], F64)) };
  });
}

/** U·diag(log w)·Vᵀ with V from the eigendecomposition of another matrix: not a spectral function. */
export function twoBases(n: number) {
  return model("ties-two-bases", ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "spd" });
    const X2 = input("X2", [n, n], { dtype: "f64", structure: "spd" });
    const [w, U] = linalg.eigh(X);
    const [, V] = linalg.eigh(X2);
    const Y = ops.matmul(ops.matmul(U, ops.diagm(ops.log(w))), ops.transpose(V));
    return { loss: dot(Y as Tensor, input("W", [n, n], F64)) };
  });
}

/** U·diag(p ∘ log w)·Uᵀ with p a param: g involves more than w, so the rewrite must not fire. */
export function paramInG(n: number) {
  return model("ties-param-g", ({ input, param }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "spd" });
    const p = param("p", [n], { dtype: "f64", init: "ones" });
    const [w, U] = linalg.eigh(X);
    const Y = ops.matmul(ops.matmul(U, ops.diagm(ops.mul(p, ops.log(w)))), ops.transpose(U));
    return { loss: dot(Y as Tensor, input("W", [n, n], F64)) };
  });
}

/** A loss on the eigenvectors themselves: ⟨B, U⟩ + ⟨a, w⟩. */
export function eigenvectorLoss(n: number) {
  return model("ties-eigenvectors", ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "symmetric" });
    const [w, U] = linalg.eigh(X);
    return { loss: ops.add(dot(U, input("B", [n, n], F64)), dot(w, input("a", [n], F64))) };
  });
}

/** ⟨W, X^p⟩ through powm (X declared SPD). */
export function powmLoss(p: number, n: number) {
  return model(`ties-powm`, ({ input }) => {
    const X = input("X", [n, n], { dtype: "f64", structure: "spd" });
    return { loss: dot(linalg.powm(X, p), input("W", [n, n], F64)) };
  });
}
