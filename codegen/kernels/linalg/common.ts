/**
 * Scaffolding the linear-algebra kernels share. Each of them runs one workgroup per matrix and keeps
 * its working matrices either in workgroup memory (while they fit the device's
 * maxComputeWorkgroupStorageSize, 16 KiB by default) or, beyond that, in global memory: a region of
 * an output binding or of a trailing scratch binding `work`. The WGSL is written once against small
 * accessor functions (`ldA(i)`, `stA(i, v)`, `sync()`) whose bodies pick the memory, so the two paths
 * cannot drift apart.
 */
import { F32_STRUCTURE } from "../../../numeric/structure-check.js";
import { type Coverage, type KernelBinding, type KernelCheck, grid } from "../../kernel.js";

/** The portable default of maxComputeWorkgroupStorageSize. */
export const DEFAULT_WORKGROUP_STORAGE = 16384;

/** Most invocations per workgroup the kernels use (the portable maxComputeInvocationsPerWorkgroup). */
export const MAX_WG = 256;

/**
 * Sweep cap of the Jacobi solvers; f32 inputs converge in well under 15 sweeps. A solver still
 * rotating after the last sweep reports "no-convergence" through the status buffer rather than
 * returning what it holds.
 */
export const MAX_SWEEPS = 30;

/** f32 unit round-off (2⁻²³), the scale of the kernels' relative pivot and eigenvalue tests. */
export const F32_EPS = 1.1920929e-7;

/**
 * Relative asymmetry |a_ij − a_ji| > F32_SYMMETRY_TOL·max|a| at which a matrix counts as not
 * symmetric (cholesky, assume): the f32 tolerance bundles also check declared inputs with
 * (numeric/structure-check.ts F32_STRUCTURE, which says why). The CPU uses 1e-8 / 1e-10 in f64.
 */
export const F32_SYMMETRY_TOL = F32_STRUCTURE.relative;

/** Relative rotation threshold of the Jacobi solvers: about f32's unit round-off. */
export const JACOBI_TOL = 1e-7;

/**
 * Two entries whose magnitudes agree to this relative amount count as tied when picking the entry
 * that decides a column's sign (the CPU kernels use 1e-9 in f64; f32 results carry ~1e-6 errors).
 */
export const SIGN_TIE = 1e-5;

export interface LinalgOptions {
  /** The device's maxComputeWorkgroupStorageSize (default: the portable 16384). */
  readonly workgroupStorageBytes?: number;
  /** The Jacobi solvers' sweep cap (default MAX_SWEEPS; tests lower it to see the failure reported). */
  readonly maxSweeps?: number;
  /** The IR op the kernel is lowered for (logm runs an eigh kernel), named by its failure messages. */
  readonly op?: string;
  /** Invocations per workgroup instead of the solver's own choice by problem size (benchmarks compare shapes). */
  readonly workgroupSize?: number;
  /** Matrices per workgroup instead of the solver's own choice (eigh; benchmarks compare shapes). */
  readonly matricesPerWorkgroup?: number;
}

/** The status word a Jacobi solver sets at its sweep cap. */
export function noConvergence(solver: "eigh" | "svd", opts?: LinalgOptions): KernelCheck {
  const sweeps = opts?.maxSweeps ?? MAX_SWEEPS;
  return { message: `${opts?.op ?? solver} failed: no-convergence: ${solver}: the Jacobi solver did not converge in ${sweeps} sweeps (matrix {i} of the batch)` };
}

/** Where a working matrix lives. */
export type Region =
  /** `base`: where this invocation's matrix starts in the array, when a workgroup holds several. */
  | { readonly kind: "workgroup"; readonly name: string; readonly length: number; readonly base?: string }
  | { readonly kind: "global"; readonly name: string; readonly binding: string; readonly base: string };

/** WGSL declarations of a region plus its `ld<name>(i)` / `st<name>(i, v)` accessors. */
export function declareRegion(r: Region): string {
  const at = r.kind === "workgroup" ? `w_${r.name}[${r.base ? `${r.base} + ` : ""}i]` : `${r.binding}[${r.base} + i]`;
  const decl = r.kind === "workgroup" ? `var<workgroup> w_${r.name}: array<f32, ${r.length}>;\n` : "";
  return `${decl}fn ld${r.name}(i: u32) -> f32 { return ${at}; }
fn st${r.name}(i: u32, v: f32) { ${at} = v; }`;
}

/** `sync()`: a workgroup barrier, plus a storage barrier when a working matrix is in global memory. */
export function declareSync(global: boolean): string {
  return `fn sync() {${global ? " storageBarrier();" : ""} workgroupBarrier(); }`;
}

/** `@group(0) @binding(i) var<storage, …> name: array<f32>;`, one line per binding, in order. */
export function declareBindings(bindings: readonly KernelBinding[]): string {
  return bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: array<f32>;`).join("\n");
}

/** `const NAME: u32 = value;` for each entry. */
export function constants(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`kernel constant ${k} = ${v} is not a u32`);
      return `const ${k}: u32 = ${v}u;`;
    })
    .join("\n");
}

/** A WGSL f32 literal. */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`no f32 literal for ${x}`);
  const s = Number.isInteger(x) ? `${x}.0` : String(x);
  return x < 0 ? `(${s})` : s;
}

/** Invocations per workgroup for `items` parallel work items: a multiple of 32, at most 256. */
export function workgroupSizeFor(items: number): number {
  return Math.min(MAX_WG, Math.max(32, Math.ceil(items / 32) * 32));
}

/** The entry point header of a one-workgroup-per-matrix kernel: `mat` is the matrix index. */
export function perMatrixEntry(wg: number, batch: number): string {
  return `@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let mat = wid.x + wid.y * nwg.x;
  if (mat >= ${batch}u) { return; }`;
}

/** Coverage of an output of `batch` matrices of `matrix` elements each: one workgroup per matrix. */
export function perMatrixCovers(binding: number, batch: number, matrix: number): Coverage {
  return { binding, shape: [batch, matrix], tile: [1, matrix] };
}

/** The dispatch of a one-workgroup-per-matrix kernel. */
export function perMatrixDispatch(batch: number): [number, number, number] {
  return grid(Math.max(1, batch));
}

/** Throws on sizes the generators cannot bake in. */
export function checkSizes(op: string, values: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${op}: ${k} must be a positive integer, got ${v}`);
  }
}

/**
 * WGSL `pairOf(r, k)`: the k-th of the NB disjoint index pairs (lo, hi) of round r of the parallel
 * round-robin ("circle"/Brent–Luk tournament) ordering on NP = 2·NB indices: index NP−1 stays put,
 * the other NP−1 rotate one place per round, so NP−1 rounds meet every pair exactly once. With an
 * odd matrix size the padding index NP−1 is a dummy, always in slot 0.
 */
export const PAIR_OF = `fn pairOf(r: u32, k: u32) -> vec2<u32> {
  if (k == 0u) { return vec2<u32>(r, NP - 1u); }
  let p = (r + k) % (NP - 1u);
  let q = (r + NP - 1u - k) % (NP - 1u);
  return vec2<u32>(min(p, q), max(p, q));
}`;

/**
 * WGSL `jacobiTan(app, aqq, apq)`: tan of the rotation angle that zeroes apq of the symmetric 2×2
 * [[app, apq], [apq, aqq]] (the smaller of the two angles; Golub & Van Loan's sym.schur2).
 */
export const JACOBI_TAN = `fn jacobiTan(app: f32, aqq: f32, apq: f32) -> f32 {
  let theta = (aqq - app) / (2.0 * apq);
  let sg = select(-1.0, 1.0, theta >= 0.0);
  if (abs(theta) > 1e18) { return 0.5 / theta; }
  return sg / (abs(theta) + sqrt(1.0 + theta * theta));
}`;

/**
 * WGSL for invocation 0 of an LU with partial pivoting (solve, det): `p`, the row at or below k whose
 * entry in column k of the matrix read through `ldA` is largest in magnitude, and `best`, that magnitude.
 */
export const PIVOT_SEARCH = `var p = k; var best = abs(ldA(k * N + k));
      for (var i = k + 1u; i < N; i++) { let v = abs(ldA(i * N + k)); if (v > best) { best = v; p = i; } }`;
