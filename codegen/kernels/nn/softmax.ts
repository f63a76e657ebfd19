/**
 * Softmax over the last axis and softmax cross-entropy as WGSL (the f64 references are
 * numeric/nn/softmax-grad.ts and numeric/nn/softmax.ts); operands are fused expressions read
 * through `ldx(i)`-style functions (scaffold.ts). Every exponential has the row maximum subtracted first and is
 * the range-reduced `mp_exp` (../f32-math.ts), so a probability of 1e-35 keeps its relative accuracy.
 * Class labels are f32 holding integers; a kernel cannot throw, so where the CPU raises a domain
 * error for a label that is not an integer in [0, classes), the cross-entropy writes NaN instead of
 * a plausible-looking number.
 */
import { grid } from "../../kernel.js";
import type { Expr } from "../../expr.js";
import { type BuiltKernel, constants, KernelScaffold, pow2Clamp } from "../scaffold.js";

function checkCount(op: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: ${what} ${n} must be a positive integer`);
}

/**
 * A quiet NaN read from a private variable: a NaN written as a constant expression is a
 * shader-creation error in WGSL.
 */
const NAN = `var<private> nanBits: u32 = 0x7fc00000u;`;

/** `valid(label)`: the label is an integer class index. */
const VALID_LABEL = `fn validLabel(label: f32) -> bool {
  return label >= 0.0 && label < f32(CLASSES) && label == floor(label);
}`;

/**
 * Tree reduction of `red[0..WG)` into `red[0]` by `op`, inside uniform control flow; ends with a
 * barrier so every invocation may read red[0].
 */
function reduce(wg: number, combine: (a: string, b: string) => string): string {
  return `  workgroupBarrier();
  for (var half = ${wg / 2}u; half > 0u; half >>= 1u) {
    if (lid < half) { red[lid] = ${combine("red[lid]", "red[lid + half]")}; }
    workgroupBarrier();
  }`;
}

/**
 * y = exp(x − max x) / Σ exp(x − max x) along rows of length `cols`, batched over `rows`: one
 * workgroup per row, its invocations striding over the columns. Operand x → y (value `out`).
 */
export function softmaxKernel(x: Expr, out: number): BuiltKernel {
  const cols = x.shape[x.shape.length - 1] ?? 1;
  const rows = x.shape.reduce((p, d) => p * d, 1) / cols;
  checkCount("softmax", "rows", rows);
  checkCount("softmax", "cols", cols);
  const wg = pow2Clamp(cols, 32, 256);
  const k = new KernelScaffold(`softmax_${rows}x${cols}`);
  k.operand("ldx", x, "i32");
  k.write("y", out, rows * cols);
  k.declare(constants({ ROWS: rows, COLS: cols }, "i32"), `var<workgroup> red: array<f32, ${wg}>;`);
  const main = `  let row = i32(group);
  // Uniform per workgroup, so the barriers below stay in uniform control flow.
  if (row >= ROWS) { return; }
  let base = row * COLS;
  var m = ldx(base);
  for (var c = i32(lid); c < COLS; c += ${wg}) { m = max(m, ldx(base + c)); }
  red[lid] = m;
${reduce(wg, (a, b) => `max(${a}, ${b})`)}
  m = red[0];
  workgroupBarrier();
  var s = 0.0;
  for (var c = i32(lid); c < COLS; c += ${wg}) { s += mp_exp_diff(ldx(base + c), m); }
  red[lid] = s;
${reduce(wg, (a, b) => `${a} + ${b}`)}
  s = red[0];
  for (var c = i32(lid); c < COLS; c += ${wg}) { y[base + c] = mp_exp_diff(ldx(base + c), m) / s; }`;
  return k.finish({ main, workgroupSize: [wg, 1, 1], dispatch: grid(rows), covers: [{ binding: "y", shape: [rows, cols], tile: [1, cols] }], workgroupBytes: wg * 4 });
}

/**
 * loss = mean over the batch of logsumexp(z_b) − z_b[label_b], each term formed as on the CPU:
 * log1p(Σ_{c ≠ k} exp(z_c − m)) + (m − z_label) with m = z_k the row maximum, two non-negative
 * parts — so a confident prediction's loss of 1e-35 keeps its relative accuracy instead of
 * rounding log(1 + tiny) to 0. One workgroup: each invocation takes rows
 * b ≡ lid (mod WG) whole, then a tree reduction sums the terms. Operands logits [B, C], labels [B]
 * → loss [1]; NaN when any label is invalid. With `probabilities` it also writes the softmax of
 * the logits there (the backward's softmax of the same logits: no second kernel reads them again).
 */
export function softmaxCrossEntropyKernel(logits: Expr, labels: Expr, out: number, probabilities?: number): BuiltKernel {
  const [batch, classes] = logits.shape;
  checkCount("softmaxCrossEntropy", "batch", batch);
  checkCount("softmaxCrossEntropy", "classes", classes);
  const wg = pow2Clamp(batch, 32, 256);
  const k = new KernelScaffold(`softmax_cross_entropy_${batch}x${classes}${probabilities === undefined ? "" : "_softmax"}`);
  k.operand("ldz", logits, "i32");
  k.operand("ldlabel", labels, "i32");
  k.write("loss", out, 1);
  if (probabilities !== undefined) k.write("p", probabilities, batch * classes);
  // With p: the softmax of each row as the softmax kernel forms it, while the row's maximum is at hand.
  const softmax =
    probabilities === undefined
      ? ""
      : `
    var s = 0.0;
    for (var c = 0; c < CLASSES; c++) { s += mp_exp_diff(ldz(base + c), m); }
    for (var c = 0; c < CLASSES; c++) { p[base + c] = mp_exp_diff(ldz(base + c), m) / s; }`;
  k.declare(constants({ BATCH: batch, CLASSES: classes }, "i32"), NAN, `var<workgroup> red: array<f32, ${wg}>;`, VALID_LABEL);
  const main = `  var total = 0.0;
  for (var b = i32(lid); b < BATCH; b += ${wg}) {
    let base = b * CLASSES;
    var m = ldz(base);
    var k = 0;
    for (var c = 1; c < CLASSES; c++) { if (ldz(base + c) > m) { m = ldz(base + c); k = c; } }${softmax}
    let label = ldlabel(b);
    if (!validLabel(label)) {
      total += bitcast<f32>(nanBits);
      continue;
    }
    var rest = 0.0;
    for (var c = 0; c < CLASSES; c++) { if (c != k) { rest += mp_exp_diff(ldz(base + c), m); } }
    total += mp_log1p(rest) + (m - ldz(base + i32(label)));
  }
  red[lid] = total;
${reduce(wg, (a, b) => `${a} + ${b}`)}
  if (lid == 0u) { loss[0] = red[0] / f32(BATCH); }`;
  const covers = [{ binding: "loss", shape: [1], tile: [1] }, ...(probabilities === undefined ? [] : [{ binding: "p", shape: [batch * classes], tile: [batch * classes] }])];
  return k.finish({ main, workgroupSize: [wg, 1, 1], dispatch: [1, 1, 1], covers, workgroupBytes: wg * 4 });
}
