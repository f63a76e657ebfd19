/** `nn`: layers in PyTorch's functional conventions (NCHW images, weights [out, in]). */
import { emit1 } from "./builder.js";
import { add, matmul, maximum, reshape, transpose } from "./ops.js";
import type { Dim, Shape, Structure, Tensor } from "./types.js";

type Pair = number | readonly [number, number];
const pair = (p: Pair): [number, number] => (typeof p === "number" ? [p, p] : [p[0], p[1]]);

/** x Wᵀ + b for x [..., in], W [out, in], b [out] (torch.nn.functional.linear). */
export function linear<X extends Shape, O extends Dim, I extends Dim>(x: Tensor<X>, w: Tensor<readonly [O, I]>, b?: Tensor<readonly [O]>): Tensor<Dim[]> {
  const y = matmul(x as Tensor, transpose(w as Tensor) as never) as Tensor;
  return (b ? add(y, b as Tensor) : y) as Tensor<Dim[]>;
}

/** max(x, 0). */
export function relu<S extends Shape, St extends Structure>(x: Tensor<S, St>): Tensor<S> {
  return maximum(x, 0) as unknown as Tensor<S>;
}

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  /** Per-output-channel bias [O]. */
  bias?: Tensor;
}

/** 2-D cross-correlation of x [N,C,H,W] with w [O,C,kh,kw] (torch conv2d). */
export function conv2d<N extends Dim, O extends Dim>(x: Tensor<readonly [N, Dim, Dim, Dim]>, w: Tensor<readonly [O, Dim, Dim, Dim]>, opts: Conv2dOptions = {}): Tensor<[N, O, number, number]> {
  const y = emit1<Tensor>("conv2d", [x, w], { stride: pair(opts.stride ?? 1), padding: pair(opts.padding ?? 0) });
  if (!opts.bias) return y as Tensor<[N, O, number, number]>;
  return add(y, reshape(opts.bias, [-1, 1, 1]) as Tensor) as unknown as Tensor<[N, O, number, number]>;
}

export interface PoolOptions {
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: Pair;
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
export function softmaxCrossEntropy<B extends Dim>(logits: Tensor<readonly [B, Dim]>, labels: Tensor<readonly [B]>): Tensor<[]> {
  return emit1("softmaxCrossEntropy", [logits, labels]);
}
