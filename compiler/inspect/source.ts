/**
 * Links from the inspector to DSL source lines: `<path relative to the output file>#L<line>` (the
 * GitHub and editor-viewer convention), with the line's text for the details panel.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatLoc, type SourceLoc } from "../../ir/diagnostics.js";

export interface SourceRef {
  /** `file:line:col` as diagnostics print it. */
  readonly text: string;
  readonly href: string;
  /** The source line, trimmed (absent when the file cannot be read). */
  readonly snippet?: string;
}

export type SourceLinker = (loc: SourceLoc) => SourceRef;

/** Locations are printed relative to the working directory; links are relative to `outFile`'s folder. */
export function sourceLinker(outFile: string, cwd = process.cwd()): SourceLinker {
  const outDir = path.dirname(path.resolve(cwd, outFile));
  const lines = new Map<string, string[] | undefined>();
  const readLines = (abs: string) => {
    if (!lines.has(abs)) {
      try {
        lines.set(abs, fs.readFileSync(abs, "utf8").split(/\r?\n/));
      } catch {
        lines.set(abs, undefined);
      }
    }
    return lines.get(abs);
  };
  return (loc) => {
    const abs = path.resolve(cwd, loc.file);
    const rel = path.relative(outDir, abs);
    // Another drive (Windows) has no relative path: fall back to a file URL.
    const href = path.isAbsolute(rel) ? pathToFileURL(abs).href : rel.split(path.sep).map(encodeURIComponent).join("/");
    const snippet = readLines(abs)?.[loc.line - 1]?.trim();
    return { text: formatLoc(loc), href: `${href}#L${loc.line}`, ...(snippet ? { snippet } : {}) };
  };
}
