/**
 * conv2d (PyTorch cross-correlation, NCHW, zero padding) and its two adjoints as WGSL, specialised
 * to concrete shapes; the f64 references are runtime/cpu/kernels/conv.ts and
 * runtime/cpu/backward/conv-grad.ts. Every kernel gathers (one invocation per output element, no
 * atomics), so results do not depend on scheduling.
 */
import type { KernelSource } from "../../kernel.js";
import { perElementKernel } from "./wgsl.js";
import { type Pair, type Shape4, checkShape4, coveringRange, windowOut2 } from "./window.js";

function checkChannels(op: string, c: number, cw: number): void {
  if (c !== cw) throw new RangeError(`${op}: x has ${c} channels, w expects ${cw}`);
}

/** y[n,o,i,j] = Σ_{c,p,q} x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] · w[o,c,p,q]. Bindings x, w → y. */
export function conv2dKernel(x: Shape4, w: Shape4, stride: Pair, padding: Pair): KernelSource {
  const op = "conv2d";
  const [N, C, H, W] = checkShape4(op, "x [N,C,H,W]", x);
  const [O, Cw, KH, KW] = checkShape4(op, "w [O,C,kh,kw]", w);
  checkChannels(op, C, Cw);
  const [HO, WO] = windowOut2(op, [H, W], [KH, KW], stride, padding);
  const body = `  let j = idx % WO;
  let i = (idx / WO) % HO;
  let o = (idx / (WO * HO)) % O;
  let n = idx / (WO * HO * O);
  var acc = 0.0;
  for (var c = 0; c < C; c++) {
    let xBase = (n * C + c) * H * W;
    let wBase = (o * C + c) * KH * KW;
    for (var p = 0; p < KH; p++) {
      let r = i * SH - PH + p;
      if (r < 0 || r >= H) { continue; }
      for (var q = 0; q < KW; q++) {
        let col = j * SW - PW + q;
        if (col < 0 || col >= W) { continue; }
        acc += x[xBase + r * W + col] * w[wBase + p * KW + q];
      }
    }
  }
  y[idx] = acc;`;
  return perElementKernel(
    `conv2d_${N}x${C}x${H}x${W}_${O}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}`,
    [{ name: "x", access: "read", elements: N * C * H * W }, { name: "w", access: "read", elements: O * C * KH * KW }, { name: "y", access: "read_write", elements: N * O * HO * WO }],
    { N, C, H, W, O, KH, KW, HO, WO, SH: stride[0], SW: stride[1], PH: padding[0], PW: padding[1] },
    N * O * HO * WO,
    body,
  );
}

/**
 * dx[n,c,r,s] = Σ over the windows (i, j) covering (r, s) and o of g[n,o,i,j] · w[o, c, r + p₀ − i·s₀, s + p₁ − j·s₁]:
 * the transposed convolution, gathered per input element. Bindings g, w → dx [N, C, H, W].
 */
export function conv2dGradInputKernel(g: Shape4, w: Shape4, stride: Pair, padding: Pair, inputSize: Pair): KernelSource {
  const op = "conv2dGradInput";
  const [N, O, HO, WO] = checkShape4(op, "g [N,O,H',W']", g);
  const [Ow, C, KH, KW] = checkShape4(op, "w [O,C,kh,kw]", w);
  const [H, W] = inputSize;
  const want = windowOut2(op, [H, W], [KH, KW], stride, padding);
  if (Ow !== O || want[0] !== HO || want[1] !== WO) {
    throw new RangeError(`${op}: cotangent has shape [${g.join(", ")}], expected [${N}, ${Ow}, ${want.join(", ")}]`);
  }
  const [SH, SW] = stride;
  const [PH, PW] = padding;
  const body = `  let s = idx % W;
  let r = (idx / W) % H;
  let c = (idx / (W * H)) % C;
  let n = idx / (W * H * C);
  ${coveringRange("ilo", "ihi", "r", KH, SH, PH, HO)}
  ${coveringRange("jlo", "jhi", "s", KW, SW, PW, WO)}
  var acc = 0.0;
  for (var o = 0; o < O; o++) {
    let gBase = (n * O + o) * HO * WO;
    let wBase = (o * C + c) * KH * KW;
    for (var i = ilo; i <= ihi; i++) {
      let p = r + PH - i * SH;
      for (var j = jlo; j <= jhi; j++) {
        let q = s + PW - j * SW;
        acc += g[gBase + i * WO + j] * w[wBase + p * KW + q];
      }
    }
  }
  dx[idx] = acc;`;
  return perElementKernel(
    `conv2d_grad_input_${N}x${O}x${HO}x${WO}_${C}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}_${H}x${W}`,
    [{ name: "g", access: "read", elements: N * O * HO * WO }, { name: "w", access: "read", elements: O * C * KH * KW }, { name: "dx", access: "read_write", elements: N * C * H * W }],
    { N, C, H, W, O, KH, KW, HO, WO, SH, SW, PH, PW },
    N * C * H * W,
    body,
  );
}

/**
 * dw[o,c,p,q] = Σ_{n,i,j} g[n,o,i,j] · x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] (zero padding), one
 * invocation per weight element. Bindings x, g → dw [O, C, kh, kw].
 */
export function conv2dGradWeightKernel(x: Shape4, g: Shape4, stride: Pair, padding: Pair, kernel: Pair): KernelSource {
  const op = "conv2dGradWeight";
  const [N, C, H, W] = checkShape4(op, "x [N,C,H,W]", x);
  const [Ng, O, HO, WO] = checkShape4(op, "g [N,O,H',W']", g);
  const [KH, KW] = kernel;
  const want = windowOut2(op, [H, W], [KH, KW], stride, padding);
  if (Ng !== N || want[0] !== HO || want[1] !== WO) {
    throw new RangeError(`${op}: cotangent has shape [${g.join(", ")}], expected [${N}, ${O}, ${want.join(", ")}]`);
  }
  const [SH, SW] = stride;
  const [PH, PW] = padding;
  // The output rows/cols whose window puts tap (p, q) inside the input, so the inner loops carry no
  // tests; a tap that only ever lands in the padding gets an empty range (hi = −1).
  const body = `  let q = idx % KW;
  let p = (idx / KW) % KH;
  let c = (idx / (KW * KH)) % C;
  let o = idx / (KW * KH * C);
  let ilo = select(0, (PH - p + SH - 1) / SH, PH - p > 0);
  let ihiT = H - 1 + PH - p;
  let ihi = select(-1, min(HO - 1, ihiT / SH), ihiT >= 0);
  let jlo = select(0, (PW - q + SW - 1) / SW, PW - q > 0);
  let jhiT = W - 1 + PW - q;
  let jhi = select(-1, min(WO - 1, jhiT / SW), jhiT >= 0);
  var acc = 0.0;
  for (var n = 0; n < N; n++) {
    let gBase = (n * O + o) * HO * WO;
    let xBase = (n * C + c) * H * W;
    for (var i = ilo; i <= ihi; i++) {
      let r = i * SH - PH + p;
      for (var j = jlo; j <= jhi; j++) {
        acc += g[gBase + i * WO + j] * x[xBase + r * W + j * SW - PW + q];
      }
    }
  }
  dw[idx] = acc;`;
  return perElementKernel(
    `conv2d_grad_weight_${N}x${C}x${H}x${W}_${O}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}`,
    [{ name: "x", access: "read", elements: N * C * H * W }, { name: "g", access: "read", elements: N * O * HO * WO }, { name: "dw", access: "read_write", elements: O * C * KH * KW }],
    { N, C, H, W, O, KH, KW, HO, WO, SH, SW, PH, PW },
    O * C * KH * KW,
    body,
  );
}
