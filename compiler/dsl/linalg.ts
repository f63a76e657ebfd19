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

type Min<M extends Dim, N extends Dim> = [M] extends [N] ? M : Dim;
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
/** Principal square root of an SPD matrix. */
export function sqrtm<S extends Shape, St extends Structure>(x: Tensor<S, St> & NeedsSpd<"sqrtm", St>): Tensor<S, "spd"> {
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
