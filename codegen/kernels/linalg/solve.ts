/**
 * Batched linear solves X = A⁻¹B and inverses by Gaussian elimination with partial pivoting, one
 * workgroup per matrix. Step k: one invocation finds the pivot row (the check is uniform for the
 * workgroup), the rows swap, then all invocations eliminate below the pivot over A's trailing
 * columns and B's columns at once. Back substitution then runs one invocation per column of B, with
 * no barriers.
 *
 * A pivot at or below n·eps_f32·max|A| means "singular": the kernel sets its status word (the
 * runtime reports MP5001 at the solve/inv line, as the CPU executor does) and writes X as NaN. The
 * threshold is the CPU kernel's relative test with f32's eps: Gaussian elimination with partial
 * pivoting has a backward error of about n·eps·‖A‖ (times the growth factor), so a pivot of that
 * size is indistinguishable from the round-off of a singular matrix — dividing by it would return
 * noise. Being relative, scaling A does not change the verdict.
 *
 * A and B sit in workgroup memory while (n² + n·k)·4 bytes fit; beyond that B is worked on in the
 * output `x` and A in a trailing scratch binding `work` of `solveScratchLength(batch, n, k)` floats
 * (the input `a` is read-only).
 */
import type { KernelSource } from "../../kernel.js";
import { type Expr, load } from "../../expr.js";
import { type BuiltKernel, KernelScaffold } from "../scaffold.js";
import { DEFAULT_WORKGROUP_STORAGE, F32_EPS, lit, type LinalgOptions, type Region, checkSizes, constants, declareRegion, declareSync, perMatrixDispatch, workgroupSizeFor, PIVOT_SEARCH } from "./common.js";

function plan(n: number, k: number, opts?: LinalgOptions) {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const wg = workgroupSizeFor(Math.max(n * (n + k) / 2, k));
  const small = 4 * wg + 12; // max|A| partials; pivot row, flag, tiny
  const inWorkgroup = small + 4 * (n * n + n * k);
  const global = inWorkgroup > limit;
  return { wg, global, workgroupBytes: global ? small : inWorkgroup };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function solveScratchLength(batch: number, n: number, k: number, opts?: LinalgOptions): number {
  return plan(n, k, opts).global ? batch * n * n : 0;
}

/**
 * Where a solve reads A and B (expressions: buffers or fused producers, at the [batch, n, n] and
 * [batch, n, k] shapes — a broadcast operand is a broadcastTo expression, not a copy) and writes X
 * and its scratch (value ids). `b` is absent for the inverse (B = I is built in the kernel).
 */
export interface SolveIO {
  readonly a: Expr;
  readonly b?: Expr;
  readonly x: number;
  /** The scratch binding's value, when `solveScratchLength` > 0. */
  readonly work?: number;
}

/** The solve-like kernel: `io.a` read through `lda(i)` and `io.b` through `ldb(i)`, element i in row-major order. */
export function solveLikeKernel(name: string, batch: number, n: number, k: number, io: SolveIO, opts?: LinalgOptions): BuiltKernel {
  checkSizes(name, { batch, n, k });
  const identity = io.b === undefined;
  const { wg, global, workgroupBytes } = plan(n, k, opts);
  const ks = new KernelScaffold(`${name}_${batch}x${n}x${k}${global ? "_global" : ""}`);
  const singular = ks.check({ message: `${name} failed: singular: ${name}: matrix {i} of the batch is singular (a pivot ≤ n·eps_f32·max|A|)` });
  ks.operand("lda", io.a);
  if (io.b) ks.operand("ldb", io.b);
  ks.write("x", io.x, batch * n * k);
  if (global) {
    if (io.work === undefined) throw new Error(`${name} ${n}×${n}: the global-memory path needs a scratch binding`);
    ks.write("work", io.work, solveScratchLength(batch, n, k, opts));
  }
  const regions: Region[] = global
    ? [
        { kind: "global", name: "A", binding: "work", base: "abase" },
        { kind: "global", name: "X", binding: "x", base: "xbase" },
      ]
    : [
        { kind: "workgroup", name: "A", length: n * n },
        { kind: "workgroup", name: "X", length: n * k },
      ];
  ks.declare(`${constants({ N: n, K: k, NN: n * n, NK: n * k, WG: wg })}
const EPS: f32 = ${lit(F32_EPS)};
// NaN as a runtime value (a NaN constant expression is a shader-creation error).
var<private> nanBits: u32 = 0x7fc00000u;

var<private> abase: u32;
var<private> xbase: u32;
${regions.map(declareRegion).join("\n")}
var<workgroup> part: array<f32, ${wg}>;
var<workgroup> prow: u32;
var<workgroup> pok: u32;
var<workgroup> tiny: f32;
${declareSync(global)}

`);
  const main = `  let mat = group;
  if (mat >= ${batch}u) { return; }
  abase = mat * NN;
  xbase = mat * NK;
  var m = 0.0;
  for (var t = lid; t < NN; t += WG) { let v = lda(abase + t); stA(t, v); m = max(m, abs(v)); }
  for (var t = lid; t < NK; t += WG) { stX(t, ${identity ? "select(0.0, 1.0, t / K == t % K)" : "ldb(xbase + t)"}); }
  part[lid] = m;
  sync();
  if (lid == 0u) {
    var s = 0.0;
    for (var i = 0u; i < WG; i++) { s = max(s, part[i]); }
    tiny = f32(N) * EPS * s;
  }
  var failed = false;
  for (var k = 0u; k < N; k++) {
    sync();
    if (lid == 0u) {
      ${PIVOT_SEARCH}
      prow = p;
      pok = select(0u, 1u, best > tiny);
    }
    if (workgroupUniformLoad(&pok) == 0u) {
      if (lid == 0u) { mp_fail(${singular}u, mat); }
      failed = true;
      break;
    }
    let p = prow;
    if (p != k) {
      for (var j = k + lid; j < N; j += WG) { let t = ldA(k * N + j); stA(k * N + j, ldA(p * N + j)); stA(p * N + j, t); }
      for (var j = lid; j < K; j += WG) { let t = ldX(k * K + j); stX(k * K + j, ldX(p * K + j)); stX(p * K + j, t); }
    }
    sync();
    let rows = N - k - 1u;
    let cols = N - k - 1u + K;
    let piv = ldA(k * N + k);
    for (var e = lid; e < rows * cols; e += WG) {
      let i = k + 1u + e / cols;
      let c = e % cols;
      let f = ldA(i * N + k) / piv;
      if (c < N - k - 1u) {
        let j = k + 1u + c;
        stA(i * N + j, ldA(i * N + j) - f * ldA(k * N + j));
      } else {
        let j = c - (N - k - 1u);
        stX(i * K + j, ldX(i * K + j) - f * ldX(k * K + j));
      }
    }
  }
  sync();
  if (!failed) {
    for (var c = lid; c < K; c += WG) {
      for (var ii = 0u; ii < N; ii++) {
        let i = N - 1u - ii;
        var s = ldX(i * K + c);
        for (var p = i + 1u; p < N; p++) { s -= ldA(i * N + p) * ldX(p * K + c); }
        stX(i * K + c, s / ldA(i * N + i));
      }
    }
  }
  sync();
  for (var t = lid; t < NK; t += WG) {
    ${global ? "if (failed) { x[xbase + t] = bitcast<f32>(nanBits); }" : "x[xbase + t] = select(ldX(t), bitcast<f32>(nanBits), failed);"}
  }`;
  return ks.finish({ main, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), covers: [{ binding: "x", shape: [batch, n * k], tile: [1, n * k] }], workgroupBytes });
}

/**
 * X ([batch, n, k]) with A·X = B for A [batch, n, n] and B [batch, n, k] (equal batch: the caller
 * materialises any broadcast). Bindings: a, b (read), x (read_write), and `work` when
 * `solveScratchLength(batch, n, k)` > 0.
 */
export function solveKernel(batch: number, n: number, k: number, opts?: LinalgOptions): KernelSource {
  return solveLikeKernel("solve", batch, n, k, { a: load(0, [batch * n * n]), b: load(1, [batch * n * k]), x: 2, work: 3 }, opts).kernel;
}

/** A⁻¹ ([batch, n, n]): solve with B = I built in the kernel. Bindings: a (read), x (read_write), and `work` when `solveScratchLength(batch, n, n)` > 0. */
export function invKernel(batch: number, n: number, opts?: LinalgOptions): KernelSource {
  return solveLikeKernel("inv", batch, n, n, { a: load(0, [batch * n * n]), x: 1, work: 2 }, opts).kernel;
}
