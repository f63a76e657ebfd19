/**
 * The scalar functions of the spectral matrix functions f(X) = U diag(f(λ)) Uᵀ, one row each: f,
 * the divided difference the Daleckii–Krein adjoint needs (docs/architecture.md, rule 2), and the
 * domain rules of both. logm/sqrtm/expm (ir/ops/spectral.ts), their canonical form spectralFn and
 * the Loewner matrix all evaluate through these rows, so a new spectral function is a new row here
 * (plus its op row in ir/ops/spectral.ts and its WGSL in codegen). `params` carries an op's numeric
 * attributes (an exponent, say) to the functions that need them.
 */
import { NumericError } from "../numeric-error.js";

export type FunctionParams = Readonly<Record<string, unknown>>;

export interface ScalarFunction {
  /** The matrix function's name in messages (logm). */
  readonly matrixOp: string;
  /** f at an eigenvalue already passed through `valueDomain`. */
  f(x: number, params: FunctionParams): number;
  /**
   * The eigenvalue f is applied to in the forward value, of a matrix of size n whose largest
   * |λ| is `scale`: x itself, a round-off-sized value clamped, or a NumericError("domain").
   */
  valueDomain(x: number, n: number, scale: number): number;
  /** NumericError("domain") where f′ is undefined or unbounded at eigenvalue x (the gradient's domain). */
  derivativeDomain(x: number, scale: number): void;
  /** (f(a) − f(b))/(a − b) for a ≥ b, evaluated without cancellation; f′(a) at a = b. */
  divdiff(a: number, b: number, params: FunctionParams): number;
}

/**
 * Eigenvalues of sqrt below zero but at or above −SQRT_CLAMP·max|λ| are round-off on a PSD matrix
 * and are clamped to 0; anything more negative is a domain error.
 */
export const SQRT_CLAMP = 1e-12;

const accept = (x: number) => x;
const anywhere = () => {};

export const SCALAR_FUNCTIONS = {
  log: {
    matrixOp: "logm",
    f: Math.log,
    // An eigenvalue within round-off of zero is zero: its log would be noise near −36.
    valueDomain: (x, n, scale) => {
      if (!(x > n * Number.EPSILON * scale)) throw new NumericError("domain", `logm: eigenvalue ${x} is not positive`);
      return x;
    },
    derivativeDomain: (x) => {
      if (!(x > 0)) throw new NumericError("domain", `logm: eigenvalue ${x} is not positive; log and its derivative are undefined there`);
    },
    // log1p(δ/b)/δ with b the smaller, so δ/b ≥ 0.
    divdiff: (a, b) => (a === b ? 1 / a : Math.log1p((a - b) / b) / (a - b)),
  },
  sqrt: {
    matrixOp: "sqrtm",
    f: Math.sqrt,
    valueDomain: (x, n, scale) => {
      if (x < -SQRT_CLAMP * scale) throw new NumericError("domain", `sqrtm: eigenvalue ${x} is negative`);
      // Round-off-sized eigenvalues (either sign) are zero: √(eps·‖X‖) would add 1e-8-sized noise.
      return x <= n * Number.EPSILON * scale ? 0 : x;
    },
    derivativeDomain: (x, scale) => {
      if (x > 0) return;
      // sqrtm clamps eigenvalues down to −SQRT_CLAMP·max|λ| to 0: those are zeros, not negatives.
      const zero = x >= -SQRT_CLAMP * scale;
      throw new NumericError(
        "domain",
        zero
          ? `sqrtm: no gradient at a zero eigenvalue (${x}): the derivative 1/(2√λ) of √ is unbounded at 0; add εI to keep the matrix positive definite`
          : `sqrtm: eigenvalue ${x} is negative`,
      );
    },
    divdiff: (a, b) => 1 / (Math.sqrt(a) + Math.sqrt(b)),
  },
  exp: {
    matrixOp: "expm",
    f: Math.exp,
    valueDomain: accept,
    derivativeDomain: anywhere,
    // e^b·expm1(δ)/δ for δ ≤ 1; beyond, e^a − e^b has no cancellation to fear and e^b·expm1(δ) could be 0·∞.
    divdiff: (a, b) => {
      const d = a - b;
      if (d === 0) return Math.exp(a);
      return d <= 1 ? (Math.exp(b) * Math.expm1(d)) / d : (Math.exp(a) - Math.exp(b)) / d;
    },
  },
} as const satisfies Record<string, ScalarFunction>;

export type SpectralFn = keyof typeof SCALAR_FUNCTIONS;

/** The scalar functions' names, listed once (from the table). */
export const SPECTRAL_FNS = Object.keys(SCALAR_FUNCTIONS) as SpectralFn[];
