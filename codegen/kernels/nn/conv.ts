/**
 * conv2d (PyTorch cross-correlation, NCHW, zero padding) and its two adjoints as WGSL, specialised
 * to concrete shapes; the f64 references are numeric/nn/conv.ts and
 * numeric/nn/conv-grad.ts. Every kernel gathers (one invocation per output element, no
 * atomics), so results do not depend on scheduling. Operands are fused expressions (a ReLU, a bias,
 * a relu mask on the cotangent), read through `ldx(i)`-style functions (scaffold.ts).
 */
import { unravel, type Expr } from "../../expr.js";
import { storeEntry } from "../epilogue.js";
import { type BuiltKernel, constants, elementKernel, KernelScaffold, perElement } from "../scaffold.js";
import { type Pair, checkShape4, coveringRange, windowOut2 } from "./window.js";

function checkChannels(op: string, c: number, cw: number): void {
  if (c !== cw) throw new RangeError(`${op}: x has ${c} channels, w expects ${cw}`);
}

/**
 * y[n,o,i,j] = Σ_{c,p,q} x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] · w[o,c,p,q]: operands x, w → y (value
 * `out`), through `epilogue` when given (a bias, a ReLU, an exp at a transposed layout: epilogue.ts).
 */
export function conv2dKernel(x: Expr, w: Expr, out: number, stride: Pair, padding: Pair, epilogue?: Expr): BuiltKernel {
  const op = "conv2d";
  const [N, C, H, W] = checkShape4(op, "x [N,C,H,W]", x.shape);
  const [O, Cw, KH, KW] = checkShape4(op, "w [O,C,kh,kw]", w.shape);
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
        acc += ldx(xBase + r * W + col) * ldw(wBase + p * KW + q);
      }
    }
  }
`;
  const name = `conv2d_${N}x${C}x${H}x${W}_${O}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}`;
  const k = new KernelScaffold(name);
  k.operand("ldx", x, "i32");
  k.operand("ldw", w, "i32");
  const at = unravel("e", [N, O, HO, WO], "y_");
  const store = storeEntry(k.emitter, epilogue, "acc", at.coords, [N, O, HO, WO]);
  k.write("y", out, N * O * HO * WO);
  k.declare(constants({ N, C, H, W, O, KH, KW, HO, WO, SH: stride[0], SW: stride[1], PH: padding[0], PW: padding[1] }, "i32"));
  const e = perElement(N * O * HO * WO, "i32");
  const store_ = epilogue ? ["let e = u32(idx);", ...at.lines, ...store.lines, `y[${store.index}] = ${store.value};`] : ["y[idx] = acc;"];
  return k.finish({ main: `${e.head}\n${body}\n${store_.map((l) => `  ${l}`).join("\n")}`, workgroupSize: e.workgroupSize, dispatch: e.dispatch, covers: [{ binding: "y", shape: [N * O * HO * WO], tile: e.tile }] });
}

/**
 * dx[n,c,r,s] = Σ over the windows (i, j) covering (r, s) and o of g[n,o,i,j] · w[o, c, r + p₀ − i·s₀, s + p₁ − j·s₁]:
 * the transposed convolution, gathered per input element. Operands g, w → dx [N, C, H, W].
 */
export function conv2dGradInputKernel(g: Expr, w: Expr, out: number, stride: Pair, padding: Pair, inputSize: Pair): BuiltKernel {
  const op = "conv2dGradInput";
  const [N, O, HO, WO] = checkShape4(op, "g [N,O,H',W']", g.shape);
  const [Ow, C, KH, KW] = checkShape4(op, "w [O,C,kh,kw]", w.shape);
  const [H, W] = inputSize;
  const want = windowOut2(op, [H, W], [KH, KW], stride, padding);
  if (Ow !== O || want[0] !== HO || want[1] !== WO) {
    throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${N}, ${Ow}, ${want.join(", ")}]`);
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
        acc += ldg(gBase + i * WO + j) * ldw(wBase + p * KW + q);
      }
    }
  }
  dx[idx] = acc;`;
  return elementKernel(
    `conv2d_grad_input_${N}x${O}x${HO}x${WO}_${C}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}_${H}x${W}`,
    { ldg: g, ldw: w },
    { name: "dx", value: out },
    { N, C, H, W, O, KH, KW, HO, WO, SH, SW, PH, PW },
    N * C * H * W,
    body,
  );
}

/**
 * dw[o,c,p,q] = Σ_{n,i,j} g[n,o,i,j] · x[n, c, i·s₀ − p₀ + p, j·s₁ − p₁ + q] (zero padding), one
 * invocation per weight element. Operands x, g → dw [O, C, kh, kw]. With `bias`, O more invocations
 * write db[o] = Σ_{n,i,j} g[n,o,i,j] there: the bias gradient of the same cotangent, which would
 * otherwise be a reduction kernel reading g again.
 */
export function conv2dGradWeightKernel(x: Expr, g: Expr, out: number, stride: Pair, padding: Pair, kernel: Pair, bias?: number): BuiltKernel {
  const op = "conv2dGradWeight";
  const [N, C, H, W] = checkShape4(op, "x [N,C,H,W]", x.shape);
  const [Ng, O, HO, WO] = checkShape4(op, "g [N,O,H',W']", g.shape);
  const [KH, KW] = kernel;
  const want = windowOut2(op, [H, W], [KH, KW], stride, padding);
  if (Ng !== N || want[0] !== HO || want[1] !== WO) {
    throw new RangeError(`${op}: cotangent has shape [${g.shape.join(", ")}], expected [${N}, ${O}, ${want.join(", ")}]`);
  }
  const [SH, SW] = stride;
  const [PH, PW] = padding;
  // The output rows/cols whose window puts tap (p, q) inside the input, so the inner loops carry no
  // tests; a tap that only ever lands in the padding gets an empty range (hi = −1).
  const weights = O * C * KH * KW;
  const biasPart =
    bias === undefined
      ? ""
      : `  if (idx >= ${weights}) {
    let o = idx - ${weights};
    var sum = 0.0;
    for (var n = 0; n < N; n++) {
      let gBase = (n * O + o) * HO * WO;
      for (var ij = 0; ij < HO * WO; ij++) { sum += ldg(gBase + ij); }
    }
    db[o] = sum;
    return;
  }
`;
  const body = `${biasPart}  let q = idx % KW;
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
        acc += ldg(gBase + i * WO + j) * ldx(xBase + r * W + j * SW - PW + q);
      }
    }
  }
  dw[idx] = acc;`;
  const name = `conv2d_grad_weight_${N}x${C}x${H}x${W}_${O}x${KH}x${KW}_s${stride.join("x")}_p${padding.join("x")}${bias === undefined ? "" : "_bias"}`;
  const consts = { N, C, H, W, O, KH, KW, HO, WO, SH, SW, PH, PW };
  if (bias === undefined) return elementKernel(name, { ldx: x, ldg: g }, { name: "dw", value: out }, consts, weights, body);
  const k = new KernelScaffold(name);
  k.operand("ldx", x, "i32");
  k.operand("ldg", g, "i32");
  k.write("dw", out, weights);
  k.write("db", bias, O);
  k.declare(constants(consts, "i32"));
  const e = perElement(weights + O, "i32");
  return k.finish({
    main: `${e.head}\n${body}`,
    workgroupSize: e.workgroupSize,
    dispatch: e.dispatch,
    covers: [
      { binding: "dw", shape: [weights], tile: e.tile },
      { binding: "db", shape: [O], tile: e.tile },
    ],
  });
}
