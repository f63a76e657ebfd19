/**
 * The one table of diagnostic codes. Every error a user can cause carries one of these codes and,
 * where it came from a model, the DSL source location (file:line:col) of the call that caused it.
 * Codes are grouped: MP1xxx model files, MP2xxx graph building and typing, MP3xxx IR text and
 * verification, MP4xxx run inputs, MP5xxx numeric failures while running, MP6xxx WebGPU,
 * MP7xxx kernel bundles, MP9xxx internal.
 */
import { BUNDLE_ERRORS } from "./bundle-codes.js";

export const DIAGNOSTICS = {
  MP1001: "model file not found",
  MP1002: "TypeScript error in model file",
  MP1003: "model file does not export a model",
  MP1004: "model file failed to load",
  MP1005: "model file did not finish loading and building within the time limit",
  MP1006: "model code threw an exception",
  MP2001: "shape mismatch",
  MP2002: "structure requirement not met",
  MP2003: "shapes do not broadcast",
  MP2004: "invalid attribute",
  MP2005: "reshape changes the number of elements",
  MP2006: "wrong dtype",
  MP2007: "invalid rank",
  MP2010: "duplicate input or param name",
  MP2011: "invalid model output",
  MP2012: "invalid shape",
  MP2013: "tensor exceeds the size limit",
  MP3001: "IR syntax error",
  MP3002: "unknown op",
  MP3003: "IR verification failed",
  MP4001: "inputs file not found",
  MP4002: "inputs file is not valid JSON",
  MP4003: "missing input",
  MP4004: "unknown input",
  MP4005: "input has the wrong shape",
  MP4006: "input holds NaN or Infinity",
  MP4007: "input does not have its declared structure",
  MP4008: "named dim bound to two sizes",
  MP4009: "input is not a (rectangular) array of numbers",
  MP4010: "invalid command-line option",
  MP4011: "bundle folder is neither empty nor a matprop bundle",
  MP4012: "invalid argument to the programmatic API",
  MP5001: "numeric failure",
  MP6001: "no WebGPU adapter",
  MP6002: "model does not fit the WebGPU device's limits",
  MP6003: "WebGPU execution failed",
  MP6004: "WebGPU run did not finish within the time limit",
  // The bundle loader's codes (a table of their own: the bundle runtime throws them).
  ...BUNDLE_ERRORS,
  MP9001: "internal error",
  MP9002: "the lowered WebGPU program failed verification (internal error)",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export function formatLoc(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** An error a user caused: a code from the table, a message, and where in their source it came from. */
export class MatpropError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly loc?: SourceLoc,
  ) {
    super(message);
    this.name = "MatpropError";
  }

  /** `file:line:col error MPxxxx: message` (the location is left out when there is none). */
  format(): string {
    const where = this.loc ? `${formatLoc(this.loc)} ` : "";
    return `${where}error ${this.code}: ${this.message}`;
  }
}

export function fail(code: DiagnosticCode, message: string, loc?: SourceLoc): never {
  throw new MatpropError(code, message, loc);
}
