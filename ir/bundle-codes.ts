/**
 * The bundle loader's codes (MP7xxx). They sit in the IR floor, below both the diagnostics table
 * (ir/diagnostics.ts includes them) and the bundle runtime (runtime/bundle/errors.ts throws them);
 * this module imports nothing, so a bundle's copy of it stays small.
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
