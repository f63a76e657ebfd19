/** `nn`: layers in PyTorch's functional conventions (NCHW images, weights [out, in]). */
import { emit1 } from "./builder.js";
import { add, logsumexp, matmul, max, maximum, mul, pow, reshape, sub, sum, tanh, transpose, exp, div } from "./ops.js";
import type { BinaryKey, Dim, DimsAgree, Shape, Structure, Tensor, UnaryKey, UnaryStructure } from "./types.js";

type Pair = number | readonly [number, number];
const pair = (p: Pair): [number, number] => (typeof p === "number" ? [p, p] : [p[0], p[1]]);

type Init<S extends Shape> = S extends readonly [...infer H extends Dim[], Dim] ? H : Dim[];
type LastDim<S extends Shape> = S extends readonly [...Shape, infer L extends Dim] ? L : Dim;
/** `unknown` when dims `A` and `B` can agree; otherwise an object naming `what` and both dims. */
type Agree<What extends string, A, B> = DimsAgree<A, B> extends true ? unknown : { [P in `error: ${What} differ`]: [A, B] };

/** x Wᵀ + b for x [..., in], W [out, in], b [out] (torch.nn.functional.linear): [..., out]. */
export function linear<X extends Shape, O extends Dim, I extends Dim>(x: Tensor<X>, w: Tensor<readonly [O, I]> & Agree<"linear in-features (x's last dim, W's second)", LastDim<X>, I>, b?: Tensor<readonly [NoInfer<O>]>): Tensor<[...Init<X>, O]> {
  const y = matmul(x as Tensor, transpose(w as Tensor) as never) as Tensor;
  return (b ? add(y, b as Tensor) : y) as Tensor<[...Init<X>, O]>;
}

/** max(x, 0): keeps symmetry, and a key (that of maximum(x, 0)) for AᵀA checks. */
export function relu<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Tensor<S, UnaryStructure<St>, BinaryKey<"maximum", Tensor<S, St, K>, 0>> {
  return maximum(x, 0) as unknown as Tensor<S, UnaryStructure<St>, BinaryKey<"maximum", Tensor<S, St, K>, 0>>;
}

/** The logistic function 1 / (1 + e⁻ˣ) elementwise (accurate in both tails). */
export function sigmoid<S extends Shape, St extends Structure, K extends string>(x: Tensor<S, St, K>): Tensor<S, UnaryStructure<St>, UnaryKey<"sigmoid", K>> {
  return emit1("sigmoid", [x]);
}

/** √(2/π), the GELU tanh form's scale. */
const GELU_SCALE = Math.sqrt(2 / Math.PI);

/**
 * GELU in its tanh form, x/2 · (1 + tanh(√(2/π)(x + 0.044715 x³))): jax.nn.gelu's default and
 * PyTorch's gelu(approximate="tanh"); within 1e-3 of the erf form x·Φ(x) everywhere.
 */
export function gelu<S extends Shape, St extends Structure>(x: Tensor<S, St>): Tensor<S, UnaryStructure<St>> {
  const t = x as Tensor;
  const inner = mul(add(t, mul(pow(t, 3), 0.044715) as Tensor) as Tensor, GELU_SCALE);
  return mul(mul(t, 0.5) as Tensor, add(tanh(inner as Tensor), 1) as never) as never;
}

/** Options of `softmax` and `logSoftmax`. */
export interface SoftmaxOptions {
  /** The axis the probabilities sum to 1 along (negative counts from the end). Default −1. */
  axis?: number;
}

const isLastAxis = (x: Tensor, axis: number) => axis === -1 || axis === x.shape.length - 1;

/**
 * exp(x) / Σ exp(x) along `axis` (jax.nn.softmax), with the max subtracted first. Along the last
 * axis it is one op (one kernel per row on WebGPU); along another axis it is composed of max, exp,
 * sum and div.
 */
export function softmax<S extends Shape>(x: Tensor<S>, opts: SoftmaxOptions = {}): Tensor<S> {
  const axis = opts.axis ?? -1;
  if (isLastAxis(x, axis)) return emit1("softmax", [x]);
  const t = x as Tensor;
  const e = exp(sub(t, max(t, { axis, keepdims: true }) as never) as Tensor) as Tensor;
  return div(e, sum(e, { axis, keepdims: true }) as never) as never;
}

/** log softmax(x) along `axis` = x − logsumexp(x) (jax.nn.log_softmax): no log of a rounded-to-0 probability. */
export function logSoftmax<S extends Shape>(x: Tensor<S>, opts: SoftmaxOptions = {}): Tensor<S> {
  const t = x as Tensor;
  return sub(t, logsumexp(t, { axis: opts.axis ?? -1, keepdims: true }) as never) as never;
}

/** Options of `conv2d`. */
export interface Conv2dOptions {
  /** Step between windows, one number or [h, w]. Default 1. */
  stride?: Pair;
  /** Zeros added on each side, one number or [h, w]. Default 0. */
  padding?: Pair;
  /** Per-output-channel bias [O]. */
  bias?: Tensor;
}

/** 2-D cross-correlation of x [N,C,H,W] with w [O,C,kh,kw] (torch conv2d). */
export function conv2d<N extends Dim, C extends Dim, O extends Dim, CW extends Dim>(
  x: Tensor<readonly [N, C, Dim, Dim]>,
  w: Tensor<readonly [O, CW, Dim, Dim]> & Agree<"conv2d channels (x's dim 1, w's dim 1)", C, CW>,
  opts: Conv2dOptions = {},
): Tensor<[N, O, number, number]> {
  const y = emit1<Tensor>("conv2d", [x, w], { stride: pair(opts.stride ?? 1), padding: pair(opts.padding ?? 0) });
  if (!opts.bias) return y as Tensor<[N, O, number, number]>;
  return add(y, reshape(opts.bias, [-1, 1, 1]) as Tensor) as unknown as Tensor<[N, O, number, number]>;
}

/** Options of `avgPool2d` and `maxPool2d`. */
export interface PoolOptions {
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: Pair;
  /** Zeros (avg) or −∞ (max) added on each side, one number or [h, w]. Default 0. */
  padding?: Pair;
}

/** Average pooling (count_include_pad, as PyTorch's default). */
export function avgPool2d<N extends Dim, C extends Dim>(x: Tensor<readonly [N, C, Dim, Dim]>, kernel: Pair, opts: PoolOptions = {}): Tensor<[N, C, number, number]> {
  return emit1("avgPool2d", [x], { kernel: pair(kernel), stride: pair(opts.stride ?? kernel), padding: pair(opts.padding ?? 0) });
}

/** Max pooling. */
export function maxPool2d<N extends Dim, C extends Dim>(x: Tensor<readonly [N, C, Dim, Dim]>, kernel: Pair, opts: PoolOptions = {}): Tensor<[N, C, number, number]> {
  return emit1("maxPool2d", [x], { kernel: pair(kernel), stride: pair(opts.stride ?? kernel), padding: pair(opts.padding ?? 0) });
}

/** Mean over the batch of −log softmax(logits)[label]: logits [B, C], labels [B] of i32 class indices. */
export function softmaxCrossEntropy<B extends Dim, BL extends Dim>(logits: Tensor<readonly [B, Dim]>, labels: Tensor<readonly [BL]> & Agree<"softmaxCrossEntropy batch sizes (logits, labels)", B, BL>): Tensor<[]> {
  return emit1("softmaxCrossEntropy", [logits, labels]);
}
