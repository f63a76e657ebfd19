/**
 * Loading a model file: TypeScript is transpiled on the fly by tsx, `matprop` imports resolve to
 * this package (resolve-hook.ts), and the default export must be a `model(...)`.
 */
import fs from "node:fs";
import { register as registerHooks } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register as registerTsx } from "tsx/esm/api";
import { fail, MatpropError, type SourceLoc } from "../../ir/diagnostics.js";
import { isModel, type Model } from "../dsl/model.js";
import { displayPath } from "../dsl/location.js";
import { ENTRY_JS, PACKAGE_ROOT, RUNTIME_JS } from "./package-root.js";

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  registerTsx();
  const target = { matprop: pathToFileURL(ENTRY_JS).href, "matprop/runtime": pathToFileURL(RUNTIME_JS).href };
  registerHooks(new URL("./resolve-hook.js", import.meta.url), { data: { target } });
}

export function resolveModelPath(file: string): string {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) fail("MP1001", `model file not found: ${file}`);
  return abs;
}

/**
 * `file:line:col` of an esbuild/tsx syntax error ("<file>:<line>:<col>: ERROR: <text>"), when the
 * message carries one. The file is the one esbuild names (an imported helper, not always the model);
 * esbuild's column is a 0-based byte offset, so it is turned into tsc's 1-based UTF-16 column.
 */
function syntaxErrorLoc(e: Error): { loc: SourceLoc; message: string } | undefined {
  const m = /^(.+):(\d+):(\d+): ERROR: (.*)$/m.exec(e.message);
  if (!m) return undefined;
  const file = path.resolve(m[1]);
  const line = Number(m[2]);
  return { loc: { file: displayPath(file), line, col: utf16Column(file, line, Number(m[3])) + 1 }, message: m[4] };
}

function utf16Column(file: string, line: number, byteCol: number): number {
  try {
    const text = fs.readFileSync(file, "utf8").split(/\r?\n/)[line - 1] ?? "";
    return Buffer.from(text, "utf8").subarray(0, byteCol).toString("utf8").length;
  } catch {
    return byteCol;
  }
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
  installHooks();
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    if (e instanceof MatpropError) throw e;
    const err = e instanceof Error ? e : new Error(String(e));
    const syntax = syntaxErrorLoc(err);
    if (syntax) fail("MP1002", `syntax error: ${syntax.message}`, syntax.loc);
    fail("MP1004", `${displayPath(abs)} failed to load: ${err.name === "Error" ? "" : `${err.name}: `}${err.message.split("\n")[0]}`, userFrame(err));
  }
  const m = mod.default;
  if (!isModel(m)) fail("MP1003", `${displayPath(abs)} must \`export default model(name, build)\``);
  return m;
}
