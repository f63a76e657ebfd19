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
 * `workgroupStorageBytes` (n ≤ 44 at the portable 16 KiB, n ≤ 63 at 32 KiB). Beyond that V moves to
 * global memory and A stays ("mixed": n = 64 at 32 KiB, where A's rotations, the most frequent
 * accesses, stay in workgroup memory), and beyond that both, in a trailing scratch binding `work`
 * of `eighScratchLength(batch, n)` floats (V then A per matrix; contents on entry do not matter) —
 * the outputs cannot hold them (u is n², w only n, `a` is read-only) — and barriers become
 * storage + workgroup barriers.
 *
 * Shape by problem size (measured on SwiftShader, scripts/bench-eigh-webgpu.ts; eighShape): small
 * matrices share a workgroup, a few invocations each, and larger ones get a workgroup sized to
 * the matrix rather than one invocation per 2×2 block.
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
  MAX_WG,
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
} from "./common.js";

interface EighPlan {
  readonly n: number;
  readonly np: number;
  readonly nb: number;
  /** Where A and V live: workgroup memory while they fit, else the scratch binding (V first, then A). */
  readonly aGlobal: boolean;
  readonly vGlobal: boolean;
  readonly workgroupBytes: number;
  /** Floats of scratch per matrix. */
  readonly scratch: number;
}

/** Memory of `g` matrices per workgroup (1 whenever a matrix needs the scratch binding). */
function plan(n: number, opts?: LinalgOptions, g = 1): EighPlan {
  const limit = opts?.workgroupStorageBytes ?? DEFAULT_WORKGROUP_STORAGE;
  const np = n + (n % 2);
  const nb = np / 2;
  // tau, sn, tn per pair; perm and sign per column; a rotated flag per matrix; the any-flag.
  const small = g * (4 * (3 * nb + 2 * n) + 4) + 4;
  const matrix = g * 4 * n * n;
  const vGlobal = small + 2 * matrix > limit;
  const aGlobal = small + matrix > limit;
  const workgroupBytes = small + (aGlobal ? 0 : matrix) + (vGlobal ? 0 : matrix);
  return { n, np, nb, aGlobal, vGlobal, workgroupBytes, scratch: (aGlobal ? n * n : 0) + (vGlobal ? n * n : 0) };
}

/** Floats of the `work` scratch binding the global-memory paths need (0: no such binding). */
export function eighScratchLength(batch: number, n: number, opts?: LinalgOptions): number {
  return batch * plan(n, opts).scratch;
}

/**
 * The kernel's shape: `g` matrices per workgroup, `wg` invocations, `per` = wg / g of them per
 * matrix. Measured on SwiftShader (scripts/bench-eigh-webgpu.ts, README "Kernels that fit the
 * device"): a barrier costs every invocation of the workgroup, so fewer invocations with more work
 * each win — n ≤ 8: 16 matrices of 2 invocations share a workgroup of 32 (2.4–7× over one
 * workgroup of 32 per matrix); n ≤ 32: one invocation per rotation pair, rounded up to 8 (8 at n = 16, 16 at n = 32;
 * 3–4.5× over one per 2×2 block, 128–256); beyond: 32. Options override the choice (benchmarks).
 */
export function eighShape(batch: number, n: number, opts?: LinalgOptions): { g: number; wg: number; per: number } {
  const nb = Math.ceil(n / 2);
  // Several matrices share a workgroup only while all of them fit its memory.
  const share = Math.min(16, batch);
  const small = n <= 8 && share > 1 && !plan(n, opts, share).vGlobal;
  const g = opts?.matricesPerWorkgroup ?? (small ? share : 1);
  const wg = opts?.workgroupSize ?? (small ? 2 * g : n <= 32 ? 8 * Math.ceil(nb / 8) : 32);
  if (!Number.isInteger(g) || g < 1 || !Number.isInteger(wg) || wg < g || wg % g !== 0 || wg > MAX_WG) throw new RangeError(`eigh: ${g} matrices per workgroup of ${wg} invocations`);
  return { g, wg, per: wg / g };
}

/** Where the eigensolver reads `a` (an expression: a buffer or a fused producer) and writes w, U and its scratch (value ids). */
export interface EighIO {
  readonly a: Expr;
  readonly w: number;
  readonly u: number;
  /** The scratch binding's value, when `eighScratchLength` > 0. */
  readonly work?: number;
}

/**
 * Kernels computing w ([batch, n], ascending) and U ([batch, n, n], eigenvectors as columns) of the
 * symmetric part of each `a` ([batch, n, n]), run alone: bindings a (read), w, u (read_write), and
 * when `eighScratchLength` > 0 a scratch `work` (read_write). One workgroup per matrix.
 */
export function eighKernels(batch: number, n: number, opts?: LinalgOptions): KernelSource[] {
  const io = { a: load(0, [batch * n * n]), w: 1, u: 2, work: 3 };
  return [eighKernel(batch, n, io, opts).kernel];
}

/**
 * The eigensolver kernel bound to the lowering's values: `io.a` is read through `lda(i)`, element i
 * of the [batch, n, n] operand in row-major order, so a fused producer (a covariance, a symmetric
 * combination) is evaluated as the matrix is loaded rather than in a kernel of its own.
 */
export function eighKernel(batch: number, n: number, io: EighIO, opts?: LinalgOptions): BuiltKernel {
  checkSizes("eigh", { batch, n });
  const shape = eighShape(batch, n, opts);
  const { g, wg, per } = shape;
  const p = plan(n, opts, g);
  const { np, nb, aGlobal, vGlobal } = p;
  if (vGlobal && g > 1) throw new RangeError(`eigh ${n}×${n}: ${g} matrices per workgroup do not fit the workgroup memory`);
  const global = vGlobal;
  const k = new KernelScaffold(`eigh_jacobi_${batch}x${n}x${n}${aGlobal ? "_global" : vGlobal ? "_mixed" : ""}`);
  const failed = k.check(noConvergence("eigh", opts));
  k.operand("lda", io.a);
  k.write("w", io.w, batch * n);
  k.write("u", io.u, batch * n * n);
  if (global) {
    if (io.work === undefined) throw new Error(`eigh ${n}×${n}: the global-memory path needs a scratch binding`);
    k.write("work", io.work, eighScratchLength(batch, n, opts));
  }
  const regions: Region[] = [
    aGlobal ? { kind: "global", name: "A", binding: "work", base: "wbase + NN" } : { kind: "workgroup", name: "A", length: g * n * n, base: "lbase" },
    vGlobal ? { kind: "global", name: "V", binding: "work", base: "wbase" } : { kind: "workgroup", name: "V", length: g * n * n, base: "lbase" },
  ];
  k.declare(`${constants({ N: n, NN: n * n, NP: np, NB: nb, ROUNDS: np - 1, G: g, PER: per, BATCH: batch, SWEEPS: opts?.maxSweeps ?? MAX_SWEEPS })}
const TOL: f32 = ${lit(JACOBI_TOL)};
const TINY: f32 = 1e-35;

// This invocation's matrix: its start in the workgroup arrays (A, V; the pair and column arrays).
var<private> wbase: u32;
var<private> lbase: u32;
var<private> pb: u32;
var<private> cb: u32;
${regions.map(declareRegion).join("\n")}
var<workgroup> tau: array<f32, ${g * nb}>;
var<workgroup> sn: array<f32, ${g * nb}>;
var<workgroup> tn: array<f32, ${g * nb}>;
var<workgroup> perm: array<u32, ${g * n}>;
var<workgroup> sgn: array<f32, ${g * n}>;
var<workgroup> rotated: array<atomic<u32>, ${g}>;
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
  let ti = tau[pb + bi]; let si = sn[pb + bi]; let tj = tau[pb + bj]; let sj = sn[pb + bj];
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
`);
  // Every invocation reaches every barrier: those of a matrix past the batch's end (the last
  // workgroup's spare slots) skip the work through `live`, never by returning.
  const main = `  let lm = lid / PER;
  let ll = lid % PER;
  let mat = group * G + lm;
  let live = mat < BATCH;
  let ibase = mat * NN;
  wbase = mat * ${p.scratch}u;
  lbase = lm * NN;
  pb = lm * NB;
  cb = lm * N;
  for (var t = ll; live && t < NN; t += PER) {
    let i = t / N; let j = t % N;
    stA(t, 0.5 * (lda(ibase + t) + lda(ibase + j * N + i)));
    stV(t, select(0.0, 1.0, i == j));
  }
  var converged = false;
  for (var sweep = 0u; sweep < SWEEPS; sweep++) {
    if (ll == 0u) { atomicStore(&rotated[lm], 0u); }
    sync();
    for (var r = 0u; r < ROUNDS; r++) {
      for (var k = ll; live && k < NB; k += PER) {
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
            atomicStore(&rotated[lm], 1u);
          }
        }
        tau[pb + k] = s / (1.0 + c); sn[pb + k] = s; tn[pb + k] = t;
      }
      sync();
      for (var b = ll; live && b < NB * NB; b += PER) {
        let bi = b / NB; let bj = b % NB;
        if (bi > bj || (sn[pb + bi] == 0.0 && sn[pb + bj] == 0.0)) { continue; }
        if (bi < bj) { rotateBlock(r, bi, bj); continue; }
        let pq = pairOf(r, bi);
        let apq = ldA(pq.x * N + pq.y);
        stA(pq.x * N + pq.x, ldA(pq.x * N + pq.x) - tn[pb + bi] * apq);
        stA(pq.y * N + pq.y, ldA(pq.y * N + pq.y) + tn[pb + bi] * apq);
        stA(pq.x * N + pq.y, 0.0);
        stA(pq.y * N + pq.x, 0.0);
      }
      for (var e = ll; live && e < N * NB; e += PER) {
        let row = e / NB; let k = e % NB;
        let s = sn[pb + k];
        if (s == 0.0) { continue; }
        let pq = pairOf(r, k);
        let v = rot(ldV(row * N + pq.x), ldV(row * N + pq.y), s, tau[pb + k]);
        stV(row * N + pq.x, v.x);
        stV(row * N + pq.y, v.y);
      }
      sync();
    }
    if (lid == 0u) {
      var still = 0u;
      for (var m = 0u; m < G; m++) { still = still | atomicLoad(&rotated[m]); }
      more = still;
    }
    if (workgroupUniformLoad(&more) == 0u) { converged = true; break; }
  }
  // At the sweep cap, the matrices that still rotated in the last sweep did not converge.
  if (!converged && live && ll == 0u && atomicLoad(&rotated[lm]) != 0u) { mp_fail(${failed}u, mat); }
  // Ascending order by rank (ties by index).
  for (var c = ll; live && c < N; c += PER) {
    let dc = ldA(c * N + c);
    var rank = 0u;
    for (var k = 0u; k < N; k++) {
      let dk = ldA(k * N + k);
      if (dk < dc || (dk == dc && k < c)) { rank++; }
    }
    perm[cb + min(rank, N - 1u)] = c;
  }
  sync();
  for (var c = ll; live && c < N; c += PER) {
    let src = perm[cb + c];
    var m = 0.0;
    for (var r = 0u; r < N; r++) { m = max(m, abs(ldV(r * N + src))); }
    var pick = 0.0;
    for (var r = 0u; r < N; r++) {
      let v = ldV(r * N + src);
      if (abs(v) >= m * (1.0 - ${lit(SIGN_TIE)})) { pick = v; break; }
    }
    sgn[cb + c] = select(1.0, -1.0, pick < 0.0);
    w[mat * N + c] = ldA(src * N + src);
  }
  sync();
  for (var t = ll; live && t < NN; t += PER) {
    let col = t % N;
    u[ibase + t] = sgn[cb + col] * ldV(t - col + perm[cb + col]);
  }`;
  return k.finish({
    main,
    workgroupSize: [wg, 1, 1],
    dispatch: perMatrixDispatch(Math.ceil(batch / g)),
    covers: [
      { binding: "w", shape: [batch, n], tile: [g, n] },
      { binding: "u", shape: [batch, n * n], tile: [g, n * n] },
    ],
    workgroupBytes: p.workgroupBytes,
  });
}
