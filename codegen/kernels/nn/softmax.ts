/**
 * Softmax over the last axis, softmax cross-entropy and one-hot encoding as WGSL (the f64
 * references are runtime/cpu/backward/softmax.ts, runtime/cpu/kernels/softmax.ts and
 * runtime/cpu/backward/one-hot.ts). Every exponential has the row maximum subtracted first and is
 * the range-reduced `mp_exp` (../f32-math.ts), so a probability of 1e-35 keeps its relative accuracy.
 * Class labels are f32 holding integers; a kernel cannot throw, so where the CPU raises a domain
 * error for a label that is not an integer in [0, classes), these kernels write NaN instead of a
 * plausible-looking number.
 */
import { type KernelSource, grid } from "../../kernel.js";
import { F32_MATH } from "../f32-math.js";
import { constants, declareBindings, perElementKernel, pow2Clamp } from "./wgsl.js";

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
 * workgroup per row, its invocations striding over the columns. Bindings x → y.
 */
export function softmaxKernel(rows: number, cols: number): KernelSource {
  checkCount("softmax", "rows", rows);
  checkCount("softmax", "cols", cols);
  const wg = pow2Clamp(cols, 32, 256);
  const bindings = [{ name: "x", access: "read", elements: rows * cols }, { name: "y", access: "read_write", elements: rows * cols }] as const;
  const wgsl = `${declareBindings(bindings)}
${constants({ ROWS: rows, COLS: cols })}
${F32_MATH}
var<workgroup> red: array<f32, ${wg}>;

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = i32(wid.x + wid.y * nwg.x);
  // Uniform per workgroup, so the barriers below stay in uniform control flow.
  if (row >= ROWS) { return; }
  let base = row * COLS;
  var m = x[base];
  for (var c = i32(lid); c < COLS; c += ${wg}) { m = max(m, x[base + c]); }
  red[lid] = m;
${reduce(wg, (a, b) => `max(${a}, ${b})`)}
  m = red[0];
  workgroupBarrier();
  var s = 0.0;
  for (var c = i32(lid); c < COLS; c += ${wg}) { s += mp_exp_diff(x[base + c], m); }
  red[lid] = s;
${reduce(wg, (a, b) => `${a} + ${b}`)}
  s = red[0];
  for (var c = i32(lid); c < COLS; c += ${wg}) { y[base + c] = mp_exp_diff(x[base + c], m) / s; }
}
`;
  return { name: `softmax_${rows}x${cols}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: grid(rows), bindings, covers: [{ binding: 1, shape: [rows, cols], tile: [1, cols] }], workgroupBytes: wg * 4 };
}

/**
 * loss = mean over the batch of logsumexp(z_b) − z_b[label_b], each term formed as on the CPU:
 * log1p(Σ_{c ≠ k} exp(z_c − m)) + (m − z_label) with m = z_k the row maximum, two non-negative
 * parts — so a confident prediction's loss of 1e-35 keeps its relative accuracy instead of
 * rounding log(1 + tiny) to 0. One workgroup: each invocation takes rows
 * b ≡ lid (mod WG) whole, then a tree reduction sums the terms. Bindings logits [B, C], labels [B]
 * → loss [1]; NaN when any label is invalid.
 */
export function softmaxCrossEntropyKernel(batch: number, classes: number): KernelSource {
  checkCount("softmaxCrossEntropy", "batch", batch);
  checkCount("softmaxCrossEntropy", "classes", classes);
  const wg = pow2Clamp(batch, 32, 256);
  const bindings = [{ name: "logits", access: "read", elements: batch * classes }, { name: "labels", access: "read", elements: batch }, { name: "loss", access: "read_write", elements: 1 }] as const;
  const wgsl = `${declareBindings(bindings)}
${constants({ BATCH: batch, CLASSES: classes })}
${NAN}
${F32_MATH}
var<workgroup> red: array<f32, ${wg}>;

${VALID_LABEL}

@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_index) lid: u32) {
  var total = 0.0;
  for (var b = i32(lid); b < BATCH; b += ${wg}) {
    let label = labels[b];
    if (!validLabel(label)) {
      total += bitcast<f32>(nanBits);
      continue;
    }
    let base = b * CLASSES;
    var m = logits[base];
    var k = 0;
    for (var c = 1; c < CLASSES; c++) { if (logits[base + c] > m) { m = logits[base + c]; k = c; } }
    var rest = 0.0;
    for (var c = 0; c < CLASSES; c++) { if (c != k) { rest += mp_exp_diff(logits[base + c], m); } }
    total += mp_log1p(rest) + (m - logits[base + i32(label)]);
  }
  red[lid] = total;
${reduce(wg, (a, b) => `${a} + ${b}`)}
  if (lid == 0u) { loss[0] = red[0] / f32(BATCH); }
}
`;
  return { name: `softmax_cross_entropy_${batch}x${classes}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: [1, 1, 1], bindings, covers: [{ binding: 2, shape: [1], tile: [1] }], workgroupBytes: wg * 4 };
}

/**
 * labels [count] → y [count, classes], 1 at each label and 0 elsewhere (a row of NaN for an
 * invalid label). One invocation per output element. Bindings labels → y.
 */
export function oneHotKernel(count: number, classes: number): KernelSource {
  checkCount("oneHot", "count", count);
  checkCount("oneHot", "classes", classes);
  const body = `  let k = idx % CLASSES;
  let label = labels[idx / CLASSES];
  if (!validLabel(label)) {
    y[idx] = bitcast<f32>(nanBits);
    return;
  }
  y[idx] = select(0.0, 1.0, i32(label) == k);`;
  const k = perElementKernel(`one_hot_${count}x${classes}`, [{ name: "labels", access: "read", elements: count }, { name: "y", access: "read_write", elements: count * classes }], { CLASSES: classes }, count * classes, body);
  return { ...k, wgsl: `${NAN}\n${k.wgsl}\n${VALID_LABEL}\n` };
}
