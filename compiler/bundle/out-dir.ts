/**
 * Where `matprop build -o <dir>` may write, and what it may remove there. A bundle is written only
 * into a missing or empty folder, or into one that holds a matprop bundle: its manifest.json parses
 * as a bundle manifest. Rebuilding removes only the earlier bundle's own files — those its record
 * (FILES_RECORD, written with every bundle) lists and the bundle layout allows — and leaves every
 * other file alone (a page next to the bundle, a README). Anything else is a coded error
 * (MP4011), decided before a single file is written or removed.
 */
import fs from "node:fs";
import path from "node:path";
import { fail, MatpropError } from "../../ir/diagnostics.js";
import { BundleError } from "../../runtime/bundle/errors.js";
import { BUNDLE_FORMAT, BUNDLE_VERSION, parseManifest, type Manifest } from "../../runtime/bundle/manifest.js";

/** The list of files a bundle wrote, next to its manifest. */
export const FILES_RECORD = ".matprop-files.json";
const RECORD_FORMAT = "matprop-bundle-files";

/** Paths a bundle can have; a recorded path outside this layout is never removed. */
const LAYOUT = [
  /^(manifest\.json|index\.js|index\.d\.ts|package\.json)$/,
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.safetensors$/,
  /^kernels\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.wgsl$/,
  /^graphs\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.mpir$/,
  /^(?:runtime|codegen|ir|numeric)\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_.-]+\.js$/,
];
/** The folders of the runtime modules a bundle carries (runtime-copy.ts). */
const MODULES = /^(?:runtime|codegen|ir|numeric)\//;

const inLayout = (rel: string) => !rel.split("/").includes("..") && LAYOUT.some((re) => re.test(rel));

export function recordText(files: Iterable<string>): string {
  return JSON.stringify({ format: RECORD_FORMAT, files: [...files, FILES_RECORD].sort() }, null, 2) + "\n";
}

function refuse(dir: string, why: string): never {
  fail("MP4011", `-o ${dir}: ${why}; give a new or empty folder, or one that holds a matprop bundle (nothing was written or removed)`);
}

/** What an earlier bundle's manifest names: its params file, kernel and graph files. */
interface Named {
  readonly paramsFile: string;
  readonly kernels: readonly string[];
}

/** The graph files a manifest of any version names (none before version 3). */
function graphFiles(graphs: unknown): string[] {
  if (typeof graphs !== "object" || graphs === null) return [];
  return Object.values(graphs).filter((f): f is string => typeof f === "string");
}

/**
 * The earlier bundle's manifest, or why the folder is not a bundle. A manifest of this format
 * version must parse in full; one of another version (a bundle from an older matprop) must still
 * say it is a matprop bundle and list its kernels and params file.
 */
function readManifest(dir: string): Named | string {
  const file = path.join(dir, "manifest.json");
  if (!fs.existsSync(file)) return "the folder is not empty and holds no manifest.json";
  let text: string;
  let raw: unknown;
  try {
    text = fs.readFileSync(file, "utf8");
    raw = JSON.parse(text);
  } catch (e) {
    return `its manifest.json is not a matprop bundle's: ${(e as Error).message.slice(0, 160)}`;
  }
  const m = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<Record<keyof Manifest, unknown>>;
  if (m.format !== BUNDLE_FORMAT) return `its manifest.json is not a matprop bundle's (format ${JSON.stringify(m.format ?? null)?.slice(0, 60)})`;
  if (m.version === BUNDLE_VERSION) {
    try {
      const full = parseManifest(text);
      return { paramsFile: full.paramsFile, kernels: [...full.kernels.map((k) => k.file), ...graphFiles(full.graphs)] };
    } catch (e) {
      if (e instanceof BundleError) return `its manifest.json is not a valid matprop bundle manifest: ${e.message.slice(0, 160)}`;
      throw e;
    }
  }
  const kernels = Array.isArray(m.kernels) ? m.kernels.map((k) => (k as { file?: unknown })?.file) : undefined;
  if (!Number.isInteger(m.version) || typeof m.paramsFile !== "string" || !kernels?.every((f) => typeof f === "string")) {
    return "its manifest.json says it is a matprop bundle but lists no kernels and params file";
  }
  return { paramsFile: m.paramsFile, kernels: [...(kernels as string[]), ...graphFiles(m.graphs)] };
}

/** The earlier bundle's files: its record, or (a bundle written before records) what its manifest names. */
function earlierFiles(dir: string, manifest: Named, current: ReadonlySet<string>): string[] {
  const record = path.join(dir, FILES_RECORD);
  if (fs.existsSync(record)) {
    try {
      const r = JSON.parse(fs.readFileSync(record, "utf8")) as { format?: unknown; files?: unknown };
      if (r.format === RECORD_FORMAT && Array.isArray(r.files) && r.files.every((f) => typeof f === "string")) return r.files as string[];
    } catch {
      // An unreadable record: fall back to what the manifest names.
    }
  }
  const named = ["manifest.json", "index.js", "index.d.ts", "package.json", manifest.paramsFile, ...manifest.kernels];
  // Runtime modules are not named by the manifest: only those this matprop writes count as the bundle's.
  return [...named, ...[...current].filter((f) => MODULES.test(f))];
}

/**
 * Checks that a bundle of `files` (bundle-relative paths) may be written into `dir`, and returns
 * the earlier bundle's files there that the new bundle does not overwrite (to remove after writing).
 * Throws MP4011 when the folder may not be used; touches nothing.
 */
export function planBundleDir(dir: string, files: Iterable<string>, shown = dir): string[] {
  const next = new Set([...files, FILES_RECORD]);
  let entries: string[];
  try {
    if (!fs.existsSync(dir)) return [];
    if (!fs.statSync(dir).isDirectory()) refuse(shown, "exists and is not a folder");
    entries = fs.readdirSync(dir);
  } catch (e) {
    if (e instanceof MatpropError) throw e;
    refuse(shown, `cannot be read (${(e as Error).message})`);
  }
  if (entries.length === 0) return [];
  const manifest = readManifest(dir);
  if (typeof manifest === "string") refuse(shown, manifest);
  const owned = new Set(earlierFiles(dir, manifest, next).filter(inLayout));
  owned.add(FILES_RECORD);
  // A file the new bundle writes must be the earlier bundle's (or not exist): never overwrite a user's.
  for (const rel of next) {
    const abs = path.join(dir, ...rel.split("/"));
    if (!owned.has(rel) && fs.existsSync(abs)) refuse(shown, `${rel} there was not written by the earlier bundle`);
  }
  return [...owned].filter((rel) => !next.has(rel) && fs.existsSync(path.join(dir, ...rel.split("/"))) && fs.statSync(path.join(dir, ...rel.split("/"))).isFile());
}

/** Removes the earlier bundle's stale files, then the folders under `dir` they leave empty. */
export function removeStale(dir: string, stale: readonly string[]): void {
  for (const rel of stale) fs.rmSync(path.join(dir, ...rel.split("/")), { force: true });
  const parents = new Set(stale.flatMap((rel) => rel.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
  for (const rel of [...parents].sort((a, b) => b.length - a.length)) {
    const abs = path.join(dir, ...rel.split("/"));
    if (fs.existsSync(abs) && fs.readdirSync(abs).length === 0) fs.rmdirSync(abs);
  }
}
