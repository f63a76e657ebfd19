/**
 * The CLI starts fast because each command loads only what it uses (compiler/cli/main.ts): hooks
 * in the spawned process log every module it imports or requires, and the heavy ones must be
 * absent where they are not needed — the TypeScript compiler (ts-morph) outside `check`, the
 * WebGPU lowering and Dawn in a CPU `run`, everything but commander for `--help`. The measured
 * start-up times are in the README ("Start-up and build times").
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "./helpers.js";

const HOOKS = `
import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(process.env.MATPROP_IMPORT_LOG, r.url + "\\n");
  return r;
}
`;

/** ES module resolutions go through the hook above; CommonJS `require`s are logged here. */
const REGISTER = `
import fs from "node:fs";
import Module, { register } from "node:module";
register("./hooks.mjs", import.meta.url);
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  try {
    fs.appendFileSync(process.env.MATPROP_IMPORT_LOG, Module._resolveFilename(request, parent) + "\\n");
  } catch {}
  return loaded;
};
`;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir({ "hooks.mjs": HOOKS, "register.mjs": REGISTER });
});
afterAll(() => tmp.cleanup());

/** The module URLs a CLI invocation imports (it must succeed). */
function imported(args: readonly string[]): string[] {
  const log = tmp.file(`imports-${args[0]}.log`);
  fs.rmSync(log, { force: true });
  const r = spawnSync(process.execPath, ["--import", tmp.file("register.mjs"), BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, MATPROP_IMPORT_LOG: log, NODE_OPTIONS: "" },
  });
  expect(r.status, r.stderr).toBe(0);
  return fs.readFileSync(log, "utf8").trim().split("\n");
}

const packages = (urls: readonly string[]) => new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
const own = (urls: readonly string[], folder: string) => urls.filter((u) => u.includes(`/dist/${folder}/`));

describe("what each command loads", () => {
  it("--help: commander and the CLI entry, nothing else of matprop's", () => {
    const urls = imported(["--help"]);
    expect([...packages(urls)]).toEqual(["commander"]);
    for (const folder of ["runtime/cpu", "runtime/webgpu", "compiler/dsl", "compiler/passes", "codegen", "compiler/bundle", "ir/ops"]) expect(own(urls, folder), folder).toEqual([]);
  });

  it("run --backend cpu: no TypeScript compiler, no tsx loader hooks, no WebGPU lowering or Dawn, no ml-matrix (only svd needs it)", () => {
    const urls = imported(["run", "examples/logm-probe/model.ts", "--inputs", "examples/logm-probe/inputs.json", "--backend", "cpu"]);
    const pkgs = packages(urls);
    for (const heavy of ["ts-morph", "typescript", "@ts-morph/common", "tsx", "webgpu", "ml-matrix"]) expect(pkgs.has(heavy), heavy).toBe(false);
    expect(own(urls, "codegen")).toEqual([]);
    expect(own(urls, "runtime/cpu").length).toBeGreaterThan(0);
  });

  it("build: no TypeScript compiler (index.js and index.d.ts are written as text)", () => {
    const out = path.join(tmp.dir, "bundle");
    const urls = imported(["build", "examples/o2p-layer/model.ts", "-o", out]);
    const pkgs = packages(urls);
    for (const heavy of ["ts-morph", "typescript", "@ts-morph/common", "tsx"]) expect(pkgs.has(heavy), heavy).toBe(false);
    expect(fs.existsSync(path.join(out, "index.d.ts"))).toBe(true);
  });

  it("check: loads the TypeScript compiler (the one command that needs it; also shows the log works)", () => {
    expect(packages(imported(["check", "examples/logm-probe/model.ts"])).has("ts-morph")).toBe(true);
  });
});
