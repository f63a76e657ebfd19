/**
 * Batched thin SVD (numpy.linalg.svd(full_matrices=False) conventions) by one-sided Jacobi
 * (Hestenes), one workgroup per matrix.
 *
 * The kernel orthogonalises the columns of a tall working matrix G (M×K, M = max(m, n),
 * K = min(m, n)) by plane rotations, accumulating them in V (K×K): G·V stays equal to the start,
 * so at convergence G = U·diag(σ) with σ_j = ‖g_j‖. For m ≥ n, G = A. For m < n, G = Aᵀ (loaded
 * transposed), so Aᵀ = U'ΣV'ᵀ and A = V'ΣU'ᵀ: the kernel's V' is the answer's U and its normalised
 * G is the answer's V (written transposed into vh).
 *
 * Each round rotates K/2 disjoint column pairs at once in the round-robin ordering of eigh.ts. One
 * invocation per pair forms α = ‖g_p‖², β = ‖g_q‖², γ = g_p·g_q (serial over M: fine for the small
 * matrices this targets) and rotates when |γ| > tol·√α·√β; then all columns update in parallel. A
 * sweep that rotates nothing ends the iteration; a solver still rotating after MAX_SWEEPS sets its
 * status word ("no-convergence", reported at the node's source line) instead of returning what it
 * holds. The end sorts σ descending and makes the largest-magnitude entry of each U column positive
 * (first on ties; Vh's row follows), as runtime/cpu/kernels/svd.ts does. With `rank` the kernel
 * also reports a rank-deficient matrix (rangeProjector's test): σ_min ≤ max(m, n)·eps_f32·σ_max,
 * where an f32 singular value is round-off of zero.
 *
 * Memory: G and V in workgroup memory while they fit, else in a trailing scratch binding `work` of
 * `svdScratchLength(batch, m, n)` floats.
 */
import type { KernelBinding, KernelCheck, KernelSource } from "../../kernel.js";
import { STATUS_WGSL } from "../../status-wgsl.js";
import {
  DEFAULT_WORKGROUP_STORAGE,
  JACOBI_TAN,
  JACOBI_TOL,
  type LinalgOptions,
  MAX_SWEEPS,
  F32_EPS,
  noConvergence,
  PAIR_OF,
  type Region,
  SIGN_TIE,
  checkSizes,
  constants,
  declareBindings,
  declareRegion,
  declareSync,
  lit,
  perMatrixCovers,
  perMatrixDispatch,
  perMatrixEntry,
  workgroupSizeFor,
} from "./common.js";

function plan(m: number, n: number, opts?: LinalgOptions) {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const M = Math.max(m, n);
  const K = Math.min(m, n);
  const kp = K + (K % 2);
  const nb = kp / 2;
  const small = 4 * (2 * nb + 2 * K) + 8; // cs, sn; σ, perm; flags
  const inWorkgroup = small + 4 * (M * K + K * K);
  const global = inWorkgroup > limit;
  return { M, K, kp, nb, global, workgroupBytes: global ? small : inWorkgroup };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function svdScratchLength(batch: number, m: number, n: number, opts?: LinalgOptions): number {
  const p = plan(m, n, opts);
  return p.global ? batch * (p.M * p.K + p.K * p.K) : 0;
}

/**
 * Kernels computing U ([batch, m, k]), S ([batch, k], descending) and Vh ([batch, k, n]) of each
 * `a` ([batch, m, n]), k = min(m, n). Bindings: a (read), u, s, vh (read_write), and when
 * `svdScratchLength` > 0 a scratch `work`. One workgroup per matrix. A zero singular value gets a
 * zero column of U (m ≥ n) or row of Vh (m < n) rather than a completion of the basis.
 */
export function svdKernels(batch: number, m: number, n: number, opts?: LinalgOptions & { readonly rank?: boolean }): KernelSource[] {
  checkSizes("svd", { batch, m, n });
  const p = plan(m, n, opts);
  const { M, K, kp, nb, global } = p;
  const wide = m < n;
  const wg = workgroupSizeFor(Math.max(M, K) * nb);
  const bindings: KernelBinding[] = [
    { name: "a", access: "read", elements: batch * m * n },
    { name: "u", access: "read_write", elements: batch * m * K },
    { name: "s", access: "read_write", elements: batch * K },
    { name: "vh", access: "read_write", elements: batch * K * n },
  ];
  if (global) bindings.push({ name: "work", access: "read_write", elements: svdScratchLength(batch, m, n, opts) });
  const regions: Region[] = global
    ? [
        { kind: "global", name: "G", binding: "work", base: "wbase" },
        { kind: "global", name: "V", binding: "work", base: "wbase + MK" },
      ]
    : [
        { kind: "workgroup", name: "G", length: M * K },
        { kind: "workgroup", name: "V", length: K * K },
      ];
  // Output writes: column c of the answer's U (m×K) and row c of its Vh (K×n), from source column src.
  const writeOut = wide
    ? `for (var r = 0u; r < ${m}u; r++) { u[mat * ${m * K}u + r * K + c] = sg * ldV(r * K + src); }
    for (var j = 0u; j < ${n}u; j++) { vh[mat * ${K * n}u + c * ${n}u + j] = sg * inv * ldG(j * K + src); }`
    : `for (var r = 0u; r < ${m}u; r++) { u[mat * ${m * K}u + r * K + c] = sg * inv * ldG(r * K + src); }
    for (var j = 0u; j < ${n}u; j++) { vh[mat * ${K * n}u + c * ${n}u + j] = sg * ldV(j * K + src); }`;
  // The column that decides the sign: the answer's U column, i.e. G's (tall) or V's (wide).
  const signSrc = wide ? { ld: "ldV", rows: K } : { ld: "ldG", rows: M };
  const wgsl = `${declareBindings(bindings)}
${constants({ M, K, MK: M * K, KK: K * K, NP: kp, NB: nb, ROUNDS: kp - 1, WG: wg, SWEEPS: opts?.maxSweeps ?? MAX_SWEEPS })}
${STATUS_WGSL}
const TOL: f32 = ${lit(JACOBI_TOL)};
const TINY: f32 = 1e-35;

var<private> wbase: u32;
${regions.map(declareRegion).join("\n")}
var<workgroup> tau: array<f32, ${nb}>;
var<workgroup> sn: array<f32, ${nb}>;
var<workgroup> sig: array<f32, ${K}>;
var<workgroup> perm: array<u32, ${K}>;
var<workgroup> rotated: atomic<u32>;
var<workgroup> more: u32;
${declareSync(global)}
${PAIR_OF}
${JACOBI_TAN}

${perMatrixEntry(wg, batch)}
  let ibase = mat * ${m * n}u;
  wbase = mat * (MK + KK);
  for (var t = lid; t < MK; t += WG) {
    let i = t / K; let j = t % K;
    stG(t, a[ibase + ${wide ? `j * ${n}u + i` : `i * ${n}u + j`}]);
  }
  for (var t = lid; t < KK; t += WG) { stV(t, select(0.0, 1.0, t / K == t % K)); }
  var converged = false;
  for (var sweep = 0u; sweep < SWEEPS; sweep++) {
    if (lid == 0u) { atomicStore(&rotated, 0u); }
    sync();
    for (var r = 0u; r < ROUNDS; r++) {
      for (var k = lid; k < NB; k += WG) {
        let pq = pairOf(r, k);
        var c = 1.0; var s = 0.0;
        if (pq.y < K) {
          var al = 0.0; var be = 0.0; var ga = 0.0;
          for (var i = 0u; i < M; i++) {
            let x = ldG(i * K + pq.x); let y = ldG(i * K + pq.y);
            al += x * x; be += y * y; ga += x * y;
          }
          if (abs(ga) > TOL * sqrt(al) * sqrt(be) && abs(ga) > TINY) {
            let t = jacobiTan(al, be, ga);
            c = inverseSqrt(1.0 + t * t);
            s = t * c;
            atomicStore(&rotated, 1u);
          }
        }
        tau[k] = s / (1.0 + c); sn[k] = s;
      }
      sync();
      for (var e = lid; e < (M + K) * NB; e += WG) {
        let k = e % NB;
        let s = sn[k];
        if (s == 0.0) { continue; }
        let t = tau[k];
        let pq = pairOf(r, k);
        let row = e / NB;
        // Rutishauser's form x − s(y + τx), τ = s/(1 + c): less round-off for small rotations.
        if (row < M) {
          let x = ldG(row * K + pq.x); let y = ldG(row * K + pq.y);
          stG(row * K + pq.x, x - s * (y + t * x));
          stG(row * K + pq.y, y + s * (x - t * y));
        } else {
          let vr = row - M;
          let x = ldV(vr * K + pq.x); let y = ldV(vr * K + pq.y);
          stV(vr * K + pq.x, x - s * (y + t * x));
          stV(vr * K + pq.y, y + s * (x - t * y));
        }
      }
      sync();
    }
    if (lid == 0u) { more = atomicLoad(&rotated); }
    if (workgroupUniformLoad(&more) == 0u) { converged = true; break; }
  }
  if (!converged && lid == 0u) { mp_fail(0u, mat); }
  for (var c = lid; c < K; c += WG) {
    var ss = 0.0;
    for (var i = 0u; i < M; i++) { let x = ldG(i * K + c); ss += x * x; }
    sig[c] = sqrt(ss);
  }
  sync();
  // Descending order by rank (ties by index).
  for (var c = lid; c < K; c += WG) {
    let sc = sig[c];
    var rank = 0u;
    for (var k = 0u; k < K; k++) {
      let sk = sig[k];
      if (sk > sc || (sk == sc && k < c)) { rank++; }
    }
    perm[min(rank, K - 1u)] = c;
  }
  sync();
  ${opts?.rank ? `if (lid == 0u && !(sig[perm[K - 1u]] > ${lit(Math.max(m, n) * F32_EPS)} * sig[perm[0]])) { mp_fail(1u, mat); }` : ""}
  for (var c = lid; c < K; c += WG) {
    let src = perm[c];
    var mx = 0.0;
    for (var r = 0u; r < ${signSrc.rows}u; r++) { mx = max(mx, abs(${signSrc.ld}(r * K + src))); }
    var pick = 0.0;
    for (var r = 0u; r < ${signSrc.rows}u; r++) {
      let v = ${signSrc.ld}(r * K + src);
      if (abs(v) >= mx * (1.0 - ${lit(SIGN_TIE)})) { pick = v; break; }
    }
    let sg = select(1.0, -1.0, pick < 0.0);
    let sv = sig[src];
    let inv = select(0.0, 1.0 / sv, sv > 0.0);
    s[mat * K + c] = sv;
    ${writeOut}
  }
}
`;
  const name = `svd_jacobi_${batch}x${m}x${n}${global ? "_global" : ""}`;
  const covers = [perMatrixCovers(1, batch, m * K), perMatrixCovers(2, batch, K), perMatrixCovers(3, batch, K * n)];
  const checks: KernelCheck[] = [noConvergence("svd", opts)];
  const rankMessage = opts?.op === "polar" ? "polar: the matrix is rank deficient, so its polar factor is not unique" : "rangeProjector: Z is rank deficient";
  if (opts?.rank) checks.push({ message: `${opts.op ?? "svd"} failed: singular: ${rankMessage} (σ_min ≤ max(m, n)·eps_f32·σ_max, matrix {i} of the batch)` });
  return [{ name, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers, workgroupBytes: p.workgroupBytes, checks }];
}
