/**
 * Source locations in a bundle are relative to the model's project — the nearest folder above the
 * model file with a package.json, else the model's own folder — never this machine's absolute
 * paths: a bundle is shipped, and a location spelled from the root of the builder's disk would leak
 * the user's directory layout into every copy. Locations as the compiler holds them are relative to the working
 * directory (or absolute outside it); each `loc` string ("file:line:col") of the manifest is
 * rewritten before the bundle is hashed.
 */
import fs from "node:fs";
import path from "node:path";
import type { Graph } from "../../ir/graph.js";
import { keepOutputs } from "../../ir/prune.js";

/** The project folder of a source file. */
export function projectRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

const LOC = /^(.*):(\d+):(\d+)$/;

/** `file:line:col` with `file` made relative to `root` (POSIX separators). */
export function relativeLoc(loc: string, root: string): string {
  const m = LOC.exec(loc);
  if (!m) return loc;
  const rel = path.relative(root, path.resolve(m[1])).split(path.sep).join("/");
  return `${rel}:${m[2]}:${m[3]}`;
}

/** A copy of `v` with every string field named `loc` made relative to `root`. */
export function relocate<T>(v: T, root: string): T {
  if (Array.isArray(v)) return v.map((x) => relocate(x, root)) as T;
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "loc" && typeof x === "string" ? relativeLoc(x, root) : relocate(x, root)])) as T;
}

/** The project of the graph's model: from its file when known, else from the first node location. */
export function projectOf(source: string | undefined, firstLocFile: string | undefined): string {
  return projectRoot(source ?? firstLocFile ?? path.join(process.cwd(), "model.ts"));
}

/** A copy of `g` whose node locations name files relative to `root`. */
export function relocateGraph(g: Graph, root: string): Graph {
  return keepOutputs(g, () => true, (loc) => ({ ...loc, file: path.relative(root, path.resolve(loc.file)).split(path.sep).join("/") }));
}
