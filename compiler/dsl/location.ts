/**
 * Source locations of DSL calls: the first stack frame outside the DSL's own files is the user's
 * line. Paths under the working directory are printed relative to it, like tsc does.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceLoc } from "../../ir/diagnostics.js";

const DSL_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The package root: DSL_DIR is <root>/compiler/dsl, or <root>/dist/compiler/dsl when built. */
const ROOT = path.resolve(DSL_DIR, "..", "..", path.basename(path.resolve(DSL_DIR, "..", "..")) === "dist" ? ".." : ".");
/** Frames in these folders are matprop's own (source maps point built frames back at the .ts sources). */
const OWN_DIRS = ["compiler", "ir", "runtime", "dist"].map((d) => path.join(ROOT, d) + path.sep);
const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

function framePath(raw: string): string {
  return raw.startsWith("file://") ? fileURLToPath(raw) : raw;
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

/** A stack frame with a file (frames of `node:` internals and native code are left out). */
export interface Frame {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** In matprop's own folders or a package under node_modules. */
  readonly library: boolean;
  /** In matprop's own folders. */
  readonly own: boolean;
}

/** The frames of a V8 stack trace (as source maps have mapped them), innermost first. */
export function stackFrames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const file = framePath(m[1]);
    if (file.startsWith("node:") || !path.isAbsolute(file)) continue;
    const own = OWN_DIRS.some((d) => file.startsWith(d));
    out.push({ file, line: Number(m[2]), col: Number(m[3]), own, library: own || file.includes(`${path.sep}node_modules${path.sep}`) });
  }
  return out;
}

/** The innermost frame of `stack` in the user's code, as a source location. */
export function userLocation(stack: string): SourceLoc | undefined {
  const f = stackFrames(stack).find((x) => !x.library);
  return f && { file: displayPath(f.file), line: f.line, col: f.col };
}

/** Where the user called into the DSL (undefined when no user frame is found). */
export function callerLocation(): SourceLoc | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  return userLocation(stack);
}
