/**
 * Batched determinants by Gaussian elimination with partial pivoting, one workgroup per matrix (the
 * elimination of solve.ts without a right-hand side): det A = det(P)·Π u_kk. The pivots' product is
 * kept as an f32 mantissa and an integer exponent (frexp), so it cannot overflow or underflow on the
 * way; `det` writes ldexp of it (±∞ only when the determinant itself is beyond f32, which the
 * runtime reports as a non-finite output), `slogdet` writes the sign and log|m| + e·ln 2.
 *
 * A column that is exactly zero on and below the diagonal is a zero pivot: det = 0 (as the CPU
 * kernel), and slogdet reports "singular" through its status word (log|det| = −∞), writing NaN.
 *
 * A sits in workgroup memory while n²·4 bytes fit, else in a trailing scratch binding `work` of
 * batch·n² floats (the input `a` is read-only).
 */
import type { KernelBinding, KernelSource } from "../../kernel.js";
import { STATUS_WGSL } from "../../status-wgsl.js";
import { DEFAULT_WORKGROUP_STORAGE, type LinalgOptions, type Region, checkSizes, constants, declareBindings, declareRegion, declareSync, perMatrixCovers, perMatrixDispatch, perMatrixEntry, workgroupSizeFor, PIVOT_SEARCH } from "./common.js";

function plan(n: number, opts?: LinalgOptions) {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const wg = workgroupSizeFor(n * n / 2);
  const small = 16; // pivot row, flag, mantissa, exponent
  const global = small + 4 * n * n > limit;
  return { wg, global, workgroupBytes: global ? small : small + 4 * n * n };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function detScratchLength(batch: number, n: number, opts?: LinalgOptions): number {
  return plan(n, opts).global ? batch * n * n : 0;
}

/**
 * `det` ([batch]) or `slogdet` ([batch] sign, [batch] log|det|) of each a ([batch, n, n]).
 * Bindings: a (read), the outputs (read_write), and `work` when `detScratchLength` > 0.
 */
export function detKernel(kind: "det" | "slogdet", batch: number, n: number, opts?: LinalgOptions): KernelSource {
  checkSizes(kind, { batch, n });
  const { wg, global, workgroupBytes } = plan(n, opts);
  const outs = kind === "det" ? ["det"] : ["sign", "logabs"];
  const bindings: KernelBinding[] = [{ name: "a", access: "read", elements: batch * n * n }, ...outs.map((name) => ({ name, access: "read_write" as const, elements: batch }))];
  if (global) bindings.push({ name: "work", access: "read_write", elements: detScratchLength(batch, n, opts) });
  const region: Region = global ? { kind: "global", name: "A", binding: "work", base: "abase" } : { kind: "workgroup", name: "A", length: n * n };
  const finish =
    kind === "det"
      ? "det[mat] = select(ldexp(mant, expo), 0.0, zero);"
      : `if (zero) { mp_fail(0u, mat); sign[mat] = bitcast<f32>(nanBits); logabs[mat] = bitcast<f32>(nanBits); }
    else { sign[mat] = select(1.0, -1.0, mant < 0.0); logabs[mat] = log(abs(mant)) + f32(expo) * 0.6931471805599453; }`;
  const wgsl = `${declareBindings(bindings)}
${constants({ N: n, NN: n * n, WG: wg })}
${kind === "slogdet" ? STATUS_WGSL : ""}
// NaN as a runtime value (a NaN constant expression is a shader-creation error).
var<private> nanBits: u32 = 0x7fc00000u;

var<private> abase: u32;
${declareRegion(region)}
var<workgroup> prow: u32;
var<workgroup> pzero: u32;
${declareSync(global)}

${perMatrixEntry(wg, batch)}
  abase = mat * NN;
  for (var t = lid; t < NN; t += WG) { stA(t, a[abase + t]); }
  // The running product of the pivots as mant·2^expo (only invocation 0 keeps it).
  var mant = 1.0;
  var expo = 0i;
  var zero = false;
  for (var k = 0u; k < N; k++) {
    sync();
    if (lid == 0u) {
      ${PIVOT_SEARCH}
      prow = p;
      pzero = select(0u, 1u, best == 0.0);
      if (best == 0.0) { zero = true; }
      else {
        if (p != k) { mant = -mant; }
        let f = frexp(mant * frexp(ldA(p * N + k)).fract);
        mant = f.fract;
        expo += f.exp + frexp(ldA(p * N + k)).exp;
      }
    }
    // A zero column has nothing to eliminate (and det is 0 already).
    if (workgroupUniformLoad(&pzero) == 1u) { continue; }
    let p = prow;
    if (p != k) {
      for (var j = k + lid; j < N; j += WG) { let t = ldA(k * N + j); stA(k * N + j, ldA(p * N + j)); stA(p * N + j, t); }
    }
    sync();
    let rows = N - k - 1u;
    let cols = N - k - 1u;
    let piv = ldA(k * N + k);
    for (var e = lid; e < rows * cols; e += WG) {
      let i = k + 1u + e / cols;
      let j = k + 1u + e % cols;
      stA(i * N + j, ldA(i * N + j) - ldA(i * N + k) / piv * ldA(k * N + j));
    }
  }
  if (lid == 0u) {
    ${finish}
  }
}
`;
  const covers = outs.map((_, k) => perMatrixCovers(1 + k, batch, 1));
  const checks = kind === "slogdet" ? { checks: [{ message: "slogdet failed: singular: slogdet: matrix {i} of the batch is singular (det = 0, log|det| = −∞)" }] } : {};
  return { name: `${kind}_lu_${batch}x${n}${global ? "_global" : ""}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers, workgroupBytes, ...checks };
}
