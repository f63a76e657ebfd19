/**
 * The runtime a bundle carries: `runtime/bundle/open.js` and every module it imports, found by
 * following relative imports. From a built matprop (dist/) the compiled .js files are copied; from
 * the TypeScript sources (tests) they are transpiled with esbuild (loaded only then).
 * Every module must lie in the floors below the compiler — runtime/, codegen/ (the lowering) or ir/ —
 * or the build fails: the runtime never imports the compiler.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** runtime/ next to this compiler (source tree or dist/). */
const RUNTIME_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime");
const RUNTIME_ENTRY = "runtime/bundle/open.js";
/** Where a bundle's modules may come from: everything below the compiler. */
const FLOORS = ["runtime/", "codegen/", "ir/", "numeric/"];

const IMPORT = /(?:\bimport|\bexport)\s[^;'"]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s*["']([^"']+)["']/g;

function moduleText(rel: string): string {
  const js = path.join(RUNTIME_DIR, "..", rel);
  const tsFile = js.replace(/\.js$/, ".ts");
  if (fs.existsSync(tsFile)) {
    const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
    return esbuild.transformSync(fs.readFileSync(tsFile, "utf8"), { loader: "ts", format: "esm", target: "es2022", sourcefile: tsFile }).code;
  }
  if (fs.existsSync(js)) return fs.readFileSync(js, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
  throw new Error(`bundle runtime module ${rel} not found under ${RUNTIME_DIR} (is matprop built?)`);
}

let cached: ReadonlyMap<string, string> | undefined;

/**
 * Bundle-relative path → JS text of every runtime module a bundle needs. Collected once per
 * process (transpiling the sources takes seconds; they do not change while it runs).
 */
export function runtimeFiles(): Map<string, string> {
  cached ??= collect();
  return new Map(cached);
}

function collect(): Map<string, string> {
  const files = new Map<string, string>();
  const todo = [RUNTIME_ENTRY];
  while (todo.length) {
    const rel = todo.pop()!;
    if (files.has(rel)) continue;
    const text = moduleText(rel);
    files.set(rel, text);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith(".")) continue;
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      if (!FLOORS.some((f) => next.startsWith(f))) throw new Error(`bundle runtime module ${rel} imports ${spec}, outside ${FLOORS.join(", ")}`);
      todo.push(next);
    }
  }
  return files;
}
