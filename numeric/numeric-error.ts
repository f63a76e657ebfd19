/**
 * The one error every CPU kernel throws when its input makes the result mathematically undefined
 * (instead of silently returning NaN). Shape mismatches are RangeErrors, not NumericErrors.
 */
export type NumericErrorKind = "singular" | "not-spd" | "not-symmetric" | "non-finite" | "no-convergence" | "domain";

export class NumericError extends Error {
  readonly kind: NumericErrorKind;

  constructor(kind: NumericErrorKind, message: string) {
    super(`${kind}: ${message}`);
    this.name = "NumericError";
    this.kind = kind;
  }
}

/** Throws NumericError("non-finite") if any entry of `data` is NaN or ±∞. */
export function assertFinite(data: ArrayLike<number>, op: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new NumericError("non-finite", `${op}: input has a non-finite entry at flat index ${i}`);
  }
}
