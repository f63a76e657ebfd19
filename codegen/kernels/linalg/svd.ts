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
 * (first on ties; Vh's row follows), as numeric/linalg/svd.ts does. With `rank` the kernel
 * also reports a rank-deficient matrix (rangeProjector's test): σ_min ≤ max(m, n)·eps_f32·σ_max,
 * where an f32 singular value is round-off of zero.
 *
 * Memory: G and V in workgroup memory while they fit, else in a trailing scratch binding `work` of
 * `svdScratchLength(batch, m, n)` floats.
 */
import type { KernelSource } from "../../kernel.js";
import { type Expr, load } from "../../expr.js";
import { type BuiltKernel, KernelScaffold } from "../scaffold.js";
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
  declareRegion,
  declareSync,
  lit,
  perMatrixDispatch,
  MAX_WG,
} from "./common.js";

/** Memory of `g` matrices per workgroup (1 on the global-memory path). */
function plan(m: number, n: number, opts?: LinalgOptions, g = 1) {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const M = Math.max(m, n);
  const K = Math.min(m, n);
  const kp = K + (K % 2);
  const nb = kp / 2;
  const small = g * (4 * (2 * nb + 2 * K) + 4) + 4; // tau, sn; σ, perm; a rotated flag per matrix; the any-flag
  const inWorkgroup = small + g * 4 * (M * K + K * K);
  const global = inWorkgroup > limit;
  return { M, K, kp, nb, global, workgroupBytes: global ? small : inWorkgroup };
}

/**
 * The kernel's shape, as for the eigensolver (eigh.ts eighShape; scripts/bench-eigh-webgpu.ts
 * --solver svd): K ≤ 8 puts up to 16 matrices of 2 invocations in a workgroup; K ≤ 32 gets one
 * invocation per rotation pair (rounded up to 8); beyond, 32. Options override (benchmarks).
 */
export function svdShape(batch: number, m: number, n: number, opts?: LinalgOptions): { g: number; wg: number; per: number } {
  const K = Math.min(m, n);
  const nb = Math.ceil(K / 2);
  const share = Math.min(16, batch);
  const small = K <= 8 && share > 1 && !plan(m, n, opts, share).global;
  const g = opts?.matricesPerWorkgroup ?? (small ? share : 1);
  const wg = opts?.workgroupSize ?? (small ? 2 * g : K <= 32 ? 8 * Math.ceil(nb / 8) : 32);
  if (!Number.isInteger(g) || g < 1 || !Number.isInteger(wg) || wg < g || wg % g !== 0 || wg > MAX_WG) throw new RangeError(`svd: ${g} matrices per workgroup of ${wg} invocations`);
  return { g, wg, per: wg / g };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function svdScratchLength(batch: number, m: number, n: number, opts?: LinalgOptions): number {
  const p = plan(m, n, opts);
  return p.global ? batch * (p.M * p.K + p.K * p.K) : 0;
}

/** Where the SVD reads `a` (an expression: a buffer or a fused producer) and writes U, S, Vh and its scratch (value ids). */
export interface SvdIO {
  readonly a: Expr;
  readonly u: number;
  readonly s: number;
  readonly vh: number;
  /** The scratch binding's value, when `svdScratchLength` > 0. */
  readonly work?: number;
}

type SvdOptions = LinalgOptions & { readonly rank?: boolean };

/**
 * Kernels computing U ([batch, m, k]), S ([batch, k], descending) and Vh ([batch, k, n]) of each
 * `a` ([batch, m, n]), k = min(m, n), run alone: bindings a (read), u, s, vh (read_write), and when
 * `svdScratchLength` > 0 a scratch `work`. One workgroup per matrix. A zero singular value gets a
 * zero column of U (m ≥ n) or row of Vh (m < n) rather than a completion of the basis.
 */
export function svdKernels(batch: number, m: number, n: number, opts?: SvdOptions): KernelSource[] {
  const io = { a: load(0, [batch * m * n]), u: 1, s: 2, vh: 3, work: 4 };
  return [svdKernel(batch, m, n, io, opts).kernel];
}

/**
 * The SVD kernel bound to the lowering's values: `io.a` is read through `lda(i)`, element i of the
 * [batch, m, n] operand in row-major order, so a fused producer (D^-½·F of a normalised cut) is
 * evaluated as the matrix is loaded.
 */
export function svdKernel(batch: number, m: number, n: number, io: SvdIO, opts?: SvdOptions): BuiltKernel {
  checkSizes("svd", { batch, m, n });
  const { g, wg, per } = svdShape(batch, m, n, opts);
  const p = plan(m, n, opts, g);
  const { M, K, kp, nb, global } = p;
  if (global && g > 1) throw new RangeError(`svd ${m}×${n}: ${g} matrices per workgroup do not fit the workgroup memory`);
  const wide = m < n;
  const k = new KernelScaffold(`svd_jacobi_${batch}x${m}x${n}${global ? "_global" : ""}`);
  const failed = k.check(noConvergence("svd", opts));
  const rankMessage = opts?.op === "polar" ? "polar: the matrix is rank deficient, so its polar factor is not unique" : "rangeProjector: Z is rank deficient";
  const deficient = opts?.rank ? k.check({ message: `${opts.op ?? "svd"} failed: singular: ${rankMessage} (σ_min ≤ max(m, n)·eps_f32·σ_max, matrix {i} of the batch)` }) : -1;
  k.operand("lda", io.a);
  k.write("u", io.u, batch * m * K);
  k.write("s", io.s, batch * K);
  k.write("vh", io.vh, batch * K * n);
  if (global) {
    if (io.work === undefined) throw new Error(`svd ${m}×${n}: the global-memory path needs a scratch binding`);
    k.write("work", io.work, svdScratchLength(batch, m, n, opts));
  }
  const regions: Region[] = global
    ? [
        { kind: "global", name: "G", binding: "work", base: "wbase" },
        { kind: "global", name: "V", binding: "work", base: "wbase + MK" },
      ]
    : [
        { kind: "workgroup", name: "G", length: g * M * K, base: "gbase" },
        { kind: "workgroup", name: "V", length: g * K * K, base: "vbase" },
      ];
  // Output writes: column c of the answer's U (m×K) and row c of its Vh (K×n), from source column src.
  const writeOut = wide
    ? `for (var r = 0u; r < ${m}u; r++) { u[mat * ${m * K}u + r * K + c] = sg * ldV(r * K + src); }
    for (var j = 0u; j < ${n}u; j++) { vh[mat * ${K * n}u + c * ${n}u + j] = sg * inv * ldG(j * K + src); }`
    : `for (var r = 0u; r < ${m}u; r++) { u[mat * ${m * K}u + r * K + c] = sg * inv * ldG(r * K + src); }
    for (var j = 0u; j < ${n}u; j++) { vh[mat * ${K * n}u + c * ${n}u + j] = sg * ldV(j * K + src); }`;
  // The column that decides the sign: the answer's U column, i.e. G's (tall) or V's (wide).
  const signSrc = wide ? { ld: "ldV", rows: K } : { ld: "ldG", rows: M };
  k.declare(`${constants({ M, K, MK: M * K, KK: K * K, NP: kp, NB: nb, ROUNDS: kp - 1, G: g, PER: per, BATCH: batch, SWEEPS: opts?.maxSweeps ?? MAX_SWEEPS })}
const TOL: f32 = ${lit(JACOBI_TOL)};
const TINY: f32 = 1e-35;

// This invocation's matrix: its start in the scratch binding, the workgroup arrays and the per-pair/per-column arrays.
var<private> wbase: u32;
var<private> gbase: u32;
var<private> vbase: u32;
var<private> pb: u32;
var<private> cb: u32;
${regions.map(declareRegion).join("\n")}
var<workgroup> tau: array<f32, ${g * nb}>;
var<workgroup> sn: array<f32, ${g * nb}>;
var<workgroup> sig: array<f32, ${g * K}>;
var<workgroup> perm: array<u32, ${g * K}>;
var<workgroup> rotated: array<atomic<u32>, ${g}>;
var<workgroup> more: u32;
${declareSync(global)}
${PAIR_OF}
${JACOBI_TAN}

`);
  // Every invocation reaches every barrier: those of a matrix past the batch's end skip the work
  // through `live`, never by returning.
  const main = `  let lm = lid / PER;
  let ll = lid % PER;
  let mat = group * G + lm;
  let live = mat < BATCH;
  let ibase = mat * ${m * n}u;
  wbase = mat * (MK + KK);
  gbase = lm * MK;
  vbase = lm * KK;
  pb = lm * NB;
  cb = lm * K;
  for (var t = ll; live && t < MK; t += PER) {
    let i = t / K; let j = t % K;
    stG(t, lda(ibase + ${wide ? `j * ${n}u + i` : `i * ${n}u + j`}));
  }
  for (var t = ll; live && t < KK; t += PER) { stV(t, select(0.0, 1.0, t / K == t % K)); }
  var converged = false;
  for (var sweep = 0u; sweep < SWEEPS; sweep++) {
    if (ll == 0u) { atomicStore(&rotated[lm], 0u); }
    sync();
    for (var r = 0u; r < ROUNDS; r++) {
      for (var k = ll; live && k < NB; k += PER) {
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
            atomicStore(&rotated[lm], 1u);
          }
        }
        tau[pb + k] = s / (1.0 + c); sn[pb + k] = s;
      }
      sync();
      for (var e = ll; live && e < (M + K) * NB; e += PER) {
        let k = e % NB;
        let s = sn[pb + k];
        if (s == 0.0) { continue; }
        let t = tau[pb + k];
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
    if (lid == 0u) {
      var still = 0u;
      for (var q = 0u; q < G; q++) { still = still | atomicLoad(&rotated[q]); }
      more = still;
    }
    if (workgroupUniformLoad(&more) == 0u) { converged = true; break; }
  }
  // At the sweep cap, the matrices that still rotated in the last sweep did not converge.
  if (!converged && live && ll == 0u && atomicLoad(&rotated[lm]) != 0u) { mp_fail(${failed}u, mat); }
  for (var c = ll; live && c < K; c += PER) {
    var ss = 0.0;
    for (var i = 0u; i < M; i++) { let x = ldG(i * K + c); ss += x * x; }
    sig[cb + c] = sqrt(ss);
  }
  sync();
  // Descending order by rank (ties by index).
  for (var c = ll; live && c < K; c += PER) {
    let sc = sig[cb + c];
    var rank = 0u;
    for (var k = 0u; k < K; k++) {
      let sk = sig[cb + k];
      if (sk > sc || (sk == sc && k < c)) { rank++; }
    }
    perm[cb + min(rank, K - 1u)] = c;
  }
  sync();
  ${opts?.rank ? `if (live && ll == 0u && !(sig[cb + perm[cb + K - 1u]] > ${lit(Math.max(m, n) * F32_EPS)} * sig[cb + perm[cb + 0]])) { mp_fail(${deficient}u, mat); }` : ""}
  for (var c = ll; live && c < K; c += PER) {
    let src = perm[cb + c];
    var mx = 0.0;
    for (var r = 0u; r < ${signSrc.rows}u; r++) { mx = max(mx, abs(${signSrc.ld}(r * K + src))); }
    var pick = 0.0;
    for (var r = 0u; r < ${signSrc.rows}u; r++) {
      let v = ${signSrc.ld}(r * K + src);
      if (abs(v) >= mx * (1.0 - ${lit(SIGN_TIE)})) { pick = v; break; }
    }
    let sg = select(1.0, -1.0, pick < 0.0);
    let sv = sig[cb + src];
    let inv = select(0.0, 1.0 / sv, sv > 0.0);
    s[mat * K + c] = sv;
    ${writeOut}
  }`;
  return k.finish({
    main,
    workgroupSize: [wg, 1, 1],
    dispatch: perMatrixDispatch(Math.ceil(batch / g)),
    covers: [
      { binding: "u", shape: [batch, m * K], tile: [g, m * K] },
      { binding: "s", shape: [batch, K], tile: [g, K] },
      { binding: "vh", shape: [batch, K * n], tile: [g, K * n] },
    ],
    workgroupBytes: p.workgroupBytes,
  });
}
