/**
 * A model file and the files it imports → one ES module that Node imports directly. esbuild
 * bundles the relative imports (TypeScript stripped, `./x.js` finding `x.ts`); every other import
 * stays an import: `matprop` and `matprop/runtime` of this copy of matprop, Node built-ins, and
 * packages resolved from the importing file's folder (as Node would) to their file URLs. Each
 * source file keeps its own `import.meta.url`, `dirname` and `filename`. An inline source map,
 * with Node's source-map support on, makes stack frames — and so the DSL's recorded source
 * locations and the lines of exceptions — name the original .ts lines.
 *
 * This replaces loader hooks (tsx): in Node 20 those run on a worker thread that takes 0.5–1 s to
 * start and then serves every module resolution of the process by message passing.
 */
import fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Message, Plugin } from "esbuild";
import { fail, type SourceLoc } from "../../ir/diagnostics.js";
import { displayPath } from "../dsl/location.js";
import { ENTRY_JS, RUNTIME_JS } from "./package-root.js";

const OWN: Record<string, string> = { matprop: pathToFileURL(ENTRY_JS).href, "matprop/runtime": pathToFileURL(RUNTIME_JS).href };
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/** esbuild's column is a 0-based byte offset; tsc's (and ours) a 1-based UTF-16 one. */
function utf16Column(line: string, byteCol: number): number {
  return Buffer.from(line, "utf8").subarray(0, byteCol).toString("utf8").length + 1;
}

function locOf(m: Message): SourceLoc | undefined {
  const l = m.location;
  return l ? { file: displayPath(path.resolve(l.file)), line: l.line, col: utf16Column(l.lineText, l.column) } : undefined;
}

const modelPlugin: Plugin = {
  name: "matprop-model",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      const spec = args.path;
      if (args.pluginData === "matprop-resolving") return undefined;
      if (OWN[spec]) return { path: OWN[spec], external: true };
      if (spec.startsWith(".") || path.isAbsolute(spec)) return undefined; // bundled
      if (isBuiltin(spec)) return { path: spec, external: true };
      const r = await build.resolve(spec, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "matprop-resolving" });
      if (r.errors.length) return { errors: r.errors };
      return { path: r.external ? r.path : pathToFileURL(r.path).href, external: true };
    });
    build.onLoad({ filter: SOURCE }, (args) => {
      const text = fs.readFileSync(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      const url = pathToFileURL(args.path).href;
      const own = { url, dirname: path.dirname(args.path), filename: args.path };
      const ext = path.extname(args.path).slice(1);
      const loader = ext === "tsx" || ext === "jsx" ? ext : /ts$/.test(ext) ? "ts" : "js";
      return { contents: text.replace(IMPORT_META, (_, k: keyof typeof own) => JSON.stringify(own[k])), loader };
    });
  },
};

/**
 * Bundles the model at `abs` and returns the file URL of the module to import, and a function that
 * removes it once imported. Syntax errors are MP1002 and unresolvable imports MP1004, at their
 * file:line:col.
 */
export async function bundleModel(abs: string): Promise<{ url: string; remove: () => void }> {
  // require, not import: importing CommonJS from an ES module scans its 100 KB for export names (~50 ms).
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matprop-model-"));
  const out = path.join(dir, `${path.basename(abs).replace(/\.[^.]*$/, "")}.mjs`);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: [abs],
      outfile: out,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      plugins: [modelPlugin],
    });
  } catch (e) {
    remove();
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors?.length) throw e;
    const first = errors[0];
    if (/^Could not resolve/.test(first.text)) fail("MP1004", `${displayPath(abs)} failed to load: ${first.text}`, locOf(first));
    fail("MP1002", `syntax error: ${first.text}`, locOf(first));
  }
  process.setSourceMapsEnabled(true);
  return { url: pathToFileURL(out).href, remove };
}
