/**
 * Batched Cholesky factorisation A = L·Lᵀ (lower L), one workgroup per matrix, left-looking by
 * columns: for column j every invocation forms s_i = a_ij − Σ_{p<j} l_ip·l_jp for its rows i ≥ j,
 * the pivot s_j is checked once for the whole workgroup, then the column is scaled by 1/√s_j.
 * Two barriers per column.
 *
 * Reads only the lower triangle of `a` (no symmetry check, unlike the CPU kernel). A pivot at or
 * below n·eps_f32·max_i |a_ii| (for an SPD matrix max |a_ij| is on the diagonal) means "not
 * positive definite": the whole matrix is written as NaN, which the runtime's non-finite check
 * reports as a coded error.
 *
 * L sits in workgroup memory while n²·4 bytes fit the storage limit, and is built directly in the
 * output `l` beyond that (no scratch binding needed).
 */
import type { KernelBinding, KernelSource } from "../../../../runtime/webgpu/kernel.js";
import { DEFAULT_WORKGROUP_STORAGE, type LinalgOptions, type Region, checkSizes, constants, declareBindings, declareRegion, declareSync, perMatrixCovers, perMatrixDispatch, perMatrixEntry, workgroupSizeFor } from "./common.js";

/** L ([batch, n, n], zero above the diagonal) for each `a` ([batch, n, n]). Bindings: a (read), l (read_write). */
export function choleskyKernel(batch: number, n: number, opts?: LinalgOptions): KernelSource {
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
const EPS: f32 = 1.1920929e-7;
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
  for (var t = lid; t < NN; t += WG) { stL(t, select(0.0, a[ibase + t], t / N >= t % N)); }
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
    if (workgroupUniformLoad(&pok) == 0u) { failed = true; break; }
    let r = sqrt(pivot);
    for (var i = j + lid; i < N; i += WG) { stL(i * N + j, select(ldL(i * N + j) / r, r, i == j)); }
    sync();
  }
  sync();
  for (var t = lid; t < NN; t += WG) {
    ${global ? "if (failed) { l[ibase + t] = bitcast<f32>(nanBits); }" : "l[ibase + t] = select(ldL(t), bitcast<f32>(nanBits), failed);"}
  }
}
`;
  return { name: `cholesky_${batch}x${n}x${n}${global ? "_global" : ""}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers: [perMatrixCovers(1, batch, n * n)], workgroupBytes: global ? small : small + 4 * n * n };
}
