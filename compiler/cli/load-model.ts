/**
 * Loading a model file: it is bundled by esbuild into one ES module (transpile.ts: TypeScript
 * stripped, `matprop` imports resolved to this package, source maps kept), which is imported; the
 * default export must be a `model(...)`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fail, MatpropError, type SourceLoc } from "../../ir/diagnostics.js";
import { findModel, type Model } from "../dsl/model.js";
import { displayPath } from "../dsl/location.js";
import { PACKAGE_ROOT } from "./package-root.js";
import { bundleModel } from "./transpile.js";

export function resolveModelPath(file: string): string {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) fail("MP1001", `model file not found: ${file}`);
  return abs;
}

/** matprop's own folders: frames there are never the user's line. */
const OWN_DIRS = ["compiler", "ir", "runtime", "dist"].map((d) => path.join(PACKAGE_ROOT, d) + path.sep);

/** The first stack frame of an error thrown while a model file was evaluated that lies in user code. */
function userFrame(e: Error): SourceLoc | undefined {
  for (const line of (e.stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`) || OWN_DIRS.some((d) => file.startsWith(d))) continue;
    return { file: displayPath(file), line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

export async function loadModel(file: string): Promise<Model> {
  const abs = resolveModelPath(file);
  const bundled = await bundleModel(abs);
  let mod: { default?: unknown };
  try {
    mod = (await import(bundled.url)) as { default?: unknown };
  } catch (e) {
    if (e instanceof MatpropError) throw e;
    const err = e instanceof Error ? e : new Error(String(e));
    fail("MP1004", `${displayPath(abs)} failed to load: ${err.name === "Error" ? "" : `${err.name}: `}${err.message.split("\n")[0]}`, userFrame(err));
  } finally {
    bundled.remove();
  }
  // A model file Node loaded as CommonJS arrives as `{ default: model }`.
  const m = findModel(mod.default);
  if (!m) fail("MP1003", `${displayPath(abs)} must \`export default model(name, build)\``);
  return m;
}
