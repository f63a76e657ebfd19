/**
 * Network layers on NCHW images: conv2d (strides, padding, bias), average and max pooling (max
 * windows free of near ties), the O2P feature map [N, H·W, C] that turns an image into matrices for
 * cov/logm, softmax, and softmax cross-entropy as a loss term. relu comes from the elementwise
 * recipes, which pick images as readily as matrices.
 */
import type { Dim, Value } from "../../../ir/index.js";
import { reject } from "../builder.js";
import { KINK_MARGIN, maxAbs, windowsDecided } from "../conditioning.js";
import { fresh, isFloat, moderate, rank, type Ctx, type Step } from "../operands.js";

const isImage = (v: Value) => isFloat(v) && rank(v) === 4 && typeof v.type.shape[2] === "number" && typeof v.type.shape[3] === "number";

/** Spatial sizes for fresh images: past the 8-wide tiles, but small (SwiftShader convolves them). */
const SPATIAL = [5, 4, 9, 3, 8, 12, 17];

/** A pool image that `ok` accepts, else a fresh one of at most `maxPixels` pixels. */
function image(c: Ctx, s: Step, ok: (v: Value) => boolean = () => true, maxPixels = Infinity): Value {
  const n: Dim = c.batch.length ? c.batch[0] : 1 + (s.b % 2);
  const upTo = (max: number) => (SPATIAL.some((d) => d <= max) ? SPATIAL.filter((d) => d <= max) : [1]);
  const h = upTo(maxPixels)[s.m % upTo(maxPixels).length];
  const w = upTo(maxPixels / h)[s.n % upTo(maxPixels / h).length];
  return c.b.pick((v) => isImage(v) && ok(v), s.a) ?? fresh(c, [n, 1 + (s.v % 3), h, w], "normal", { param: s.a % 3 === 2 });
}

const spatial = (v: Value): [number, number] => [v.type.shape[2] as number, v.type.shape[3] as number];

export function conv2d(c: Ctx, s: Step): void {
  const x = image(c, s);
  const [h, w] = spatial(x);
  const padding: [number, number] = [s.v % 2, (s.v >> 1) % 2];
  const kernel: [number, number] = [Math.min(1 + (s.m % 3), h + 2 * padding[0]), Math.min(1 + (s.n % 3), w + 2 * padding[1])];
  const stride: [number, number] = [1 + ((s.v >> 2) % 2), 1 + ((s.v >> 3) % 2)];
  const out = 1 + (s.b % 4);
  const fanIn = Number(x.type.shape[1]) * kernel[0] * kernel[1];
  const weight = fresh(c, [out, x.type.shape[1], ...kernel], "normal", { param: true, scale: 1 / Math.sqrt(Number.isFinite(fanIn) ? fanIn : 4) });
  let y = c.b.op1("conv2d", [x, weight], { stride, padding });
  if ((s.v >> 4) % 2 === 0) y = c.b.op1("add", [y, c.b.op1("reshape", [fresh(c, [out], "normal", { param: true })], { shape: [-1, 1, 1] })]);
  c.b.push(moderate(c, y));
}

export function pool(c: Ctx, s: Step): void {
  const x = image(c, s);
  const [h, w] = spatial(x);
  const k = Math.min(2 + (s.v % 2), h, w);
  const kernel: [number, number] = [k, Math.min(k + ((s.v >> 1) % 2), w)];
  const stride: [number, number] = [[k, 1, 2][s.m % 3], [kernel[1], 2, 1][s.n % 3]];
  const padding: [number, number] = [(s.v >> 2) % 2 ? Math.floor(kernel[0] / 2) : 0, (s.v >> 3) % 2 ? Math.floor(kernel[1] / 2) : 0];
  const op = s.b % 2 ? "maxPool2d" : "avgPool2d";
  // Exact ties of zeros (from relu) are decided alike in f32 and f64: the first maximum wins.
  const scale = maxAbs(c.b.x(x).data);
  if (op === "maxPool2d" && !windowsDecided(c.b.x(x), kernel, stride, padding, () => KINK_MARGIN * scale, (_, top) => top === 0)) reject("a max-pool window has a near tie");
  c.b.push(c.b.op1(op, [x], { kernel, stride, padding }));
}

/** [N, C, H, W] → [N, H·W, C]: each image's positions as the rows of a feature matrix (O2P). */
export function features(c: Ctx, s: Step): void {
  // H·W rows stay within the program's sizes: the feature matrix is squared by products and projectors.
  const x = image(c, s, (v) => spatial(v)[0] * spatial(v)[1] <= c.maxDim, c.maxDim);
  const [n, ch] = x.type.shape;
  const [h, w] = spatial(x);
  c.b.push(c.b.op1("transpose", [c.b.op1("reshape", [x], { shape: [n, ch, h * w] })]));
}

export function softmax(c: Ctx, s: Step): void {
  const x = c.b.pick((v) => isFloat(v) && rank(v) >= 1, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.n)]);
  c.b.push(c.b.op1("softmax", [moderate(c, x)]));
}

/** Softmax cross-entropy of a pool value read as logits [R, C] against fresh labels: a loss term. */
export function crossEntropy(c: Ctx, s: Step): void {
  const x = c.b.pick((v) => isFloat(v) && rank(v) >= 2 && v.type.shape.every((d) => typeof d === "number"), s.a) ?? fresh(c, [c.size(s.m), 1 + c.size(s.n)]);
  const classes = x.type.shape[rank(x) - 1] as number;
  const logits = rank(x) === 2 ? x : c.b.op1("reshape", [x], { shape: [-1, classes] });
  const labels = c.b.source([logits.type.shape[0]], { dist: "labels", classes }, {});
  c.terms.push(c.b.op1("softmaxCrossEntropy", [moderate(c, logits), labels]));
}
