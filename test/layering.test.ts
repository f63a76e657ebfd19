// The floors of the source tree (docs/architecture.md "Floors"): numeric → ir → codegen → runtime →
// compiler. Each floor may import only the floors in its row of the table; every source file
// belongs to exactly one row; type-only imports count like any other (a type names the module it
// comes from, so it is a dependency of the design even where it costs nothing at run time).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Floor {
  /** Files whose repository path starts with this (longest match wins). */
  readonly prefix: string;
  /** The prefixes this floor may import (its own is implied). */
  readonly imports: readonly string[];
  readonly why: string;
}

export const FLOORS: readonly Floor[] = [
  { prefix: "numeric/", imports: [], why: "float64 kernels on NDArray: a leaf, importing nothing of the project" },
  { prefix: "ir/", imports: ["numeric/"], why: "types, graphs and the ops (type rule, float64 evaluation, adjoint)" },
  { prefix: "codegen/", imports: ["numeric/", "ir/"], why: "the lowering to WGSL and the Program format; a bundle lowers at load time" },
  { prefix: "runtime/cpu/", imports: ["numeric/", "ir/"], why: "the float64 reference executor" },
  { prefix: "runtime/webgpu/", imports: ["numeric/", "ir/", "codegen/"], why: "runs a lowered Program on a device" },
  { prefix: "runtime/bundle/", imports: ["numeric/", "ir/", "codegen/", "runtime/webgpu/"], why: "the bundle loader, shipped inside every bundle" },
  { prefix: "runtime/index.ts", imports: ["numeric/", "ir/", "runtime/"], why: "the `matprop/runtime` package export" },
  { prefix: "compiler/", imports: ["numeric/", "ir/", "codegen/", "runtime/"], why: "DSL, passes, CLI, bundle builder, trainer: the top floor" },
  { prefix: "index.ts", imports: ["compiler/"], why: "the `matprop` package export (the DSL)" },
];

const SOURCE_DIRS = ["numeric", "ir", "codegen", "runtime", "compiler"];
const SOURCE_FILES = ["index.ts"];

/** Every import specifier of a module's text: static, type-only, re-exports, side-effect, dynamic and require. */
export function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

/** The bare `import "…"` specifiers of a module (imported only for what loading them does). */
export function sideEffectImports(text: string): string[] {
  return [...text.matchAll(/^\s*import\s*["']([^"']+)["'];?\s*$/gm)].map((m) => m[1]);
}

function sourceFiles(): string[] {
  const files = SOURCE_FILES.filter((f) => fs.existsSync(path.join(ROOT, f)));
  for (const dir of SOURCE_DIRS) {
    for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith(".ts")) files.push(path.relative(ROOT, path.join(f.parentPath, f.name)).split(path.sep).join("/"));
    }
  }
  return files.sort();
}

export function floorOf(file: string, floors: readonly Floor[] = FLOORS): Floor | undefined {
  return floors.filter((f) => file.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/** `file imports target` for each project import that the table forbids. */
export function violations(file: string, text: string, floors: readonly Floor[] = FLOORS): string[] {
  const floor = floorOf(file, floors);
  if (!floor) return [`${file} belongs to no floor`];
  const out: string[] = [];
  for (const spec of specifiers(text)) {
    if (!spec.startsWith(".")) continue; // packages and node: built-ins
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, ".ts");
    if (target.startsWith("../") || target.startsWith("test/") || target.startsWith("examples/") || target.startsWith("scripts/")) {
      out.push(`${file} imports ${target} (outside the source tree)`);
      continue;
    }
    const allowed = [floor.prefix, ...floor.imports].some((p) => target === p || target.startsWith(p));
    if (!allowed) out.push(`${file} imports ${target}`);
  }
  return out;
}

describe("layering: numeric → ir → codegen → runtime → compiler", () => {
  const files = sourceFiles();

  it("every source file belongs to a floor", () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.filter((f) => !floorOf(f))).toEqual([]);
    for (const floor of FLOORS) expect(files.some((f) => f.startsWith(floor.prefix)), floor.prefix).toBe(true);
  });

  it("no import runs up a floor (type-only imports included)", () => {
    const found = files.flatMap((f) => violations(f, fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(found).toEqual([]);
  });

  it("no module is imported only for its side effects (the op registry is an ordinary import)", () => {
    const found = files.flatMap((f) => sideEffectImports(fs.readFileSync(path.join(ROOT, f), "utf8")).map((s) => `${f}: import "${s}"`));
    expect(found).toEqual([]);
  });

  it("the checker sees every kind of import that runs up a floor", () => {
    const text = [
      'import type { Graph } from "../ir/graph.js";',
      'export { x } from "../codegen/x.js";',
      'import "../runtime/index.js";',
      'const m = await import("../compiler/cli/main.js");',
      'const r = require("../runtime/cpu/execute.js");',
      'import { ok } from "./ndarray.js";',
      'import fs from "node:fs";',
      '// import { commented } from "../compiler/x.js";',
    ].join("\n");
    expect(violations("numeric/x.ts", text)).toEqual([
      "numeric/x.ts imports ir/graph.ts",
      "numeric/x.ts imports codegen/x.ts",
      "numeric/x.ts imports runtime/index.ts",
      "numeric/x.ts imports compiler/cli/main.ts",
      "numeric/x.ts imports runtime/cpu/execute.ts",
    ]);
    expect(violations("ir/graph.ts", 'import { a } from "../numeric/ndarray.js";\nimport { b } from "./op.js";')).toEqual([]);
    expect(violations("runtime/cpu/execute.ts", 'import { p } from "../../codegen/program.js";')).toEqual(["runtime/cpu/execute.ts imports codegen/program.ts"]);
    expect(sideEffectImports('import "./ops/index.js";\nimport { a } from "./a.js";')).toEqual(["./ops/index.js"]);
  });
});
