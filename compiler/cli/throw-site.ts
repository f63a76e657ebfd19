/**
 * Where a value that is not an Error was thrown. `throw "bad config"` carries no stack trace, so
 * the line of the throw is taken from V8 itself: an inspector session on this thread pauses at
 * every exception while the model's code runs, notes where each non-Error value was thrown (mapped
 * through the model bundle's source map to the .ts line) and resumes at once. Used only around the
 * model's own code (load-graph.ts); Error objects are located by their stack instead.
 */
import { Session } from "node:inspector";
import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { SourceLoc } from "../../ir/diagnostics.js";
import { displayPath, stackFrames } from "../dsl/location.js";

interface PausedFrame {
  readonly url: string;
  readonly location: { readonly scriptId: string; readonly lineNumber: number; readonly columnNumber: number };
}

interface Paused {
  readonly reason: string;
  readonly data?: { readonly subtype?: string; readonly className?: string };
  readonly callFrames: readonly PausedFrame[];
}

/** A generated position (0-based) of a loaded module mapped to its source, as a 1-based location. */
function original(url: string, line: number, col: number): { file: string; line: number; col: number } | undefined {
  if (!url.startsWith("file:")) return undefined;
  const file = fileURLToPath(url);
  const entry = findSourceMap(file)?.findEntry(line, col) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalSource !== undefined && entry.originalLine !== undefined && entry.originalColumn !== undefined) {
    const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : entry.originalSource;
    return { file: source, line: entry.originalLine + 1, col: entry.originalColumn + 1 };
  }
  return { file, line: line + 1, col: col + 1 };
}

export interface ThrowWatch {
  /** Where the last non-Error value was thrown in the user's code. */
  last(): SourceLoc | undefined;
  stop(): void;
}

export function watchThrows(): ThrowWatch {
  let last: SourceLoc | undefined;
  let session: Session | undefined;
  try {
    session = new Session();
    session.connect();
    // Frames of ES modules carry no url; the script's, announced when it is parsed, is kept here.
    const urls = new Map<string, string>();
    session.on("Debugger.scriptParsed", (m: { params: { scriptId: string; url: string } }) => void urls.set(m.params.scriptId, m.params.url));
    session.on("Debugger.paused", (m: { params: Paused }) => {
      const p = m.params;
      if (p.reason === "exception" && p.data?.subtype !== "error") {
        // The innermost frame in the user's code (a library may rethrow the value).
        for (const f of p.callFrames) {
          const at = original(f.url || (urls.get(f.location.scriptId) ?? ""), f.location.lineNumber, f.location.columnNumber);
          if (!at) continue;
          const frame = stackFrames(`\n    at ${at.file}:${at.line}:${at.col}`)[0];
          if (frame && !frame.library) {
            last = { file: displayPath(frame.file), line: frame.line, col: frame.col };
            break;
          }
        }
      }
      session!.post("Debugger.resume");
    });
    session.post("Debugger.enable");
    session.post("Debugger.setPauseOnExceptions", { state: "all" });
  } catch {
    // No inspector in this Node build: thrown values are then reported without a line.
    session = undefined;
  }
  return {
    last: () => last,
    stop() {
      if (!session) return;
      session.post("Debugger.setPauseOnExceptions", { state: "none" });
      session.post("Debugger.disable");
      session.disconnect();
    },
  };
}
