/**
 * Batched symmetric eigensolver (numpy.linalg.eigh conventions): cyclic two-sided Jacobi with the
 * parallel round-robin pair ordering, one workgroup per matrix.
 *
 * Each round rotates NB = ⌈n/2⌉ disjoint pairs at once (n−1 rounds per sweep, odd n padded with a
 * dummy index that never rotates). A round is two phases separated by barriers:
 *  1. one invocation per pair decides its rotation with the relative test
 *     |a_pq| > tol·√|a_pp|·√|a_qq| (Demmel–Veselić: keeps small eigenvalues' relative accuracy)
 *     and stores (s, τ = s/(1+c), t = tan);
 *  2. A ← JᵀAJ by 2×2 blocks: block (i, j) of pairs i ≤ j reads and writes only its own four entries
 *     and their mirror, so all blocks update concurrently without races and A stays exactly
 *     symmetric; diagonal blocks take the closed form (a_pp − t·a_pq, a_qq + t·a_pq, 0). V ← VJ in the
 *     same phase.
 * A sweep that rotates nothing ends the iteration; a solver still rotating after MAX_SWEEPS sets its
 * status word ("no-convergence", reported at the node's source line) instead of returning what it
 * holds. The end sorts eigenvalues
 * ascending by rank (n is small), fixes each eigenvector's sign like the CPU kernel's
 * fixColumnSigns (its largest-magnitude entry positive, the first one on ties) and writes w and U.
 *
 * Memory: A and V sit in workgroup memory while 2·n²·4 bytes plus the small per-pair arrays fit
 * `workgroupStorageBytes` (n ≤ 44 at the 16 KiB default). Beyond that they live in global memory,
 * in a trailing scratch binding `work` of `eighScratchLength(batch, n)` floats (A then V per matrix;
 * contents on entry do not matter) — the outputs cannot hold them (u is n², w only n, `a` is
 * read-only) — and barriers become storage + workgroup barriers.
 */
import type { KernelBinding, KernelSource } from "../../kernel.js";
import { STATUS_WGSL } from "../../status-wgsl.js";
import {
  DEFAULT_WORKGROUP_STORAGE,
  JACOBI_TAN,
  JACOBI_TOL,
  type LinalgOptions,
  MAX_SWEEPS,
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

interface EighPlan {
  readonly n: number;
  readonly np: number;
  readonly nb: number;
  readonly global: boolean;
  readonly workgroupBytes: number;
}

function plan(n: number, opts?: LinalgOptions): EighPlan {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const np = n + (n % 2);
  const nb = np / 2;
  // cs, sn, tn per pair; perm and sign per column; the two flags.
  const small = 4 * (3 * nb + 2 * n) + 8;
  const inWorkgroup = small + 4 * 2 * n * n;
  const global = inWorkgroup > limit;
  return { n, np, nb, global, workgroupBytes: global ? small : inWorkgroup };
}

/** Floats of the `work` scratch binding the global-memory path needs (0: no such binding). */
export function eighScratchLength(batch: number, n: number, opts?: LinalgOptions): number {
  return plan(n, opts).global ? batch * 2 * n * n : 0;
}

/**
 * Kernels computing w ([batch, n], ascending) and U ([batch, n, n], eigenvectors as columns) of the
 * symmetric part of each `a` ([batch, n, n]). Bindings: a (read), w, u (read_write), and when
 * `eighScratchLength` > 0 a scratch `work` (read_write). One workgroup per matrix.
 */
export function eighKernels(batch: number, n: number, opts?: LinalgOptions): KernelSource[] {
  checkSizes("eigh", { batch, n });
  const p = plan(n, opts);
  const { np, nb, global } = p;
  const wg = workgroupSizeFor(Math.max(nb * nb, n * nb));
  const bindings: KernelBinding[] = [
    { name: "a", access: "read", elements: batch * n * n },
    { name: "w", access: "read_write", elements: batch * n },
    { name: "u", access: "read_write", elements: batch * n * n },
  ];
  if (global) bindings.push({ name: "work", access: "read_write", elements: eighScratchLength(batch, n, opts) });
  const regions: Region[] = global
    ? [
        { kind: "global", name: "A", binding: "work", base: "wbase" },
        { kind: "global", name: "V", binding: "work", base: "wbase + NN" },
      ]
    : [
        { kind: "workgroup", name: "A", length: n * n },
        { kind: "workgroup", name: "V", length: n * n },
      ];
  const wgsl = `${declareBindings(bindings)}
${constants({ N: n, NN: n * n, NP: np, NB: nb, ROUNDS: np - 1, WG: wg, SWEEPS: opts?.maxSweeps ?? MAX_SWEEPS })}
${STATUS_WGSL}
const TOL: f32 = ${lit(JACOBI_TOL)};
const TINY: f32 = 1e-35;

var<private> wbase: u32;
${regions.map(declareRegion).join("\n")}
var<workgroup> tau: array<f32, ${nb}>;
var<workgroup> sn: array<f32, ${nb}>;
var<workgroup> tn: array<f32, ${nb}>;
var<workgroup> perm: array<u32, ${n}>;
var<workgroup> sgn: array<f32, ${n}>;
var<workgroup> rotated: atomic<u32>;
var<workgroup> more: u32;
${declareSync(global)}
${PAIR_OF}
${JACOBI_TAN}

// Entry (i, j) of A, 0 for the padding index (odd n).
fn ldA2(i: u32, j: u32) -> f32 { if (i < N && j < N) { return ldA(i * N + j); } return 0.0; }
fn stA2(i: u32, j: u32, v: f32) { if (i < N && j < N) { stA(i * N + j, v); stA(j * N + i, v); } }

// Block (bi, bj), bi < bj, of JᵀAJ (and its mirror).
fn rotateBlock(r: u32, bi: u32, bj: u32) {
  let pi = pairOf(r, bi);
  let pj = pairOf(r, bj);
  let ti = tau[bi]; let si = sn[bi]; let tj = tau[bj]; let sj = sn[bj];
  let x = ldA2(pi.x, pj.x); let y = ldA2(pi.x, pj.y);
  let z = ldA2(pi.y, pj.x); let ww = ldA2(pi.y, pj.y);
  // columns by pair j, then rows by pair i
  let x1 = x - sj * (y + tj * x); let y1 = y + sj * (x - tj * y);
  let z1 = z - sj * (ww + tj * z); let w1 = ww + sj * (z - tj * ww);
  stA2(pi.x, pj.x, x1 - si * (z1 + ti * x1));
  stA2(pi.y, pj.x, z1 + si * (x1 - ti * z1));
  stA2(pi.x, pj.y, y1 - si * (w1 + ti * y1));
  stA2(pi.y, pj.y, w1 + si * (y1 - ti * w1));
}

// (x, y) ← (c·x − s·y, s·x + c·y) in Rutishauser's form x − s(y + τx), τ = s/(1 + c): smaller
// round-off for the many small rotations of the late sweeps.
fn rot(x: f32, y: f32, s: f32, t: f32) -> vec2<f32> { return vec2<f32>(x - s * (y + t * x), y + s * (x - t * y)); }

${perMatrixEntry(wg, batch)}
  let ibase = mat * NN;
  wbase = mat * 2u * NN;
  for (var t = lid; t < NN; t += WG) {
    let i = t / N; let j = t % N;
    stA(t, 0.5 * (a[ibase + t] + a[ibase + j * N + i]));
    stV(t, select(0.0, 1.0, i == j));
  }
  var converged = false;
  for (var sweep = 0u; sweep < SWEEPS; sweep++) {
    if (lid == 0u) { atomicStore(&rotated, 0u); }
    sync();
    for (var r = 0u; r < ROUNDS; r++) {
      for (var k = lid; k < NB; k += WG) {
        let pq = pairOf(r, k);
        var c = 1.0; var s = 0.0; var t = 0.0;
        if (pq.y < N) {
          let apq = ldA(pq.x * N + pq.y);
          let app = ldA(pq.x * N + pq.x);
          let aqq = ldA(pq.y * N + pq.y);
          if (abs(apq) > TOL * sqrt(abs(app)) * sqrt(abs(aqq)) && abs(apq) > TINY) {
            t = jacobiTan(app, aqq, apq);
            c = inverseSqrt(1.0 + t * t);
            s = t * c;
            atomicStore(&rotated, 1u);
          }
        }
        tau[k] = s / (1.0 + c); sn[k] = s; tn[k] = t;
      }
      sync();
      for (var b = lid; b < NB * NB; b += WG) {
        let bi = b / NB; let bj = b % NB;
        if (bi > bj || (sn[bi] == 0.0 && sn[bj] == 0.0)) { continue; }
        if (bi < bj) { rotateBlock(r, bi, bj); continue; }
        let pq = pairOf(r, bi);
        let apq = ldA(pq.x * N + pq.y);
        stA(pq.x * N + pq.x, ldA(pq.x * N + pq.x) - tn[bi] * apq);
        stA(pq.y * N + pq.y, ldA(pq.y * N + pq.y) + tn[bi] * apq);
        stA(pq.x * N + pq.y, 0.0);
        stA(pq.y * N + pq.x, 0.0);
      }
      for (var e = lid; e < N * NB; e += WG) {
        let row = e / NB; let k = e % NB;
        let s = sn[k];
        if (s == 0.0) { continue; }
        let pq = pairOf(r, k);
        let v = rot(ldV(row * N + pq.x), ldV(row * N + pq.y), s, tau[k]);
        stV(row * N + pq.x, v.x);
        stV(row * N + pq.y, v.y);
      }
      sync();
    }
    if (lid == 0u) { more = atomicLoad(&rotated); }
    if (workgroupUniformLoad(&more) == 0u) { converged = true; break; }
  }
  if (!converged && lid == 0u) { mp_fail(0u, mat); }
  // Ascending order by rank (ties by index).
  for (var c = lid; c < N; c += WG) {
    let dc = ldA(c * N + c);
    var rank = 0u;
    for (var k = 0u; k < N; k++) {
      let dk = ldA(k * N + k);
      if (dk < dc || (dk == dc && k < c)) { rank++; }
    }
    perm[min(rank, N - 1u)] = c;
  }
  sync();
  for (var c = lid; c < N; c += WG) {
    let src = perm[c];
    var m = 0.0;
    for (var r = 0u; r < N; r++) { m = max(m, abs(ldV(r * N + src))); }
    var pick = 0.0;
    for (var r = 0u; r < N; r++) {
      let v = ldV(r * N + src);
      if (abs(v) >= m * (1.0 - ${lit(SIGN_TIE)})) { pick = v; break; }
    }
    sgn[c] = select(1.0, -1.0, pick < 0.0);
    w[mat * N + c] = ldA(src * N + src);
  }
  sync();
  for (var t = lid; t < NN; t += WG) {
    let col = t % N;
    u[ibase + t] = sgn[col] * ldV(t - col + perm[col]);
  }
}
`;
  const name = `eigh_jacobi_${batch}x${n}x${n}${global ? "_global" : ""}`;
  const covers = [perMatrixCovers(1, batch, n), perMatrixCovers(2, batch, n * n)];
  return [{ name, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers, workgroupBytes: p.workgroupBytes, checks: [noConvergence("eigh", opts)] }];
}
