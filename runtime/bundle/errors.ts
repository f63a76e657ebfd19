/**
 * The bundle loader's coded errors. The runtime ships inside every bundle, so this table stands on
 * its own (importing nothing); ir/diagnostics.ts includes it in the one table of codes.
 * `format()` prints the same `error MPxxxx: message` line as the compiler's diagnostics.
 */
export const BUNDLE_ERRORS = {
  MP7001: "bundle manifest is malformed",
  MP7002: "unsupported bundle format version",
  MP7003: "bundle content hash mismatch",
  MP7004: "bundle file missing or unreadable",
  MP7005: "bundle params file is invalid",
  MP7006: "bundle exceeds the WebGPU device's limits",
  MP7007: "missing or unknown bundle input",
  MP7008: "bundle input has the wrong shape",
  MP7009: "bundle input has the wrong dtype",
  MP7010: "bundle input holds NaN or Infinity",
  MP7011: "no WebGPU device for the bundle",
  MP7012: "bundle execution failed on WebGPU",
  MP7013: "invalid bundle call argument",
  MP7014: "bundle program fails its check (buffers, bindings or dispatches are inconsistent)",
  MP7015: "bundle run did not finish within the time limit",
  MP7016: "bundle input does not have its declared structure",
} as const;

export type BundleErrorCode = keyof typeof BUNDLE_ERRORS;

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BundleError";
  }

  format(): string {
    return `error ${this.code}: ${this.message}`;
  }
}

export function bundleFail(code: BundleErrorCode, message: string): never {
  throw new BundleError(code, message);
}
