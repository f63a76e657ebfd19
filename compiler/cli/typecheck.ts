/**
 * Type-checking a model file with the TypeScript compiler (through ts-morph): the static shape and
 * structure rules of the DSL are TypeScript types, so this is where a matmul with mismatched inner
 * dims or a `logm` of a general matrix is caught (static-errors.ts words them as `run` does).
 *
 * The model is checked under the nearest tsconfig.json above it, as an editor would, so its
 * `types` (node's `process`, say), `lib` and strictness apply; only what a check needs is forced:
 * no emit, `.ts` imports allowed, and `matprop` resolving to the copy running the check. Without a
 * tsconfig the defaults are strict NodeNext with no ambient types, and the result says so.
 */
import path from "node:path";
import { Project, ts, type CompilerOptions } from "ts-morph";
import { MatpropError } from "../../ir/diagnostics.js";
import { displayPath } from "../dsl/location.js";
import { ENTRY_DTS, RUNTIME_DTS } from "./package-root.js";
import { toDiagnostic } from "./static-errors.js";

export interface TypecheckResult {
  readonly errors: MatpropError[];
  /** The tsconfig.json the model was checked under (absolute), when one was found. */
  readonly tsconfig?: string;
}

/** Used when no tsconfig.json lies above the model. */
const DEFAULTS: CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
};

/** What a check of one file needs whatever the project's tsconfig says about building it. */
function forced(paths: CompilerOptions["paths"]): CompilerOptions {
  return {
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    // Settings about building the whole project that would reject a lone model file.
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    rootDir: undefined,
    // A tsconfig written for TypeScript 5 may use options TypeScript 6 deprecates.
    ignoreDeprecations: "6.0",
    // `matprop` resolves to the copy running this check, wherever the model lives.
    paths: { ...paths, matprop: [ENTRY_DTS], "matprop/runtime": [RUNTIME_DTS] },
  };
}

/** TS18003 "No inputs were found in config file": the model is added by hand, not by `include`. */
const IGNORED = new Set([18003]);

/** The nearest tsconfig.json in the model's folder or above it. */
function nearestTsconfig(abs: string): string | undefined {
  return ts.findConfigFile(path.dirname(abs), ts.sys.fileExists, "tsconfig.json");
}

function projectFor(tsconfig: string | undefined): Project {
  if (!tsconfig) return new Project({ compilerOptions: { ...DEFAULTS, ...forced(undefined) } });
  // Parsed once without overrides to learn the user's own `paths`, which ours extend.
  const own = new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true }).getCompilerOptions();
  return new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: forced(own.paths) });
}

export function typecheckModel(abs: string): TypecheckResult {
  const tsconfig = nearestTsconfig(abs);
  let project: Project;
  try {
    project = projectFor(tsconfig);
  } catch (e) {
    return { errors: [new MatpropError("MP1002", `cannot read ${displayPath(tsconfig!)}: ${(e as Error).message.split("\n")[0]}`)], tsconfig };
  }
  project.addSourceFileAtPath(abs);
  project.resolveSourceFileDependencies();
  const diags = project.getPreEmitDiagnostics().filter((d) => d.getCategory() === ts.DiagnosticCategory.Error && !IGNORED.has(d.getCode()));
  const errors: MatpropError[] = [];
  const seen = new Set<string>();
  for (const d of diags) {
    const e = toDiagnostic(d, tsconfig);
    // A call with two bad operands is one error.
    const key = e.format();
    if (!seen.has(key)) errors.push(e);
    seen.add(key);
  }
  return { errors, ...(tsconfig ? { tsconfig } : {}) };
}
