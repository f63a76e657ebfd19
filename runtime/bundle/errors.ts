/**
 * The bundle loader's coded errors (the codes and their titles are ir/bundle-codes.ts, part of the
 * one table of codes). `format()` prints the same `error MPxxxx: message` line as the compiler's
 * diagnostics.
 */
import { BUNDLE_ERRORS } from "../../ir/bundle-codes.js";

export { BUNDLE_ERRORS };

/** The codes a bundle fails with (MP7001…). */
export type BundleErrorCode = keyof typeof BUNDLE_ERRORS;

/** A coded bundle failure (MP7xxx); `format()` gives the `error MPxxxx: message` line. */
export class BundleError extends Error {
  constructor(
    /** Which failure (MP7001…; README's table of codes). */
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BundleError";
  }

  /** `error MPxxxx: message`, as the compiler's diagnostics print. */
  format(): string {
    return `error ${this.code}: ${this.message}`;
  }
}

export function bundleFail(code: BundleErrorCode, message: string): never {
  throw new BundleError(code, message);
}
