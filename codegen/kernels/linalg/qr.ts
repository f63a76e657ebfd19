/**
 * Batched reduced QR by Householder reflections, one workgroup per matrix, normalised to R_jj ≥ 0
 * as numeric/linalg/qr.ts (the same reflector choice, so the f32 result follows the float64
 * reference). Column j: invocation 0 forms the reflector v (vᵀv = 2, or v = 0 for a zero column)
 * from A[j.., j]; then the trailing columns are reflected in parallel, one invocation per column.
 * Q is accumulated backwards from the first k columns of I, again one invocation per column; the
 * end flips row j of R and column j of Q where R_jj < 0.
 *
 * A (m×n), the reflectors (m×k) and Q (m×k) sit in workgroup memory while they fit; beyond, A and
 * the reflectors live in a trailing scratch binding `work` of qrScratchLength floats and Q is built
 * in the output `q`.
 */
import type { KernelBinding, KernelSource } from "../../kernel.js";
import { DEFAULT_WORKGROUP_STORAGE, type LinalgOptions, type Region, checkSizes, constants, declareBindings, declareRegion, declareSync, perMatrixCovers, perMatrixDispatch, perMatrixEntry, workgroupSizeFor } from "./common.js";

function plan(m: number, n: number, opts?: LinalgOptions) {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const k = Math.min(m, n);
  const wg = workgroupSizeFor(Math.max(n, k));
  const small = 8;
  const inWorkgroup = small + 4 * (m * n + 2 * m * k);
  const global = inWorkgroup > limit;
  return { k, wg, global, workgroupBytes: global ? small : inWorkgroup };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function qrScratchLength(batch: number, m: number, n: number, opts?: LinalgOptions): number {
  const p = plan(m, n, opts);
  return p.global ? batch * (m * n + m * p.k) : 0;
}

/**
 * Q ([batch, m, k]) and R ([batch, k, n]) of each a ([batch, m, n]), k = min(m, n), R_jj ≥ 0.
 * Bindings: a (read), q, r (read_write), and `work` when `qrScratchLength` > 0.
 */
export function qrKernel(batch: number, m: number, n: number, opts?: LinalgOptions): KernelSource {
  checkSizes("qr", { batch, m, n });
  const { k, wg, global, workgroupBytes } = plan(m, n, opts);
  const bindings: KernelBinding[] = [
    { name: "a", access: "read", elements: batch * m * n },
    { name: "q", access: "read_write", elements: batch * m * k },
    { name: "r", access: "read_write", elements: batch * k * n },
  ];
  if (global) bindings.push({ name: "work", access: "read_write", elements: qrScratchLength(batch, m, n, opts) });
  const regions: Region[] = global
    ? [
        { kind: "global", name: "A", binding: "work", base: "wbase" },
        { kind: "global", name: "V", binding: "work", base: "wbase + MN" },
        { kind: "global", name: "Q", binding: "q", base: "qbase" },
      ]
    : [
        { kind: "workgroup", name: "A", length: m * n },
        { kind: "workgroup", name: "V", length: m * k },
        { kind: "workgroup", name: "Q", length: m * k },
      ];
  const wgsl = `${declareBindings(bindings)}
${constants({ M: m, N: n, K: k, MN: m * n, MK: m * k, WG: wg })}

var<private> wbase: u32;
var<private> qbase: u32;
${regions.map(declareRegion).join("\n")}
${declareSync(global)}

${perMatrixEntry(wg, batch)}
  wbase = mat * (MN + MK);
  qbase = mat * MK;
  for (var t = lid; t < MN; t += WG) { stA(t, a[mat * MN + t]); }
  for (var t = lid; t < MK; t += WG) { stV(t, 0.0); stQ(t, select(0.0, 1.0, t / K == t % K)); }
  sync();
  for (var j = 0u; j < K; j++) {
    if (lid == 0u) {
      // v = x − αe₁ with α = −sign(x₀)‖x‖, scaled to vᵀv = 2 (V's column j, rows j..).
      var scale = 0.0;
      for (var i = j; i < M; i++) { scale = max(scale, abs(ldA(i * N + j))); }
      if (scale > 0.0) {
        var ss = 0.0;
        for (var i = j; i < M; i++) { let x = ldA(i * N + j) / scale; ss += x * x; }
        let nrm = scale * sqrt(ss);
        let x0 = ldA(j * N + j);
        let alpha = select(nrm, -nrm, x0 >= 0.0);
        var vv = 0.0;
        for (var i = j; i < M; i++) {
          let v = select(ldA(i * N + j), x0 - alpha, i == j);
          stV(i * K + j, v);
          vv += v * v;
        }
        let s = sqrt(2.0 / vv);
        for (var i = j; i < M; i++) { stV(i * K + j, ldV(i * K + j) * s); }
        stA(j * N + j, alpha);
        for (var i = j + 1u; i < M; i++) { stA(i * N + j, 0.0); }
      }
    }
    sync();
    // A[j.., c] ← (I − v vᵀ) A[j.., c] for the trailing columns c > j.
    for (var c = j + 1u + lid; c < N; c += WG) {
      var dot = 0.0;
      for (var i = j; i < M; i++) { dot += ldV(i * K + j) * ldA(i * N + c); }
      for (var i = j; i < M; i++) { stA(i * N + c, ldA(i * N + c) - dot * ldV(i * K + j)); }
    }
    sync();
  }
  // Q = H₀ H₁ … H_{k−1} I[:, :k], reflectors applied right to left, one invocation per column.
  for (var jj = 0u; jj < K; jj++) {
    let j = K - 1u - jj;
    for (var c = lid; c < K; c += WG) {
      var dot = 0.0;
      for (var i = j; i < M; i++) { dot += ldV(i * K + j) * ldQ(i * K + c); }
      for (var i = j; i < M; i++) { stQ(i * K + c, ldQ(i * K + c) - dot * ldV(i * K + j)); }
    }
    sync();
  }
  // R_jj ≥ 0: flip row j of R and column j of Q together.
  for (var t = lid; t < K * N; t += WG) {
    let i = t / N; let c = t % N;
    let flip = select(1.0, -1.0, ldA(i * N + i) < 0.0);
    r[mat * K * N + t] = select(0.0, flip * ldA(i * N + c), c >= i);
  }
  for (var t = lid; t < MK; t += WG) {
    let c = t % K;
    let flip = select(1.0, -1.0, ldA(c * N + c) < 0.0);
    q[qbase + t] = flip * ldQ(t);
  }
}
`;
  return {
    name: `qr_householder_${batch}x${m}x${n}${global ? "_global" : ""}`,
    wgsl,
    workgroupSize: [wg, 1, 1],
    dispatch: perMatrixDispatch(batch),
    bindings,
    covers: [perMatrixCovers(1, batch, m * k), perMatrixCovers(2, batch, k * n)],
    workgroupBytes,
  };
}
