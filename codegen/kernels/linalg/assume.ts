/**
 * `ops.assume(x, structure)` on WebGPU: the kernel copies x and checks the asserted structure on
 * the device, as the CPU executor checks it (numeric/structure-check.ts), reporting a false
 * assertion through the status buffer (MP5001 at the assume line) instead of letting a matrix that
 * lacks the structure flow into logm, eigh or a projector. One workgroup per matrix.
 *
 * f32 tolerances (numeric/structure-check.ts F32_STRUCTURE, shared with bundles' checks of
 * declared inputs): symmetric (and diagonal, projector) within F32_SYMMETRY_TOL·max|x|; orthogonal
 * |QᵀQ − I| and projector |P² − P| within F32_PRODUCT_TOL entrywise; spd by a Cholesky
 * (cholesky.ts in its `assume` mode).
 */
import type { KernelBinding, KernelCheck, KernelSource } from "../../kernel.js";
import { STATUS_WGSL } from "../../status-wgsl.js";
import type { Structure } from "../../../ir/types.js";
import { F32_STRUCTURE } from "../../../numeric/structure-check.js";
import { choleskyKernel } from "./cholesky.js";
import { F32_SYMMETRY_TOL, type LinalgOptions, checkSizes, constants, declareBindings, lit, perMatrixCovers, perMatrixDispatch, perMatrixEntry, workgroupSizeFor } from "./common.js";

/** Entrywise tolerance of QᵀQ = I and P² = P in f32 (the one bundles check declared inputs with). */
export const F32_PRODUCT_TOL = F32_STRUCTURE.product;

const where = "matrix {i} of the batch";
const NOT_SYMMETRIC: KernelCheck = { message: `assume failed: not-symmetric: not symmetric (${where}: |x_ij − x_ji| > ${F32_SYMMETRY_TOL}·max|x| in f32)` };

/** Per structure: the status words and the WGSL test of entry (i, j) = x that sets each (word k ↔ checks[k]). */
const TESTS: Partial<Record<Structure, { checks: KernelCheck[]; body: string }>> = {
  symmetric: { checks: [NOT_SYMMETRIC], body: "if (i > j && abs(x - a[ibase + j * N + i]) > SYM * scale) { mp_fail(0u, mat); }" },
  diagonal: {
    checks: [NOT_SYMMETRIC, { message: `assume failed: not-symmetric: not diagonal (${where}: |x_ij| > ${F32_SYMMETRY_TOL}·max|x| off the diagonal in f32)` }],
    body: "if (i > j && abs(x - a[ibase + j * N + i]) > SYM * scale) { mp_fail(0u, mat); }\n    if (i != j && abs(x) > SYM * scale) { mp_fail(1u, mat); }",
  },
  orthogonal: {
    checks: [{ message: `assume failed: domain: not orthogonal (${where}: an entry of QᵀQ − I exceeds ${F32_PRODUCT_TOL} in f32)` }],
    body: `var s = 0.0;
    for (var k = 0u; k < N; k++) { s += a[ibase + k * N + i] * a[ibase + k * N + j]; }
    if (abs(s - select(0.0, 1.0, i == j)) > PROD) { mp_fail(0u, mat); }`,
  },
  projector: {
    checks: [NOT_SYMMETRIC, { message: `assume failed: domain: not projector (${where}: an entry of P² − P exceeds ${F32_PRODUCT_TOL} in f32)` }],
    body: `if (i > j && abs(x - a[ibase + j * N + i]) > SYM * scale) { mp_fail(0u, mat); }
    var s = 0.0;
    for (var k = 0u; k < N; k++) { s += a[ibase + i * N + k] * a[ibase + k * N + j]; }
    if (abs(s - x) > PROD) { mp_fail(1u, mat); }`,
  },
};

/** Structures the kernel checks (everything but "general", which asserts nothing). */
export const CHECKED_STRUCTURES: readonly Structure[] = ["spd", ...(Object.keys(TESTS) as Structure[])];

/** out = x ([batch, n, n]) after checking `structure` on every matrix. Bindings: x (read), out (read_write). */
export function assumeKernel(batch: number, n: number, structure: Structure, opts?: LinalgOptions): KernelSource {
  checkSizes("assume", { batch, n });
  if (structure === "spd") return choleskyKernel(batch, n, { ...opts, assume: true });
  const test = TESTS[structure];
  if (!test) throw new RangeError(`assume: no device check for structure '${structure}'`);
  const wg = workgroupSizeFor(n * n);
  const bindings: KernelBinding[] = [
    { name: "a", access: "read", elements: batch * n * n },
    { name: "out", access: "read_write", elements: batch * n * n },
  ];
  const wgsl = `${declareBindings(bindings)}
${constants({ N: n, NN: n * n, WG: wg })}
${STATUS_WGSL}
const SYM: f32 = ${lit(F32_SYMMETRY_TOL)};
const PROD: f32 = ${lit(F32_PRODUCT_TOL)};
// max |x| as the bits of a non-negative f32 (their u32 order is the float order).
var<workgroup> maxBits: atomic<u32>;

${perMatrixEntry(wg, batch)}
  let ibase = mat * NN;
  for (var t = lid; t < NN; t += WG) {
    let x = a[ibase + t];
    out[ibase + t] = x;
    atomicMax(&maxBits, bitcast<u32>(abs(x)));
  }
  workgroupBarrier();
  let scale = bitcast<f32>(atomicLoad(&maxBits));
  for (var t = lid; t < NN; t += WG) {
    let i = t / N; let j = t % N;
    let x = a[ibase + t];
    ${test.body}
  }
}
`;
  return { name: `assume_${structure}_${batch}x${n}x${n}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: perMatrixDispatch(batch), bindings, covers: [perMatrixCovers(1, batch, n * n)], workgroupBytes: 4, checks: test.checks };
}
