/**
 * Loading a model file: TypeScript is transpiled on the fly by tsx, `matprop` imports resolve to
 * this package (resolve-hook.ts), and the default export must be a `model(...)`.
 */
import fs from "node:fs";
import { register as registerHooks } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { register as registerTsx } from "tsx/esm/api";
import { fail, MatpropError } from "../../ir/diagnostics.js";
import { isModel, type Model } from "../dsl/model.js";
import { displayPath } from "../dsl/location.js";
import { ENTRY_JS, RUNTIME_JS } from "./package-root.js";

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

/** `file:line:col` of an esbuild/tsx syntax error, when the message carries one. */
function syntaxErrorLoc(e: Error, file: string) {
  const m = /:(\d+):(\d+): ERROR: (.*)/.exec(e.message);
  return m ? { loc: { file: displayPath(file), line: Number(m[1]), col: Number(m[2]) + 1 }, message: m[3] } : undefined;
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
    const syntax = syntaxErrorLoc(err, abs);
    if (syntax) fail("MP1002", `syntax error: ${syntax.message}`, syntax.loc);
    fail("MP1004", `${displayPath(abs)} failed to load: ${err.message.split("\n")[0]}`);
  }
  const m = mod.default;
  if (!isModel(m)) fail("MP1003", `${displayPath(abs)} must \`export default model(name, build)\``);
  return m;
}
