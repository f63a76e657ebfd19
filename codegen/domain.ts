/**
 * Domain checks of fused expressions. The float64 CPU executor stops at the first non-finite value
 * (runtime/cpu/execute.ts) and at the spectral and eigengap kernels' own tests; WGSL leaves
 * log/sqrt/pow outside their domain undefined (SwiftShader's log(−1) is finite and its log(0) is
 * −88), so without a check a fused kernel would return a finite wrong number. Each check here is the
 * condition under which the CPU stops, as a WGSL predicate over the operands already computed; the
 * emitter (expr.ts) turns it into one branch that sets a status word on the failing path only.
 *
 * Elementwise ops mirror the CPU exactly (same message): log of x < 0 is NaN and of 0 is −∞, sqrt of
 * x < 0 is NaN, pow is NaN for a negative base with a non-integer exponent and ±∞ for a zero base
 * with a negative one, a / 0 is NaN (0/0) or ±∞. A NaN operand is not reported here: it came from
 * an op upstream, which either reported it or leaves a non-finite output the runtime reports.
 *
 * Spectral functions and eigengaps use the CPU's tests with f32 round-off in place of f64's: an
 * eigenvalue within n·eps_f32·max|λ| of zero is zero (log rejects it, sqrt takes 0), one below
 * −n·eps_f32·max|λ| is negative; two eigenvalues (singular values) closer than n·eps_f32·max|λ| are
 * repeated. Below that size an f32 eigenvalue is round-off of the Jacobi solver, so its log, or the
 * inverse gap, would be noise.
 */
import type { Attrs } from "../ir/attrs.js";
import type { Expr } from "./expr.js";
import { EIGH_GAP_ADVICE, SVD_GAP_ADVICE } from "../numeric/spectral/gap-inverse.js";
import { takeRangeMessage } from "../numeric/indexing.js";
import { floatLiteral } from "./wgsl-literal.js";

/** Ops whose fused expression can fail a domain check. */
const CHECKED = new Set(["log", "sqrt", "pow", "div", "spectral", "eigGapInverse", "svdGapInverse", "projectorGap", "powLoewner", "positiveTrace"]);

/** Consumers that read only some elements of their operand: `diag` (and `trace`, a sum over it), slices and gathers. */
const PARTIAL_READERS = new Set(["diag", "trace", "slice", "take"]);

/**
 * Whether the fused expression `e` needs a buffer of its own because `consumer` would evaluate
 * only some of its elements: the CPU executor computes (and checks) every element of every node,
 * so `trace(log(X))` stops on a negative off-diagonal entry; fused into the trace, only the
 * diagonal would be checked. Materialising `e` evaluates all of it.
 */
export function mustCheckEveryElement(e: Expr, consumer: string): boolean {
  return PARTIAL_READERS.has(consumer) && hasCheck(e);
}

function hasCheck(e: Expr): boolean {
  return e.kind === "op" && ((CHECKED.has(e.op) && !(e.op === "pow" && Number.isInteger(e.attrs.p) && (e.attrs.p as number) >= 0)) || e.args.some(hasCheck));
}

/** f32 unit round-off (2⁻²³). */
export const F32_EPS = 1.1920929e-7;

/** exp overflows f32 above ln(FLT_MAX). */
export const F32_EXP_MAX = 88.72283;

/** One way to fail: a WGSL condition and the message (`{i}` is the payload: a flat index). */
export interface DomainCase {
  readonly when: string;
  readonly message: string;
}

/**
 * `any` holds exactly when one of `cases` does; the first case that holds is reported (the last is
 * the fallback and its `when` is not tested). `payload` is the failing element's flat index in the
 * op's result, or its matrix of the batch.
 */
export interface DomainCheck {
  readonly any: string;
  readonly cases: readonly DomainCase[];
  readonly payload: "element" | "matrix";
}

const produced = (op: string, value: string) => `${op} produced ${value} (output 0, flat index {i}); an input is outside its domain`;

function single(any: string, message: string, payload: "element" | "matrix" = "element"): DomainCheck {
  return { any, cases: [{ when: any, message }], payload };
}

/** The check of an elementwise op on WGSL operands `a` (and `b`), or undefined when it cannot fail. */
export function elementwiseCheck(op: string, attrs: Attrs, a: string, b?: string): DomainCheck | undefined {
  switch (op) {
    case "log":
      return { any: `${a} <= 0.0`, cases: [{ when: `${a} < 0.0`, message: produced(op, "NaN") }, { when: "", message: produced(op, "-Infinity") }], payload: "element" };
    case "sqrt":
      return single(`${a} < 0.0`, produced(op, "NaN"));
    case "pow": {
      const p = attrs.p as number;
      const integer = Number.isInteger(p);
      if (integer && p >= 0) return undefined;
      if (integer) return single(`${a} == 0.0`, produced(op, "Infinity"));
      if (p > 0) return single(`${a} < 0.0`, produced(op, "NaN"));
      return { any: `${a} <= 0.0`, cases: [{ when: `${a} < 0.0`, message: produced(op, "NaN") }, { when: "", message: produced(op, "Infinity") }], payload: "element" };
    }
    case "div":
      return { any: `${b} == 0.0`, cases: [{ when: `${a} == 0.0`, message: produced(op, "NaN") }, { when: "", message: produced(op, "±Infinity") }], payload: "element" };
  }
  return undefined;
}

/** take's index (a WGSL f32 holding an integer) outside [−n, n): the CPU's message (numeric/indexing.ts). */
export function takeCheck(index: string, n: number): DomainCheck {
  return single(`!(${index} >= ${f32lit(-n)} && ${index} < ${f32lit(n)})`, `take failed: domain: ${takeRangeMessage(n, "{i}")}`);
}
const f32lit = floatLiteral;

/** Round-off size of the eigenvalues of an n×n matrix whose largest |λ| is the WGSL value `scale`. */
export const roundOff = (n: number, scale: string) => `${(n * F32_EPS).toExponential(8)} * ${scale}`;

/**
 * f(λ) of eigenvalue `x` for logm/sqrtm/expm (`of` names the node's op, logm or spectralFn) of an
 * n×n matrix with largest |λ| `scale`.
 */
export function spectralCheck(fn: string, of: string, x: string, scale: string, n: number): DomainCheck {
  const tol = roundOff(n, scale);
  const at = "(eigenvalue at flat index {i} of w";
  switch (fn) {
    case "log":
      return single(`${x} <= ${tol}`, `${of} failed: domain: logm: eigenvalue not positive ${at}; in f32 an eigenvalue ≤ n·eps·max|λ| is round-off of zero)`);
    case "sqrt":
      return single(`${x} < -${tol}`, `${of} failed: domain: sqrtm: eigenvalue negative ${at}, below −n·eps_f32·max|λ|)`);
    case "exp":
      return single(`${x} > ${F32_EXP_MAX}`, `${of} failed: non-finite: expm: exp(λ) overflows f32 ${at}, λ > ${F32_EXP_MAX})`);
    case "pow":
      return single(`${x} < -${tol}`, `${of} failed: domain: powm: eigenvalue negative ${at}, below −n·eps_f32·max|λ|)`);
    case "pow-nonpositive":
      return single(`${x} <= ${tol}`, `${of} failed: domain: powm: eigenvalue not positive ${at}; λ^p with p ≤ 0 is unbounded at 0, and in f32 an eigenvalue ≤ n·eps·max|λ| is round-off of zero)`);
  }
  throw new Error(`no spectral function '${fn}'`);
}

/** Entry (i, j) of an inverse-gap matrix of n values with largest |value| `scale`: i ≠ j and the values `vi`, `vj` repeated. */
export function gapCheck(op: "eigGapInverse" | "svdGapInverse", i: string, j: string, vi: string, vj: string, scale: string, n: number): DomainCheck {
  const what = op === "eigGapInverse" ? "eigh: the gradient through the eigenvectors is undefined at repeated eigenvalues" : "svd: the gradient through the singular vectors is undefined at repeated singular values";
  const advice = op === "eigGapInverse" ? EIGH_GAP_ADVICE : SVD_GAP_ADVICE;
  return single(`${i} != ${j} && abs(${vj} - ${vi}) <= ${roundOff(n, scale)}`, `${op} failed: domain: ${what} (two within f32 round-off, n·eps·max, at flat index {i} of the gap matrix). ${advice}`);
}

/** The top-k projector's gap between eigenvalues `lo` = λ_(n−k) and `hi` = λ_(n−k+1) (ascending, 1-based). */
export function projectorGapCheck(k: number, lo: string, hi: string, scale: string, n: number): DomainCheck {
  return single(
    `${hi} - ${lo} <= ${roundOff(n, scale)}`,
    `projectorGap failed: domain: topEigenProjector(X, ${k}): no gradient: the k-th and (k+1)-th largest eigenvalues are equal within f32 round-off (matrix {i} of the batch), so the top-${k} eigenspace is not determined by X; choose k at a gap in the spectrum.`,
    "matrix",
  );
}

/** Entry (i, j) of powm's Loewner matrix: no eigenvalue negative, and none zero when p < 1 (pλ^(p−1) is unbounded there). */
export function powLoewnerCheck(p: number, wi: string, wj: string, tol: string): DomainCheck {
  const lo = `min(${wi}, ${wj})`;
  if (p >= 1) return single(`${lo} < -${tol}`, `powLoewner failed: domain: powm: eigenvalue negative (below −n·eps_f32·max|λ|, entry {i} of the Loewner matrix)`);
  return {
    any: `${lo} <= ${tol}`,
    cases: [
      { when: `${lo} < -${tol}`, message: `powLoewner failed: domain: powm: eigenvalue negative (below −n·eps_f32·max|λ|, entry {i} of the Loewner matrix)` },
      { when: "", message: `powLoewner failed: domain: powm: no gradient at a zero eigenvalue: the derivative ${p}·λ^(${p - 1}) is unbounded at 0; add εI to keep the matrix positive definite (entry {i} of the Loewner matrix)` },
    ],
    payload: "element",
  };
}

/** The Newton–Schulz square root's trace normalisation: tr X > 0 (matrix {i} of the batch). */
export function positiveTraceCheck(x: string): DomainCheck {
  return single(`!(${x} > 0.0)`, `sqrtmNewtonSchulz failed: domain: sqrtm (Newton–Schulz): the trace of matrix {i} of the batch is not positive, so the matrix is not positive definite`);
}
