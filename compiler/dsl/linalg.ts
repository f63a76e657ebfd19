/**
 * `linalg`: decompositions, matrix functions and the projectors of the normalized-cuts layer.
 * Structure demands are static types: `logm` takes only SPD-typed tensors, `eigh` symmetric ones.
 */
import { emit, emit1 } from "./builder.js";
import type { BatchOf, Broadcast, Dim, Known, Last, NeedsSpd, NeedsSymmetric, SecondLast, Shape, Structure, Tensor } from "./types.js";

type Matrix<S extends Shape> = [...BatchOf<S>, Last<S>, Last<S>];
type DerivedKey<Op extends string, K extends string> = Known<K> extends true ? `${Op}(${K})` : string;

/** Symmetric eigendecomposition X = U diag(w) Uᵀ with w ascending (numpy.linalg.eigh). */
export function eigh<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K> & NeedsSymmetric<"eigh", St>): [w: Tensor<[...BatchOf<S>, Last<S>], "general", DerivedKey<"w", K>>, U: Tensor<Matrix<S>, "orthogonal", DerivedKey<"U", K>>] {
  const [w, U] = emit("eigh", [x]);
  return [w, U] as never;
}

/** Numbers of at most three digits, where counting up (`CountMin`) stays within tsc's recursion limit. */
type Small<D> = D extends number ? (number extends D ? false : `${D}` extends `${number}${number}${number}${number}` ? false : `${D}` extends `${bigint}` ? true : false) : false;
type CountMin<M extends number, N extends number, C extends unknown[] = []> = C["length"] extends M ? M : C["length"] extends N ? N : CountMin<M, N, [...C, unknown]>;
/** min(M, N): the dim itself when both agree, computed for small literal sizes, otherwise unknown. */
type Min<M extends Dim, N extends Dim> = [M] extends [N] ? M : [Small<M>, Small<N>] extends [true, true] ? CountMin<M & number, N & number> : Dim;
/** Thin SVD A = U diag(S) Vh with S descending (numpy.linalg.svd(full_matrices=False)). */
export function svd<S extends Shape>(a: Tensor<S>): [U: Tensor<[...BatchOf<S>, SecondLast<S>, Min<SecondLast<S>, Last<S>>]>, S: Tensor<[...BatchOf<S>, Min<SecondLast<S>, Last<S>>]>, Vh: Tensor<[...BatchOf<S>, Min<SecondLast<S>, Last<S>>, Last<S>]>] {
  const [U, s, Vh] = emit("svd", [a]);
  return [U, s, Vh] as never;
}

type InvStructure<St extends Structure> = St extends "spd" | "symmetric" | "diagonal" | "orthogonal" ? St : "general";
/** Matrix inverse; a singular matrix is a run-time error. */
export function inv<S extends Shape, St extends Structure>(x: Tensor<S, St>): Tensor<S, InvStructure<St>> {
  return emit1("inv", [x]);
}

/** X with A X = B (numpy.linalg.solve; B [..., n, k] or a vector [n]). */
export function solve<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B>): Tensor<B extends readonly [Dim] ? [...BatchOf<A>, Last<A>] : Shape extends B ? Dim[] : [...Broadcast<BatchOf<A>, BatchOf<B>>, SecondLast<B>, Last<B>]> {
  return emit1("solve", [a, b]);
}

/** Lower-triangular L with L Lᵀ = X. */
export function cholesky<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSpd<"cholesky", St>): Tensor<S> {
  return emit1("cholesky", [x]);
}

/** Matrix logarithm of an SPD matrix. */
export function logm<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSpd<"logm", St>): Tensor<S, "symmetric"> {
  return emit1("logm", [x]);
}
/** How `sqrtm` computes: the eigendecomposition (default), or `iters` Newton–Schulz steps (iSQRT-COV). */
export type SqrtmOptions =
  | {
      /** By the eigendecomposition (the default): exact to f64 round-off, gradient by Daleckii–Krein. */
      method?: "eigh";
    }
  | {
      /** By the coupled Newton–Schulz iteration (matrix products only). */
      method: "newton-schulz";
      /** Iteration count ≥ 1; the relative error on eigenvalue λ is 1 − u_iters(√(λ/tr X)) (docs/matrix-functions.md). */
      iters: number;
    };
/**
 * Principal square root of an SPD matrix: by eigendecomposition, or with
 * `{ method: "newton-schulz", iters }` by the coupled Newton–Schulz iteration after trace
 * normalisation (matrix products only; relative error 1 − u_iters(√(λ/tr X)) on each eigenvalue λ,
 * see docs/matrix-functions.md), differentiated through the unrolled iteration.
 */
export function sqrtm<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSpd<"sqrtm", St>, opts?: SqrtmOptions): Tensor<S, "spd"> {
  if (opts?.method === "newton-schulz") return emit1("sqrtmNewtonSchulz", [x], { iters: opts.iters });
  return emit1("sqrtm", [x]);
}
/** Matrix exponential of a symmetric matrix. */
export function expm<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSymmetric<"expm", St>): Tensor<S, "spd"> {
  return emit1("expm", [x]);
}

type Eps<O> = O extends { eps: infer E extends number } ? E : 0;
/** As the IR: SPD for eps > 0, symmetric for eps = 0; an eps known only as `number` is taken as > 0 (the build checks it). */
type CovStructure<O> = Eps<O> extends 0 ? "symmetric" : "spd";
type CovCheck<O> = `${Eps<O>}` extends `-${string}` ? { "error: cov eps must be >= 0": Eps<O> } : unknown;

/** FᵀF/n + eps·I over the last two dims (n = rows of F): SPD for eps > 0. */
export function cov<
  S extends Shape,
  const O extends {
    /** Added to the diagonal; > 0 makes the result SPD. Default 0. */
    eps?: number;
  } = {},
>(f: Tensor<S>, opts?: O & CovCheck<O>): Tensor<[...BatchOf<S>, Last<S>, Last<S>], CovStructure<O>> {
  return emit1("cov", [f], { eps: opts?.eps ?? 0 });
}

/** U_k U_kᵀ: the projector onto the eigenvectors of the k largest eigenvalues of symmetric X. */
export function topEigenProjector<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSymmetric<"topEigenProjector", St>, k: number): Tensor<S, "projector"> {
  return emit1("topEigenProjector", [x], { k });
}

/** Z (ZᵀZ)⁻¹ Zᵀ: the orthogonal projector onto the column space of a full-column-rank Z. */
export function rangeProjector<S extends Shape>(z: Tensor<S>): Tensor<[...BatchOf<S>, SecondLast<S>, SecondLast<S>], "projector"> {
  return emit1("rangeProjector", [z]);
}

// ---- eigenvalues, determinants, norms, factorisations, matrix powers ---------------------------

type Batch<S extends Shape> = BatchOf<S>;

/** Eigenvalues of a symmetric matrix, ascending (numpy.linalg.eigvalsh). */
export function eigvalsh<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSymmetric<"eigvalsh", St>): Tensor<[...Batch<S>, Last<S>]> {
  return emit1("eigvalsh", [x]);
}

/** Square matrices' last two dims must agree. */
type SquareCheck<S extends Shape, Op extends string> = [SecondLast<S>] extends [Last<S>] ? unknown : Dim extends SecondLast<S> ? unknown : { [P in `error: ${Op} needs a square matrix`]: [SecondLast<S>, Last<S>] };

/** Determinant (LU with partial pivoting): [..., n, n] → [...]. */
export function det<S extends Shape>(x: Tensor<S> & SquareCheck<S, "det">): Tensor<Batch<S>> {
  return emit1("det", [x]);
}

/** [sign, log|det|] (numpy.linalg.slogdet); a singular matrix is a run-time error. */
export function slogdet<S extends Shape>(x: Tensor<S> & SquareCheck<S, "slogdet">): [sign: Tensor<Batch<S>>, logabsdet: Tensor<Batch<S>>] {
  const [s, l] = emit("slogdet", [x]);
  return [s, l] as never;
}

type NormShape<S extends Shape, O> = O extends { axis: -1 } ? (S extends readonly [...infer B extends Dim[], Dim] ? B : Dim[]) : S extends readonly [Dim] ? [] : Batch<S>;
/**
 * numpy.linalg.norm: of a vector (1-D, or the last dim with `axis: -1`) the Euclidean norm; of a
 * matrix (the last two dims, batched) `ord` "fro" (default), "nuc" (Σσ) or 2 (σ_max).
 */
export function norm<
  S extends Shape,
  const O extends {
    /** Matrix norm: "fro" (default), "nuc" (sum of singular values) or 2 (the largest); a vector norm is 2. */
    ord?: "fro" | "nuc" | 2;
    /** -1: the Euclidean norm of vectors along the last axis (a 1-D x is a vector anyway). */
    axis?: -1;
  } = {},
>(x: Tensor<S>, opts?: O): Tensor<NormShape<S, O>> {
  const vector = opts?.axis === -1 || x.shape.length === 1;
  const ord = opts?.ord ?? (vector ? 2 : "fro");
  return emit1("norm", [x], { ord: String(ord), vector });
}

/** Reduced QR with R's diagonal ≥ 0: Q [..., m, k], R [..., k, n], k = min(m, n). */
export function qr<S extends Shape>(a: Tensor<S>): [Q: Tensor<[...Batch<S>, SecondLast<S>, Min<SecondLast<S>, Last<S>>]>, R: Tensor<[...Batch<S>, Min<SecondLast<S>, Last<S>>, Last<S>]>] {
  const [q, r] = emit("qr", [a]);
  return [q, r] as never;
}

type PinvStructure<St extends Structure> = St extends "spd" | "symmetric" | "diagonal" ? St : "general";
/** Moore–Penrose pseudo-inverse (numpy.linalg.pinv): [..., m, n] → [..., n, m]. */
export function pinv<S extends Shape, St extends Structure>(a: Tensor<S, St>): Tensor<[...Batch<S>, Last<S>, SecondLast<S>], PinvStructure<St>> {
  return emit1("pinv", [a]);
}

/** The orthogonal polar factor U·Vh (A (AᵀA)^(−½) for tall A); gradient finite at repeated singular values. */
export function polar<S extends Shape>(a: Tensor<S>): Tensor<S, [SecondLast<S>] extends [Last<S>] ? "orthogonal" : "general"> {
  return emit1("polar", [a]);
}

/** X^p = U diag(λ^p) Uᵀ of an SPD matrix (MPN-COV's matrix power normalisation). */
export function powm<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSpd<"powm", St>, p: number): Tensor<S, "spd"> {
  return emit1("powm", [x], { p });
}
