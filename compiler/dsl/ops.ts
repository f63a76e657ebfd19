/**
 * `ops`: elementwise math, reductions, matmul and data movement (NumPy/JAX names). Binary ops
 * broadcast like NumPy and accept plain numbers.
 */
import { normaliseAxes } from "../../ir/shape.js";
import { fail } from "../../ir/diagnostics.js";
import { emit1, type TensorHandle } from "./builder.js";
import { callerLocation } from "./location.js";
import type {
  AddStructure, BatchOf, Broadcast, ConcatCheck, ConcatShape, PermuteShape, TakeShape, WithAxis, BroadcastCheck, BinaryKey, DivStructure, Dim, KeyOf, Last, MatmulCheck, MatmulKey,
  MatmulShape, MatmulStructure, MulKey, MulStructure, Operand, ReduceAxis, ReduceKeep, ReduceShape, ReshapeShape, Shape, ShapeOf, Structure, StructureOf, SubStructure,
  SwapLast, Tensor, TransposeKey, UnaryKey, UnaryStructure,
} from "./types.js";

type BinaryResult<Op extends string, A extends Operand, B extends Operand, St extends Structure> = Tensor<Broadcast<ShapeOf<A>, ShapeOf<B>>, St, BinaryKey<Op, A, B>>;
type AsStructure<S> = S extends Structure ? S : "general";
/** maximum/minimum keep symmetry (as the IR's symmetricPair), nothing more: max(A, B) of SPD A, B need not be SPD. */
type SymmetricPart<S> = S extends "spd" | "diagonal" | "projector" ? "symmetric" : S;
type MinMaxStructure<SA, SB> = AsStructure<AddStructure<SymmetricPart<SA>, SymmetricPart<SB>>>;

/** a + b elementwise (NumPy broadcasting; either may be a plain number). */
export function add<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): BinaryResult<"add", A, B, AsStructure<AddStructure<StructureOf<A>, StructureOf<B>>>> {
  return emit1("add", [a, b]);
}
/** a − b elementwise (NumPy broadcasting; either may be a plain number). */
export function sub<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): BinaryResult<"sub", A, B, AsStructure<SubStructure<StructureOf<A>, StructureOf<B>>>> {
  return emit1("sub", [a, b]);
}
/** Elementwise (Hadamard) product. */
export function mul<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): Tensor<Broadcast<ShapeOf<A>, ShapeOf<B>>, AsStructure<MulStructure<StructureOf<A>, StructureOf<B>>>, MulKey<A, B>> {
  return emit1("mul", [a, b]);
}
/** a / b elementwise (NumPy broadcasting; either may be a plain number). */
export function div<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): BinaryResult<"div", A, B, AsStructure<DivStructure<StructureOf<A>, StructureOf<B>>>> {
  return emit1("div", [a, b]);
}
/** The larger of a and b elementwise (NumPy broadcasting; either may be a plain number). */
export function maximum<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): BinaryResult<"maximum", A, B, MinMaxStructure<StructureOf<A>, StructureOf<B>>> {
  return emit1("maximum", [a, b]);
}

/** The smaller of a and b elementwise (NumPy broadcasting; either may be a plain number). */
export function minimum<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): BinaryResult<"minimum", A, B, MinMaxStructure<StructureOf<A>, StructureOf<B>>> {
  return emit1("minimum", [a, b]);
}

type Compared<A extends Operand, B extends Operand> = Tensor<Broadcast<ShapeOf<A>, ShapeOf<B>>, "general">;
/** a > b elementwise (NumPy broadcasting; either may be a plain number): a bool tensor (1 or 0), no gradient. */
export function greater<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): Compared<A, B> {
  return emit1("greater", [a, b]);
}
/** a < b elementwise: a bool tensor, no gradient. */
export function less<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): Compared<A, B> {
  return emit1("less", [a, b]);
}
/** a == b elementwise (exact equality): a bool tensor, no gradient. */
export function equal<A extends Operand, B extends Operand>(a: A, b: B & BroadcastCheck<A, B>): Compared<A, B> {
  return emit1("equal", [a, b]);
}
/**
 * a where `cond` holds, else b (numpy.where): cond is a bool tensor (a comparison's result), and
 * all three broadcast together; a and b may be plain numbers (`where(c, 1, 0)` is a 0/1 mask). The
 * gradient goes to the chosen operand.
 */
export function where<C extends Tensor, A extends Operand, B extends Operand>(
  cond: C,
  a: A & BroadcastCheck<C, A>,
  b: B & BroadcastCheck<Tensor<Broadcast<ShapeOf<C>, ShapeOf<A>>>, B>,
): Tensor<Broadcast<Broadcast<ShapeOf<C>, ShapeOf<A>>, ShapeOf<B>>, "general"> {
  return emit1("where", [cond, a, b]);
}

type Unary<Op extends string, S extends Shape, St extends Structure, K extends string> = Tensor<S, UnaryStructure<St>, UnaryKey<Op, K>>;

/** −x elementwise. */
export function neg<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"neg", S, St, K> {
  return emit1("neg", [x]);
}
/** eˣ elementwise (for the matrix exponential see `linalg.expm`). */
export function exp<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"exp", S, St, K> {
  return emit1("exp", [x]);
}
/** Natural logarithm elementwise (for the matrix logarithm see `linalg.logm`). */
export function log<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"log", S, St, K> {
  return emit1("log", [x]);
}
/** Square root elementwise (for the matrix square root see `linalg.sqrtm`). */
export function sqrt<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"sqrt", S, St, K> {
  return emit1("sqrt", [x]);
}
/** |x| elementwise. */
export function abs<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"abs", S, St, K> {
  return emit1("abs", [x]);
}
/** Hyperbolic tangent elementwise. */
export function tanh<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Unary<"tanh", S, St, K> {
  return emit1("tanh", [x]);
}
/** x² elementwise (x ∘ x: the Hadamard square of an SPD matrix is SPD). */
export function square<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Tensor<S, AsStructure<MulStructure<St, St>>, MulKey<Tensor<S, St, K>, Tensor<S, St, K>>> {
  return mul(x, x as never) as never;
}
/**
 * x limited to [lo, hi] elementwise, as numpy.clip: minimum(maximum(x, lo), hi) (so hi wins where
 * lo > hi). Bounds are numbers or tensors that broadcast against x; at a bound the gradient is
 * split evenly between x and the bound, as maximum's and minimum's.
 */
export function clip<S extends Shape, St extends Structure, L extends Operand, H extends Operand>(
  x: Tensor<S, St>,
  lo: L & BroadcastCheck<Tensor<S>, L>,
  hi: H & BroadcastCheck<Tensor<Broadcast<S, ShapeOf<L>>>, H>,
): Tensor<Broadcast<Broadcast<S, ShapeOf<L>>, ShapeOf<H>>, [L, H] extends [number, number] ? UnaryStructure<St> : "general"> {
  return minimum(maximum(x, lo as never) as Tensor, hi as never) as never;
}
/** xᵖ elementwise, for a constant exponent p. */
export function pow<S extends Shape, St extends Structure>(x: Tensor<S, St>, p: number): Tensor<S, UnaryStructure<St>> {
  return emit1("pow", [x], { p });
}

/** Options of `sum`, `mean`, `max`, `min` and `logsumexp`. */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end). Default: all. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1. Default false. */
  keepdims?: boolean;
}
/** The result of reducing a `Tensor<S>` with options `O`: its shape follows NumPy's (literal axes give literal dims). */
type Reduced<S extends Shape, O> = Tensor<ReduceShape<S, ReduceAxis<O>, ReduceKeep<O>>>;

function reduceAttrs(opts: ReduceOptions = {}) {
  const axis = opts.axis === undefined ? null : typeof opts.axis === "number" ? [opts.axis] : [...opts.axis];
  return { axis, keepdims: opts.keepdims ?? false };
}
/** Sum over `axis` (all axes by default). */
export function sum<S extends Shape, const O extends ReduceOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("sum", [x], reduceAttrs(opts));
}
/** Mean over `axis` (all axes by default). */
export function mean<S extends Shape, const O extends ReduceOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("mean", [x], reduceAttrs(opts));
}
/** Largest entry over `axis` (all axes by default); the gradient is split evenly among tied maxima. */
export function max<S extends Shape, const O extends ReduceOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("max", [x], reduceAttrs(opts));
}
/** Smallest entry over `axis` (all axes by default); the gradient is split evenly among tied minima. */
export function min<S extends Shape, const O extends ReduceOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("min", [x], reduceAttrs(opts));
}

/** Options of `argmax` and `argmin`. */
export interface ArgOptions {
  /** One axis (negative counts from the end). Default: the position in the flattened array. */
  axis?: number;
  /** Keep the reduced axis (axes) as size 1. Default false. */
  keepdims?: boolean;
}
/** Position (i32) of the first largest entry along `axis`, or in the flattened array (numpy.argmax). No gradient. */
export function argmax<S extends Shape, const O extends ArgOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("argmax", [x], reduceAttrs(opts));
}
/** Position (i32) of the first smallest entry along `axis`, or in the flattened array (numpy.argmin). No gradient. */
export function argmin<S extends Shape, const O extends ArgOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  return emit1("argmin", [x], reduceAttrs(opts));
}

/**
 * log Σ exp(x) over `axis` (all axes by default), computed as m + log Σ exp(x − m) with m the max,
 * so large entries do not overflow (jax.nn.logsumexp). Its gradient is softmax(x) along the axes.
 */
export function logsumexp<S extends Shape, const O extends ReduceOptions = {}>(x: Tensor<S>, opts?: O): Reduced<S, O> {
  const { axis, keepdims } = reduceAttrs(opts);
  const t = x as Tensor;
  const m = max(t, { axis: axis ?? undefined, keepdims: true }) as Tensor;
  const y = add(m, log(sum(exp(sub(t, m as never) as Tensor), { axis: axis ?? undefined, keepdims: true })) as never) as Tensor;
  if (keepdims) return y as never;
  const kept = (t as TensorHandle).shape;
  const axes = normaliseAxes("logsumexp", axis, kept.length);
  return reshape(y, kept.filter((_, i) => !axes.includes(i))) as never;
}

/** Matrix product (numpy.matmul): batch dims broadcast, 1-D operands are vectors. */
export function matmul<A extends Shape, B extends Shape, SA extends Structure, SB extends Structure, KA extends string, KB extends string>(
  a: Tensor<A, SA, KA>,
  b: Tensor<B, SB, KB> & MatmulCheck<A, B>,
): Tensor<MatmulShape<A, B>, MatmulStructure<KA, KB, SA, SB>, MatmulKey<KA, KB, SB, SA>> {
  return emit1("matmul", [a, b]);
}

/** Swaps the last two dims. */
export function transpose<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Tensor<SwapLast<S>, St, TransposeKey<K>> {
  return emit1("transpose", [x]);
}

/** Same elements in row-major order, new shape (one -1 is inferred). */
export function reshape<const S extends Shape>(x: Tensor, shape: S): Tensor<ReshapeShape<S>> {
  return emit1("reshape", [x], { shape: [...shape] });
}

/** Options of `concatenate`, `stack` and `take`: the axis (negative counts from the end). */
export interface AxisOptions {
  /** The axis (negative counts from the end). Default: 0 for concatenate and stack, x flattened for take. */
  axis?: number;
}
type AxisIn<O, Default> = O extends { axis: infer A extends number } ? A : Default;

/**
 * Tensors joined along `axis` (default 0), as numpy.concatenate: same rank, every other dim equal
 * (checked by tsc where the shapes are literal, and when the graph is built). Its gradient slices.
 */
export function concatenate<const T extends readonly [Tensor, ...Tensor[]], const O extends AxisOptions = {}>(xs: T & ConcatCheck<T, AxisIn<O, 0>>, opts?: O): Tensor<ConcatShape<T, AxisIn<O, 0>>> {
  if (!Array.isArray(xs) || xs.length === 0) fail("MP2011", "concatenate: expected a non-empty array of tensors", callerLocation());
  return emit1("concatenate", xs, { axis: opts?.axis ?? 0 });
}

/** An axis no shape has: stack's inputs must agree in every dim. */
type NoAxis = 4294967295;
/**
 * Tensors of one shape stacked along a new axis `axis` (default 0), as numpy.stack: each gets a
 * size-1 dim there, then they are concatenated.
 */
export function stack<const T extends readonly [Tensor, ...Tensor[]], const O extends AxisOptions = {}>(xs: T & ConcatCheck<T, NoAxis>, opts?: O): Tensor<Dim[]> {
  if (!Array.isArray(xs) || xs.length === 0) fail("MP2011", "stack: expected a non-empty array of tensors", callerLocation());
  const rank = (xs[0] as unknown as TensorHandle).shape.length;
  const axis = normaliseAxes("stack", [opts?.axis ?? 0], rank + 1)[0];
  const parts = xs.map((x) => {
    const s = (x as unknown as TensorHandle).shape;
    return reshape(x as Tensor, [...s.slice(0, axis), 1, ...s.slice(axis)]);
  });
  return emit1("concatenate", parts, { axis });
}

/** Options of `slice`. */
export interface SliceOptions {
  /** The axis (negative counts from the end). */
  axis: number;
  /** First entry taken (negative counts from the end). Default 0. */
  start?: number;
  /** Entry after the last one taken (negative counts from the end; default: the end). Clamped to the axis, as Python slices. */
  stop?: number;
}
/** x[..., start:stop, ...] along `axis`; its gradient pads with zeros. */
export function slice<S extends Shape, const O extends SliceOptions>(x: Tensor<S>, opts: O): Tensor<WithAxis<S, O["axis"], number>> {
  return emit1("slice", [x], { axis: opts.axis, start: opts.start ?? 0, stop: opts.stop ?? null });
}

/**
 * x's entries at i32 `indices` along `axis` (numpy.take): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]; without `axis`, x is flattened first. Negative
 * indices count from the end; one out of range is an error (MP5001 on the CPU, a device-reported
 * failure on WebGPU). The gradient scatter-adds into x (an index taken twice gets both).
 */
export function take<S extends Shape, I extends Shape, const O extends AxisOptions = {}>(x: Tensor<S>, indices: Tensor<I>, opts?: O): Tensor<TakeShape<S, I, AxisIn<O, undefined>>> {
  if (opts?.axis === undefined) return emit1("take", [reshape(x as Tensor, [-1]), indices], { axis: 0 });
  return emit1("take", [x, indices], { axis: opts.axis });
}

/** Dims reordered: output dim d is input dim axes[d] (numpy.transpose(x, axes), torch.permute). */
export function permute<S extends Shape, const A extends readonly number[]>(x: Tensor<S>, axes: A): Tensor<PermuteShape<S, A>> {
  return emit1("permute", [x], { axes: [...axes] });
}

export { einsum } from "./einsum.js";

/** Sum of the diagonal: [..., n, n] → [...]. */
export function trace<S extends Shape>(x: Tensor<S>): Tensor<BatchOf<S>> {
  return emit1("trace", [x]);
}
/** The main diagonal: [..., n, n] → [..., n]. */
export function diag<S extends Shape>(x: Tensor<S>): Tensor<[...BatchOf<S>, Last<S>]> {
  return emit1("diag", [x]);
}
/** The diagonal matrix of a vector: [..., n] → [..., n, n]. */
export function diagm<S extends Shape, K extends string>(v: Tensor<S, Structure, K>): Tensor<[...S, Last<S>], "diagonal", UnaryKey<"diagm", K>> {
  return emit1("diagm", [v]);
}
/** The n×n identity. */
export function eye<const N extends Dim>(n: N, opts: { dtype?: "f32" | "f64" } = {}): Tensor<[N, N], "spd", UnaryKey<"I", `${N}`>> {
  return emit1("eye", [], { shape: [n, n], dtype: opts.dtype ?? "f32" });
}

/**
 * Asserts a structure the compiler cannot infer (e.g. a matrix you know is SPD). The CPU executor
 * checks it numerically when it runs; a false assertion is an error, not a wrong number.
 */
export function assume<S extends Shape, K extends string, const St extends Structure>(x: Tensor<S, Structure, K>, structure: St): Tensor<S, St, K> {
  return emit1("assume", [x], { structure });
}

export type { KeyOf };
