/**
 * avg/max pooling on [N, C, H, W] and their adjoints as WGSL (PyTorch semantics, floor mode; the
 * f64 references are numeric/nn/pool.ts and numeric/nn/pool-grad.ts). Average:
 * zero padding counted in the divisor (count_include_pad). Max: −∞ padding, first maximum in
 * row-major window order wins ties. The adjoints gather — each input element visits the windows
 * that cover it — so there are no atomics and the result does not depend on scheduling. Operands
 * are fused expressions read through `ldx(i)` / `ldg(i)` (scaffold.ts).
 */
import type { Expr } from "../../expr.js";
import { type BuiltKernel, elementKernel } from "../scaffold.js";
import { type Pair, type Shape4, checkShape4, coveringRange, windowOut2 } from "./window.js";

interface Geometry {
  readonly consts: Record<string, number>;
  readonly total: { readonly x: number; readonly y: number };
  readonly tag: string;
}

function geometry(op: string, x: readonly number[], kernel: Pair, stride: Pair, padding: Pair): Geometry {
  const [N, C, H, W] = checkShape4(op, "x [N,C,H,W]", x);
  const [KH, KW] = kernel;
  // PyTorch's rule; it guarantees every window holds at least one real input element.
  if (2 * padding[0] > KH || 2 * padding[1] > KW) throw new RangeError(`${op}: padding [${padding.join(", ")}] exceeds half the kernel`);
  const [HO, WO] = windowOut2(op, [H, W], kernel, stride, padding);
  return {
    consts: { NC: N * C, H, W, KH, KW, HO, WO, SH: stride[0], SW: stride[1], PH: padding[0], PW: padding[1] },
    total: { x: N * C * H * W, y: N * C * HO * WO },
    tag: `${N}x${C}x${H}x${W}_k${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}`,
  };
}

function checkCotangent(op: string, x: readonly number[], g: readonly number[], geo: Geometry): void {
  const want = [x[0], x[1], geo.consts.HO, geo.consts.WO];
  checkShape4(op, "g [N,C,H',W']", g);
  if (g.some((d, i) => d !== want[i])) throw new RangeError(`${op}: cotangent has shape [${g.join(", ")}], expected [${want.join(", ")}]`);
}

/** Output coordinates (plane nc, window i, j) of the element idx of [N·C, H', W']. */
const OUT_COORDS = `  let j = idx % WO;
  let i = (idx / WO) % HO;
  let nc = idx / (WO * HO);
  let xBase = nc * H * W;`;

/** Input coordinates (plane base, r, s) of the element idx of [N·C, H, W]. */
const IN_COORDS = `  let s = idx % W;
  let r = (idx / W) % H;
  let xBase = (idx / (W * H)) * H * W;
  let gBase = (idx / (W * H)) * HO * WO;`;

/**
 * WGSL function `argmaxWindow(xBase, i, j) -> i32`: the flat index of window (i, j)'s maximum,
 * shared by the forward and the backward so both pick the same element. The test is the CPU's
 * `arg < 0 || !(v <= best)`: the first element always enters, later ones only when strictly larger
 * (or when the best so far is NaN), so the first maximum wins ties.
 */
const ARGMAX_WINDOW = `fn argmaxWindow(xBase: i32, i: i32, j: i32) -> i32 {
  var best = 0.0;
  var arg = -1;
  for (var p = 0; p < KH; p++) {
    let r = i * SH - PH + p;
    if (r < 0 || r >= H) { continue; }
    for (var q = 0; q < KW; q++) {
      let c = j * SW - PW + q;
      if (c < 0 || c >= W) { continue; }
      let at = xBase + r * W + c;
      let v = ldx(at);
      if (arg < 0 || !(v <= best)) {
        best = v;
        arg = at;
      }
    }
  }
  return arg;
}`;

/** Average pooling (count_include_pad: the divisor is always kh·kw). Operand x → y. */
export function avgPool2dKernel(x: Expr, out: number, kernel: Pair, stride: Pair, padding: Pair): BuiltKernel {
  const geo = geometry("avgPool2d", x.shape, kernel, stride, padding);
  const body = `${OUT_COORDS}
  var acc = 0.0;
  for (var p = 0; p < KH; p++) {
    let r = i * SH - PH + p;
    if (r < 0 || r >= H) { continue; }
    for (var q = 0; q < KW; q++) {
      let c = j * SW - PW + q;
      if (c < 0 || c >= W) { continue; }
      acc += ldx(xBase + r * W + c);
    }
  }
  y[idx] = acc / f32(KH * KW);`;
  return elementKernel(`avg_pool2d_${geo.tag}`, { ldx: x }, { name: "y", value: out }, geo.consts, geo.total.y, body);
}

/** Max pooling (−∞ padding: padded positions never win). Operand x → y. */
export function maxPool2dKernel(x: Expr, out: number, kernel: Pair, stride: Pair, padding: Pair): BuiltKernel {
  const geo = geometry("maxPool2d", x.shape, kernel, stride, padding);
  const body = `${OUT_COORDS}
  y[idx] = ldx(argmaxWindow(xBase, i, j));`;
  return elementKernel(`max_pool2d_${geo.tag}`, { ldx: x }, { name: "y", value: out }, geo.consts, geo.total.y, body, [ARGMAX_WINDOW]);
}

/**
 * Adjoint of avgPool2d: dx[r, s] = Σ over the windows covering (r, s) of g / (kh·kw). Only x's
 * shape matters (nothing of x is bound). Operand g → dx.
 */
export function avgPool2dBackwardKernel(x: Shape4, g: Expr, out: number, kernel: Pair, stride: Pair, padding: Pair): BuiltKernel {
  const op = "avgPool2dBackward";
  const geo = geometry(op, x, kernel, stride, padding);
  checkCotangent(op, x, g.shape, geo);
  const { KH, KW, SH, SW, PH, PW, HO, WO } = geo.consts;
  const body = `${IN_COORDS}
  ${coveringRange("ilo", "ihi", "r", KH, SH, PH, HO)}
  ${coveringRange("jlo", "jhi", "s", KW, SW, PW, WO)}
  var acc = 0.0;
  for (var i = ilo; i <= ihi; i++) {
    for (var j = jlo; j <= jhi; j++) {
      acc += ldg(gBase + i * WO + j);
    }
  }
  dx[idx] = acc / f32(KH * KW);`;
  return elementKernel(`avg_pool2d_backward_${geo.tag}`, { ldg: g }, { name: "dx", value: out }, geo.consts, geo.total.x, body);
}

/**
 * Adjoint of maxPool2d: each input element visits every window covering it, recomputes that
 * window's argmax with the forward's tie rule, and takes g where the argmax is itself — the same
 * routing as the CPU's scatter, without atomics. Operands x, g → dx.
 */
export function maxPool2dBackwardKernel(x: Expr, g: Expr, out: number, kernel: Pair, stride: Pair, padding: Pair): BuiltKernel {
  const op = "maxPool2dBackward";
  const geo = geometry(op, x.shape, kernel, stride, padding);
  checkCotangent(op, x.shape, g.shape, geo);
  const { KH, KW, SH, SW, PH, PW, HO, WO } = geo.consts;
  const body = `${IN_COORDS}
  ${coveringRange("ilo", "ihi", "r", KH, SH, PH, HO)}
  ${coveringRange("jlo", "jhi", "s", KW, SW, PW, WO)}
  var acc = 0.0;
  for (var i = ilo; i <= ihi; i++) {
    for (var j = jlo; j <= jhi; j++) {
      if (argmaxWindow(xBase, i, j) == idx) {
        acc += ldg(gBase + i * WO + j);
      }
    }
  }
  dx[idx] = acc;`;
  return elementKernel(`max_pool2d_backward_${geo.tag}`, { ldx: x, ldg: g }, { name: "dx", value: out }, geo.consts, geo.total.x, body, [ARGMAX_WINDOW]);
}
