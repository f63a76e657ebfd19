/**
 * Type-level mirror of the IR's shape and structure rules, so `tsc` rejects a bad model before it
 * runs: a matmul whose inner dims differ (literal or named), `logm` of a value not typed SPD, `eigh`
 * of one not typed symmetric. Dims are literal numbers or named symbols ("B"); a dim TypeScript
 * only knows as `number`/`string` is accepted and checked when the graph is built.
 *
 * Structure inference that depends on *which* values are combined (AᵀA is symmetric) uses a
 * phantom key: a structural description of the expression that produced a tensor (`T(X)` for the
 * transpose of input X). Two tensors with the same key are the same value, because the DSL is pure.
 */
import type { DType, Structure } from "../../ir/types.js";

export type { DType, Structure };
export type Dim = number | string;
export type Shape = readonly Dim[];
/** Structures that imply symmetry (the IR's `isSymmetric`). */
export type Symmetric = "symmetric" | "spd" | "diagonal" | "projector";
export type Spd = "spd";

declare const keyBrand: unique symbol;

/** A symbolic tensor in a model under construction. */
export interface Tensor<S extends Shape = Shape, St extends Structure = Structure, K extends string = string> {
  readonly shape: S;
  readonly structure: St;
  readonly dtype: DType;
  /** Phantom: the structural key of the expression (type level only). */
  readonly [keyBrand]?: K;
}

export type Operand = Tensor | number;

// ---- dims -------------------------------------------------------------------------------------

type IsWide<D> = number extends D ? true : string extends D ? true : false;
/** Can two dims be equal? Unknown (wide) dims are given the benefit of the doubt. */
export type DimsAgree<A, B> = IsWide<A> extends true ? true : IsWide<B> extends true ? true : [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type Last<S extends Shape> = S extends readonly [...Shape, infer L extends Dim] ? L : Dim;
export type SecondLast<S extends Shape> = S extends readonly [...Shape, infer R extends Dim, Dim] ? R : Dim;
export type BatchOf<S extends Shape> = S extends readonly [...infer B extends Dim[], Dim, Dim] ? B : Dim[];
export type SwapLast<S extends Shape> = S extends readonly [...infer B extends Dim[], infer R extends Dim, infer C extends Dim] ? [...B, C, R] : Dim[];
type IsTuple<S extends Shape> = number extends S["length"] ? false : true;

type BroadcastDim<A extends Dim, B extends Dim> = A extends 1 ? B : B extends 1 ? A : IsWide<A> extends true ? B : A;
/** NumPy broadcasting of two shapes (unknown when either is not a tuple). */
export type Broadcast<A extends Shape, B extends Shape> = IsTuple<A> extends false
  ? Dim[]
  : IsTuple<B> extends false
    ? Dim[]
    : A extends readonly []
      ? [...B]
      : B extends readonly []
        ? [...A]
        : A extends readonly [...infer AR extends Dim[], infer a extends Dim]
          ? B extends readonly [...infer BR extends Dim[], infer b extends Dim]
            ? [...Broadcast<AR, BR>, BroadcastDim<a, b>]
            : Dim[]
          : Dim[];

type BroadcastOk<A extends Shape, B extends Shape> = IsTuple<A> extends false
  ? true
  : IsTuple<B> extends false
    ? true
    : A extends readonly [...infer AR extends Dim[], infer a extends Dim]
      ? B extends readonly [...infer BR extends Dim[], infer b extends Dim]
        ? a extends 1 ? BroadcastOk<AR, BR> : b extends 1 ? BroadcastOk<AR, BR> : DimsAgree<a, b> extends true ? BroadcastOk<AR, BR> : false
        : true
      : true;

export type ShapeOf<O> = O extends number ? [] : O extends Tensor<infer S> ? S : Shape;
export type StructureOf<O> = O extends number ? "scalar" : O extends Tensor<Shape, infer St> ? St : Structure;
export type KeyOf<O> = O extends number ? string : O extends Tensor<Shape, Structure, infer K> ? K : string;

/** Intersected into a parameter type: `unknown` when fine, an object naming the problem when not. */
export type BroadcastCheck<A extends Operand, B extends Operand> = BroadcastOk<ShapeOf<A>, ShapeOf<B>> extends true
  ? unknown
  : { "error: shapes do not broadcast": [ShapeOf<A>, ShapeOf<B>] };

// ---- matmul ------------------------------------------------------------------------------------

type InnerA<A extends Shape> = A extends readonly [infer k extends Dim] ? k : Last<A>;
type InnerB<B extends Shape> = B extends readonly [infer k extends Dim] ? k : SecondLast<B>;

export type MatmulCheck<A extends Shape, B extends Shape> = DimsAgree<InnerA<A>, InnerB<B>> extends true
  ? unknown
  : { "error: matmul inner dims differ": [InnerA<A>, InnerB<B>] };

export type MatmulShape<A extends Shape, B extends Shape> = A extends readonly [Dim]
  ? B extends readonly [Dim]
    ? []
    : [...BatchOf<B>, Last<B>]
  : B extends readonly [Dim]
    ? [...BatchOf<A>, SecondLast<A>]
    : IsTuple<A> extends false
      ? Dim[]
      : IsTuple<B> extends false
        ? Dim[]
        : [...Broadcast<BatchOf<A>, BatchOf<B>>, SecondLast<A>, Last<B>];

type Known<K extends string> = string extends K ? false : true;
type Same<X extends string, Y extends string> = Known<X> extends true ? (Known<Y> extends true ? ([X] extends [Y] ? ([Y] extends [X] ? true : false) : false) : false) : false;

/**
 * Structure of a product from its operands' keys: AᵀA and AAᵀ, U·S·Uᵀ (S symmetric) are symmetric;
 * a product of orthogonal matrices is orthogonal.
 */
export type MatmulStructure<KA extends string, KB extends string, SA extends Structure, SB extends Structure> =
  KA extends `T(${infer X})` ? (Same<X, KB> extends true ? "symmetric" : MatmulStructure2<KA, KB, SA, SB>) : MatmulStructure2<KA, KB, SA, SB>;
type MatmulStructure2<KA extends string, KB extends string, SA extends Structure, SB extends Structure> =
  KB extends `T(${infer X})`
    ? Same<X, KA> extends true
      ? "symmetric"
      : KA extends `${infer U}·S`
        ? Same<U, X> extends true ? "symmetric" : Orthogonal<SA, SB>
        : Orthogonal<SA, SB>
    : KB extends `S·T(${infer X})`
      ? Same<X, KA> extends true ? "symmetric" : Orthogonal<SA, SB>
      : Orthogonal<SA, SB>;
type Orthogonal<SA extends Structure, SB extends Structure> = [SA, SB] extends ["orthogonal", "orthogonal"] ? "orthogonal" : "general";

/** Key of a product: remembers `U·S` and `S·Uᵀ` (S symmetric) so that U·S·Uᵀ can be recognised. */
export type MatmulKey<KA extends string, KB extends string, SB extends Structure, SA extends Structure> = Known<KA> extends true
  ? Known<KB> extends true
    ? SB extends Symmetric
      ? `${KA}·S`
      : SA extends Symmetric
        ? KB extends `T(${string})` ? `S·${KB}` : `mm(${KA},${KB})`
        : `mm(${KA},${KB})`
    : string
  : string;

export type TransposeKey<K extends string> = Known<K> extends true ? (K extends `T(${infer X})` ? X : `T(${K})`) : string;

// ---- elementwise structure ---------------------------------------------------------------------

type SymOrScalar<S> = S extends Symmetric | "scalar" ? true : false;
export type UnaryStructure<St extends Structure> = St extends Symmetric ? "symmetric" : "general";
type Pair<SA, SB> = SymOrScalar<SA> extends true ? (SymOrScalar<SB> extends true ? ([SA, SB] extends ["scalar", "scalar"] ? "general" : "symmetric") : "general") : "general";
export type AddStructure<SA, SB> = [SA, SB] extends ["spd", "spd"] ? "spd" : [SA, SB] extends ["diagonal", "diagonal"] ? "diagonal" : Pair<SA, SB>;
export type SubStructure<SA, SB> = [SA, SB] extends ["diagonal", "diagonal"] ? "diagonal" : Pair<SA, SB>;
export type MulStructure<SA, SB> = [SA, SB] extends ["spd", "spd"] ? "spd" : SA extends "diagonal" ? (SymOrScalar<SB> extends true ? "diagonal" : "general") : SB extends "diagonal" ? (SA extends Symmetric ? "diagonal" : "general") : Pair<SA, SB>;
export type DivStructure<SA, SB> = [SA, SB] extends ["diagonal", "scalar"] ? "diagonal" : Pair<SA, SB>;

/** Key of an elementwise expression, so that e.g. relu(X W) keeps an identity for AᵀA checks. */
export type BinaryKey<Op extends string, A extends Operand, B extends Operand> = Known<KeyOf<A>> extends true
  ? Known<KeyOf<B>> extends true
    ? `${Op}(${KeyOf<A>},${KeyOf<B>})`
    : string
  : string;
export type UnaryKey<Op extends string, K extends string> = Known<K> extends true ? `${Op}(${K})` : string;

/** Replace -1 (inferred) in a reshape target by an unknown size. */
export type ReshapeShape<S extends Shape> = { -readonly [I in keyof S]: S[I] extends -1 ? number : S[I] };
