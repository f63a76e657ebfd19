/**
 * Batched Cholesky factorisation A = L·Lᵀ (lower L), one workgroup per matrix, left-looking by
 * columns: for column j every invocation forms s_i = a_ij − Σ_{p<j} l_ip·l_jp for its rows i ≥ j,
 * the pivot s_j is checked once for the whole workgroup, then the column is scaled by 1/√s_j.
 * Two barriers per column.
 *
 * Factors the lower triangle of `a`; like the CPU kernel it first checks that `a` is symmetric
 * (|a_ij − a_ji| ≤ F32_SYMMETRY_TOL·max_i |a_ii|). A pivot at or below n·eps_f32·max_i |a_ii| (for an
 * SPD matrix max |a_ij| is on the diagonal) means "not positive definite". Either failure sets the
 * kernel's status word (the runtime reports it as the CPU does: MP5001 at the cholesky line), and a
 * failed factor is also written as NaN.
 *
 * L sits in workgroup memory while n²·4 bytes fit the storage limit, and is built directly in the
 * output `l` beyond that (no scratch binding needed).
 */
import type { KernelBinding, KernelCheck, KernelSource } from "../../kernel.js";
import { STATUS_WGSL } from "../../status-wgsl.js";
import { DEFAULT_WORKGROUP_STORAGE, F32_EPS, F32_SYMMETRY_TOL, lit, type LinalgOptions, type Region, checkSizes, constants, declareBindings, declareRegion, declareSync, perMatrixCovers, perMatrixDispatch, perMatrixEntry, workgroupSizeFor } from "./common.js";

/**
 * L ([batch, n, n], zero above the diagonal) for each `a` ([batch, n, n]). Bindings: a (read),
 * l (read_write). With `assume` the kernel is `ops.assume(a, "spd")`: the same checks, and `l`
 * receives a copy of `a` instead of the factor.
 */
export function choleskyKernel(batch: number, n: number, opts?: LinalgOptions & { readonly assume?: boolean }): KernelSource {
  checkSizes("cholesky", { batch, n });
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const small = 8;
  const global = small + 4 * n * n > limit;
  const wg = workgroupSizeFor(n);
  const bindings: KernelBinding[] = [
    { name: "a", access: "read", elements: batch * n * n },
    { name: "l", access: "read_write", elements: batch * n * n },
  ];
  const region: Region = global ? { kind: "global", name: "L", binding: "l", base: "ibase" } : { kind: "workgroup", name: "L", length: n * n };
  const wgsl = `${declareBindings(bindings)}
${constants({ N: n, NN: n * n, WG: wg })}
${STATUS_WGSL}
const EPS: f32 = ${lit(F32_EPS)};
const SYM: f32 = ${lit(F32_SYMMETRY_TOL)};
// NaN as a runtime value (a NaN constant expression is a shader-creation error).
var<private> nanBits: u32 = 0x7fc00000u;

var<private> ibase: u32;
${declareRegion(region)}
var<workgroup> pivot: f32;
var<workgroup> pok: u32;
${declareSync(global)}

${perMatrixEntry(wg, batch)}
  ibase = mat * NN;
  var scale = 0.0;
  for (var i = 0u; i < N; i++) { scale = max(scale, abs(a[ibase + i * N + i])); }
  let tiny = f32(N) * EPS * scale;
  for (var t = lid; t < NN; t += WG) {
    let i = t / N; let j = t % N;
    if (i > j && abs(a[ibase + t] - a[ibase + j * N + i]) > SYM * scale) { mp_fail(0u, mat); }
    stL(t, select(0.0, a[ibase + t], i >= j));
  }
  sync();
  var failed = false;
  for (var j = 0u; j < N; j++) {
    for (var i = j + lid; i < N; i += WG) {
      var s = ldL(i * N + j);
      for (var p = 0u; p < j; p++) { s -= ldL(i * N + p) * ldL(j * N + p); }
      stL(i * N + j, s);
    }
    sync();
    if (lid == 0u) { pivot = ldL(j * N + j); pok = select(0u, 1u, pivot > tiny); }
    if (workgroupUniformLoad(&pok) == 0u) {
      if (lid == 0u) { mp_fail(1u, mat); }
      failed = true;
      break;
    }
    let r = sqrt(pivot);
    for (var i = j + lid; i < N; i += WG) { stL(i * N + j, select(ldL(i * N + j) / r, r, i == j)); }
    sync();
  }
  sync();
  for (var t = lid; t < NN; t += WG) {
    ${opts?.assume ? "l[ibase + t] = a[ibase + t];" : global ? "if (failed) { l[ibase + t] = bitcast<f32>(nanBits); }" : "l[ibase + t] = select(ldL(t), bitcast<f32>(nanBits), failed);"}
  }
}
`;
  const name = `${opts?.assume ? "assume_spd" : "cholesky"}_${batch}x${n}x${n}${global ? "_global" : ""}`;
  return { name, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers: [perMatrixCovers(1, batch, n * n)], workgroupBytes: global ? small : small + 4 * n * n, checks: opts?.assume ? ASSUME_SPD_CHECKS : CHOLESKY_CHECKS };
}

const where = "matrix {i} of the batch";
/** Word 0: not symmetric; word 1: not positive definite (the CPU executor's kinds and wording). */
const CHOLESKY_CHECKS: KernelCheck[] = [
  { message: `cholesky failed: not-symmetric: cholesky: ${where} is not symmetric (|a_ij − a_ji| > ${F32_SYMMETRY_TOL}·max|a_ii| in f32)` },
  { message: `cholesky failed: not-spd: cholesky: ${where} is not positive definite (a pivot ≤ n·eps_f32·max|a_ii|)` },
];
const ASSUME_SPD_CHECKS: KernelCheck[] = [
  { message: `assume failed: not-symmetric: not symmetric (${where}: |a_ij − a_ji| > ${F32_SYMMETRY_TOL}·max|a_ii| in f32)` },
  { message: `assume failed: not-spd: symmetric but not positive definite (Cholesky failed: ${where} has a pivot ≤ n·eps_f32·max|a_ii|)` },
];
