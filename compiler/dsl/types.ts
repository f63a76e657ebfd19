/**
 * Type-level mirror of the IR's shape and structure rules, so `tsc` rejects a bad model before it
 * runs: a matmul whose inner dims differ (literal or named), `logm` of a value not typed SPD, `eigh`
 * of one not typed symmetric. Dims are literal numbers or named symbols ("B"); a dim TypeScript
 * only knows as `number`/`string` is accepted and checked when the graph is built.
 *
 * Structure inference that depends on *which* values are combined (AᵀA is symmetric) uses a
 * phantom key: a structural description of the expression that produced a tensor (`T(X)` for the
 * transpose of input X). Two tensors with the same key are the same value, because the DSL is pure.
 * Every key is a name, a number literal or `F(...)` with balanced parentheses, never `K` plus a
 * suffix: that keeps the prefix patterns below (`US(${X};…)`) from matching a different split of
 * the same string. A key that is not a literal, or that contains `?` (an unknown part), names no
 * value and is never equated with another.
 */
import type { DType, Structure } from "../../ir/types.js";

export type { DType, Structure };
/** A dim: a size, or a named symbol ("B") bound to a size by the inputs of a run. */
export type Dim = number | string;
/** Dims, outermost first; leading dims of a matrix are batch dims. */
export type Shape = readonly Dim[];
/** Structures that imply symmetry (the IR's `isSymmetric`). */
export type Symmetric = "symmetric" | "spd" | "diagonal" | "projector";
/** Symmetric positive definite. */
export type Spd = "spd";

declare const keyBrand: unique symbol;

/** A symbolic tensor in a model under construction. */
export interface Tensor<S extends Shape = Shape, St extends Structure = Structure, K extends string = string> {
  /** The shape (a tuple type when TypeScript knows the dims). */
  readonly shape: S;
  /** What is known of the matrix: "general", "symmetric", "spd", … */
  readonly structure: St;
  /** The element type. */
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
/** A number literal is its own key (`mul(H,2)`); a wide `number` has none. */
export type KeyOf<O> = O extends number ? (number extends O ? string : `${O}`) : O extends Tensor<Shape, Structure, infer K> ? K : string;

/** Intersected into a parameter type: `unknown` when fine, an object naming the problem when not. */
export type BroadcastCheck<A extends Operand, B extends Operand> = BroadcastOk<ShapeOf<A>, ShapeOf<B>> extends true
  ? unknown
  : { "error: shapes do not broadcast": [ShapeOf<A>, ShapeOf<B>] };

// ---- structure demands -------------------------------------------------------------------------

/** `unknown` when `St` is SPD; otherwise an object whose property names the op and the fix. */
export type NeedsSpd<Op extends string, St> = [St] extends [Spd]
  ? unknown
  : { [P in `error: ${Op} needs an SPD-typed matrix (build it with linalg.cov with eps > 0, or ops.assume(x, "spd"))`]: St };
/** `unknown` when `St` implies symmetry (symmetric, spd, diagonal, projector). */
export type NeedsSymmetric<Op extends string, St> = [St] extends [Symmetric]
  ? unknown
  : { [P in `error: ${Op} needs a symmetric-typed matrix (such as A^T A, U D U^T, or ops.assume(x, "symmetric"))`]: St };

// ---- matmul ------------------------------------------------------------------------------------

type InnerA<A extends Shape> = A extends readonly [infer k extends Dim] ? k : Last<A>;
type InnerB<B extends Shape> = B extends readonly [infer k extends Dim] ? k : SecondLast<B>;

export type MatmulCheck<A extends Shape, B extends Shape> = DimsAgree<InnerA<A>, InnerB<B>> extends true
  ? BroadcastOk<BatchOf<A>, BatchOf<B>> extends true
    ? unknown
    : { "error: matmul batch dims do not broadcast": [BatchOf<A>, BatchOf<B>] }
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

/**
 * Does `K` name one value? Not when it is wide or a pattern such as `I(${number})` (a record keyed
 * by either has no required property), nor when it has an unknown (`?`) part (a union of keys
 * counts as unknown when any member does).
 */
export type Known<K extends string> = {} extends Record<K, 1> ? false : (K extends `${string}?${string}` ? false : true) extends true ? true : false;
type Same<X extends string, Y extends string> = Known<X> extends true ? (Known<Y> extends true ? ([X] extends [Y] ? ([Y] extends [X] ? true : false) : false) : false) : false;

/**
 * Structure of a product, mirroring the IR (ir/ops/linalg.ts matmul, then ir/structure.ts): a
 * product of orthogonal (diagonal) matrices is orthogonal (diagonal); otherwise AᵀA, AAᵀ, U·D·Uᵀ,
 * U·(D·Uᵀ) (D symmetric) and (U ∘ v)·Uᵀ (v a row vector) are symmetric, recognised from keys.
 */
export type MatmulStructure<KA extends string, KB extends string, SA extends Structure, SB extends Structure> = [SA, SB] extends ["orthogonal", "orthogonal"]
  ? "orthogonal"
  : [SA, SB] extends ["diagonal", "diagonal"]
    ? "diagonal"
    : SymmetricProduct<KA, KB> extends true
      ? "symmetric"
      : "general";
type SymmetricProduct<KA extends string, KB extends string> = KA extends `T(${infer X})`
  ? Same<X, KB>
  : KB extends `T(${infer X})`
    ? Same<X, KA> extends true
      ? true
      : Known<X> extends true
        ? KA extends `US(${X};${string})` | `USc(${X};${string})` ? true : false
        : false
    : Known<KA> extends true
      ? KB extends `SUt(${string};${KA})` ? true : false
      : false;

/**
 * Key of a product. `US(U;D)` is U·D and `SUt(D;U)` is D·Uᵀ for a symmetric D; D may be unknown
 * (`?`): such a key still shows the U·D·Uᵀ pattern but names no value.
 */
export type MatmulKey<KA extends string, KB extends string, SB extends Structure, SA extends Structure> = [SB] extends [Symmetric]
  ? Known<KA> extends true
    ? `US(${KA};${OrUnknown<KB>})`
    : string
  : [SA] extends [Symmetric]
    ? KB extends `T(${infer X})`
      ? Known<X> extends true
        ? `SUt(${OrUnknown<KA>};${X})`
        : string
      : Pair2<"mm", KA, KB>
    : Pair2<"mm", KA, KB>;
type OrUnknown<K extends string> = Known<K> extends true ? K : "?";
type Pair2<Op extends string, KA extends string, KB extends string> = Known<KA> extends true ? (Known<KB> extends true ? `${Op}(${KA},${KB})` : string) : string;

/** `T(K)`; a double transpose is not simplified, as the IR does not (it matches transpose nodes). */
export type TransposeKey<K extends string> = Known<K> extends true ? `T(${K})` : string;

// ---- elementwise structure ---------------------------------------------------------------------

type SymOrScalar<S> = S extends Symmetric | "scalar" ? true : false;
export type UnaryStructure<St extends Structure> = St extends Symmetric ? "symmetric" : "general";
type Pair<SA, SB> = SymOrScalar<SA> extends true ? (SymOrScalar<SB> extends true ? ([SA, SB] extends ["scalar", "scalar"] ? "general" : "symmetric") : "general") : "general";
export type AddStructure<SA, SB> = [SA, SB] extends ["spd", "spd"] ? "spd" : [SA, SB] extends ["diagonal", "diagonal"] ? "diagonal" : Pair<SA, SB>;
export type SubStructure<SA, SB> = [SA, SB] extends ["diagonal", "diagonal"] ? "diagonal" : Pair<SA, SB>;
export type MulStructure<SA, SB> = [SA, SB] extends ["spd", "spd"] ? "spd" : SA extends "diagonal" ? (SymOrScalar<SB> extends true ? "diagonal" : "general") : SB extends "diagonal" ? (SA extends Symmetric ? "diagonal" : "general") : Pair<SA, SB>;
export type DivStructure<SA, SB> = [SA, SB] extends ["diagonal", "scalar"] ? "diagonal" : Pair<SA, SB>;

/** Key of an elementwise expression, so that e.g. relu(X W) keeps an identity for AᵀA checks. */
export type BinaryKey<Op extends string, A extends Operand, B extends Operand> = Pair2<Op, KeyOf<A>, KeyOf<B>>;
type IsRowVector<S extends Shape> = S extends readonly [Dim] ? true : S extends readonly [...Dim[], 1, Dim] ? true : false;
/** Key of `a ∘ b`: `USc(U;v)` when one operand is a row vector v scaling the columns of U (as the IR's refineStructure). */
export type MulKey<A extends Operand, B extends Operand> = A extends number
  ? BinaryKey<"mul", A, B>
  : B extends number
    ? BinaryKey<"mul", A, B>
    : IsRowVector<ShapeOf<B>> extends true
      ? IsRowVector<ShapeOf<A>> extends true ? BinaryKey<"mul", A, B> : ScaledKey<KeyOf<A>, KeyOf<B>>
      : IsRowVector<ShapeOf<A>> extends true ? ScaledKey<KeyOf<B>, KeyOf<A>> : BinaryKey<"mul", A, B>;
type ScaledKey<KU extends string, KV extends string> = Known<KU> extends true ? `USc(${KU};${OrUnknown<KV>})` : string;
export type UnaryKey<Op extends string, K extends string> = Known<K> extends true ? `${Op}(${K})` : string;

// ---- reductions ----------------------------------------------------------------------------------

type Negative<N extends number> = `-${N}` extends `${infer X extends number}` ? X : never;
/** Is the dim at index `I` (with `Rest` dims after it) one of the axes `Ax` (negative counts from the end)? */
type IsAxis<I extends number, Rest extends readonly unknown[], Ax extends number> = I extends Ax ? true : Negative<[...Rest, 1]["length"]> extends Ax ? true : false;
type DropAxes<S extends Shape, Ax extends number, Keep extends boolean, Pre extends unknown[] = []> = S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
  ? [...(IsAxis<Pre["length"], R, Ax> extends true ? (Keep extends true ? [1] : []) : [H]), ...DropAxes<R, Ax, Keep, [...Pre, 1]>]
  : [];
type Ones<S extends Shape> = { -readonly [I in keyof S]: 1 };
/** The axes an `axis` option names, as a union of literals (`number` when not known). */
type AxesOf<A> = A extends number ? A : A extends readonly (infer X extends number)[] ? X : number;
/**
 * The shape of a reduction of `S` over `axis` `A` (undefined: all axes) with `keepdims` `Keep`, as
 * the IR's reducedShape; `Dim[]` when the shape or the axes are not literal.
 */
export type ReduceShape<S extends Shape, A, Keep> = IsTuple<S> extends false
  ? Dim[]
  : boolean extends Keep
    ? Dim[]
    : [A] extends [undefined]
      ? Keep extends true ? Ones<S> : []
      : number extends AxesOf<A>
        ? Dim[]
        : DropAxes<S, AxesOf<A>, Keep extends true ? true : false>;
/** `axis` and `keepdims` of a reduction's options object. */
export type ReduceAxis<O> = O extends { axis: infer A } ? A : undefined;
export type ReduceKeep<O> = O extends { keepdims: infer K extends boolean } ? K : false;

// ---- joining and indexing along an axis ------------------------------------------------------------

/** Dims of `S` before axis `Ax` (negative counts from the end). */
export type Before<S extends Shape, Ax extends number, Pre extends unknown[] = []> = S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
  ? IsAxis<Pre["length"], R, Ax> extends true ? [] : [H, ...Before<R, Ax, [...Pre, 1]>]
  : [];
/** Dims of `S` after axis `Ax`. */
export type After<S extends Shape, Ax extends number, Pre extends unknown[] = []> = S extends readonly [Dim, ...infer R extends Dim[]]
  ? IsAxis<Pre["length"], R, Ax> extends true ? R : After<R, Ax, [...Pre, 1]>
  : [];
/** `S` with the dim at axis `Ax` replaced by `D` (`Dim[]` when the shape or axis is not literal). */
export type WithAxis<S extends Shape, Ax, D extends Dim> = IsTuple<S> extends false ? Dim[] : Ax extends number ? (number extends Ax ? Dim[] : [...Before<S, Ax>, D, ...After<S, Ax>]) : Dim[];

/** Do `A` and `B` have the same rank and agreeing dims everywhere but axis `Ax`? */
type AgreeOutside<A extends Shape, B extends Shape, Ax extends number, Pre extends unknown[] = []> = IsTuple<A> extends false
  ? true
  : IsTuple<B> extends false
    ? true
    : A extends readonly [infer a extends Dim, ...infer AR extends Dim[]]
      ? B extends readonly [infer b extends Dim, ...infer BR extends Dim[]]
        ? IsAxis<Pre["length"], AR, Ax> extends true ? AgreeOutside<AR, BR, Ax, [...Pre, 1]> : DimsAgree<a, b> extends true ? AgreeOutside<AR, BR, Ax, [...Pre, 1]> : false
        : false
      : B extends readonly [] ? true : false;
type ShapesOf<T extends readonly Tensor[]> = { [K in keyof T]: T[K] extends Tensor<infer S> ? S : Shape };
type AllAgree<First extends Shape, Rest extends readonly Shape[], Ax extends number> = Rest extends readonly [infer S extends Shape, ...infer R extends Shape[]]
  ? AgreeOutside<First, S, Ax> extends true ? AllAgree<First, R, Ax> : { "error: concatenate inputs differ outside the axis": [First, S] }
  : unknown;
/** `unknown` when tensors `T` can be joined along `Ax` (same rank, other dims agree); else the pair that differs. */
export type ConcatCheck<T extends readonly Tensor[], Ax> = number extends Ax
  ? unknown
  : Ax extends number
    ? ShapesOf<T> extends readonly [infer F extends Shape, ...infer R extends Shape[]] ? AllAgree<F, R, Ax> : unknown
    : unknown;
/** The first tensor's shape with the joined axis of unknown size. */
export type ConcatShape<T extends readonly Tensor[], Ax> = T extends readonly [Tensor<infer S>, ...Tensor[]] ? WithAxis<S, Ax, number> : Dim[];
/** x.shape[:axis] + indices.shape + x.shape[axis+1:] (indices.shape when the axis is not given: x flattened). */
export type TakeShape<S extends Shape, I extends Shape, Ax> = [Ax] extends [undefined]
  ? [...I]
  : IsTuple<S> extends false
    ? Dim[]
    : IsTuple<I> extends false
      ? Dim[]
      : Ax extends number ? (number extends Ax ? Dim[] : [...Before<S, Ax>, ...I, ...After<S, Ax>]) : Dim[];
/** Dims of `S` in the order `A` (non-negative literal axes), as numpy.transpose(x, axes). */
export type PermuteShape<S extends Shape, A extends readonly number[]> = IsTuple<S> extends false
  ? Dim[]
  : number extends A["length"]
    ? Dim[]
    : { -readonly [K in keyof A]: A[K] extends keyof S ? S[A[K]] : Dim };

// ---- einsum -------------------------------------------------------------------------------------------

type Split<S extends string, D extends string> = S extends `${infer H}${D}${infer R}` ? [H, ...Split<R, D>] : [S];
type EinsumInputs<Spec extends string> = Split<Spec extends `${infer L}->${string}` ? L : Spec, ",">;
/** `unknown` when `Spec` names as many operands as `T` has (or is not a literal); else an object naming both counts. */
export type EinsumCheck<Spec extends string, T extends readonly unknown[]> = string extends Spec
  ? unknown
  : EinsumInputs<Spec>["length"] extends T["length"]
    ? unknown
    : { [P in `error: einsum '${Spec}' has ${EinsumInputs<Spec>["length"]} operand subscripts`]: `${T["length"]} operands given` };

/** Replace -1 (inferred) in a reshape target by an unknown size. */
export type ReshapeShape<S extends Shape> = { -readonly [I in keyof S]: S[I] extends -1 ? number : S[I] };
