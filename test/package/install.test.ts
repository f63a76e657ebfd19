/**
 * The package as a user gets it: `npm pack`, then `npm install` of the tarball into a fresh ES
 * module project (from the npm cache where it can). The install pulls only production
 * dependencies (no example data); the tarball ships its README's links, a LICENSE and no source
 * maps without sources; `npx matprop --version`, `check` and `run` work; so does a project whose
 * package.json says "type": "commonjs". A TypeScript script using the programmatic API trains for
 * 50 steps on the CPU and on WebGPU, saves a checkpoint, loads it into a new compile and gets the
 * same outputs; `build --params` takes the checkpoint; a CommonJS script `require`s the API.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenLinks, markdownFiles } from "../docs/links.js";
import { hasGPU } from "../webgpu/gpu.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The README's first model. */
const MODEL = `import { model, ops, linalg } from "matprop";

export default model("logm-probe", ({ input, param }) => {
  const X = input("X", [4, 4], { structure: "spd" });
  const W = param("W", [4, 4], { init: "normal" });
  return { loss: ops.sum(ops.mul(linalg.logm(X), W)) };
});
`;
/** A ```ts block of the README that starts with `first` (its "Training from code" files). */
function readmeBlock(first: string): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf("```ts\n" + first);
  if (at < 0) throw new Error(`README has no \`\`\`ts block starting ${first}`);
  return readme.slice(at + 6, readme.indexOf("```\n", at + 6));
}
/** The README's model file and training loop, run with the backend from argv, reporting as JSON. */
const NET = readmeBlock("// net.ts");
const TRAIN =
  readmeBlock("// train.ts").replaceAll('backend: "auto"', 'backend: process.argv[2] as "cpu" | "webgpu"') +
  "console.log(JSON.stringify({ backend: again.backend, first: losses[0], last: losses[49], steps: step.steps, same: loaded.logits.data.every((v, i) => v === trained.logits.data[i]), grads: Object.keys(grads).sort(), loss: outputs.loss.data[0] }));\nagain.dispose();\n";
const INPUTS = JSON.stringify({ X: [[2, 0, 0, 0], [0, 3, 0, 0], [0, 0, 4, 0], [0, 0, 0, 5]] });

function sh(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>): string {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

let tmp: string;
let project: string;
let installed: string;
let tarballFiles: string[];

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "matprop-pack-")));
  // dist/ is built by `npm test` before vitest runs; --ignore-scripts skips a second build.
  const packed = JSON.parse(ok(sh(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT))) as { filename: string; files: { path: string }[] }[];
  tarballFiles = packed[0].files.map((f) => f.path);
  project = path.join(tmp, "esm");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "fresh", version: "1.0.0", private: true, type: "module" }));
  ok(sh(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", path.join(tmp, packed[0].filename)], project));
  installed = path.join(project, "node_modules", pkg.name);
}, 300_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Installed package names (scoped ones as @scope/name), nested ones included. */
function installedPackages(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm)) {
      if (e.startsWith(".")) continue;
      const names = e.startsWith("@") ? fs.readdirSync(path.join(nm, e)).map((s) => `${e}/${s}`) : [e];
      for (const n of names) {
        out.add(n);
        walk(path.join(nm, n, "node_modules"));
      }
    }
  };
  walk(path.join(dir, "node_modules"));
  return out;
}

describe("the tarball", () => {
  it("ships the CLI, the built package, README, LICENSE and docs; no tests, examples or scripts", () => {
    for (const f of ["bin/matprop.js", "dist/index.js", "dist/index.d.ts", "dist/runtime/index.js", "README.md", "LICENSE", "docs/design.md", "docs/api/README.md", "docs/inspector.png"]) expect(tarballFiles).toContain(f);
    expect(tarballFiles.filter((f) => /^(test|examples|scripts|compiler|ir|runtime)\//.test(f))).toEqual([]);
    expect(fs.readFileSync(path.join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("has no source map whose sources are not in it", () => {
    const missing = tarballFiles
      .filter((f) => f.endsWith(".map"))
      .flatMap((f) => {
        const map = JSON.parse(fs.readFileSync(path.join(installed, f), "utf8")) as { sources: string[]; sourcesContent?: unknown[] };
        return map.sourcesContent ? [] : map.sources.filter((s) => !fs.existsSync(path.resolve(path.dirname(path.join(installed, f)), s))).map((s) => `${f} → ${s}`);
      });
    expect(missing).toEqual([]);
  });

  it("its README and docs link only to files it ships", () => {
    expect(brokenLinks([path.join(installed, "README.md"), ...markdownFiles(path.join(installed, "docs"))], installed)).toEqual([]);
  });
});

describe("npm install of the tarball", () => {
  it("pulls no example data and none of the development tools", () => {
    const dev = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies);
    expect(dev).toContain("mnist");
    const got = installedPackages(project);
    expect(got.has("tsx") && got.has("ts-morph"), "the production dependencies are there").toBe(true);
    expect(dev.filter((d) => got.has(d))).toEqual([]);
  });

  it("`npx matprop --version` prints the package's version", () => {
    expect(ok(sh("npx", ["--no", "--", "matprop", "--version"], project))).toBe(`${pkg.version}\n`);
  });

  it("check and run the README's model", () => {
    fs.writeFileSync(path.join(project, "model.ts"), MODEL);
    fs.writeFileSync(path.join(project, "inputs.json"), INPUTS);
    expect(ok(sh("npx", ["--no", "--", "matprop", "check", "model.ts"], project))).toBe("model.ts: ok (no tsconfig.json: strict defaults)\n");
    const out = JSON.parse(ok(sh("npx", ["--no", "--", "matprop", "run", "model.ts", "--inputs", "inputs.json", "--backend", "cpu"], project))) as { outputs: { loss: number } };
    expect(Number.isFinite(out.outputs.loss)).toBe(true);
  });

  it("in a CommonJS project: the CLI works, and an ES module importing the model gets it through asModel", () => {
    // A folder inside the project with "type": "commonjs" (npm init -y) uses the same node_modules.
    const cjs = path.join(project, "cjs");
    fs.mkdirSync(cjs);
    fs.writeFileSync(path.join(cjs, "package.json"), JSON.stringify({ name: "cjs", version: "1.0.0", type: "commonjs" }));
    fs.writeFileSync(path.join(cjs, "model.ts"), MODEL);
    fs.writeFileSync(path.join(cjs, "inputs.json"), INPUTS);
    const bin = path.join(installed, "bin", "matprop.js");
    expect(ok(sh(process.execPath, [bin, "check", "model.ts"], cjs))).toBe("model.ts: ok (no tsconfig.json: strict defaults)\n");
    const viaCli = JSON.parse(ok(sh(process.execPath, [bin, "run", "model.ts", "--inputs", "inputs.json", "--backend", "cpu"], cjs))) as { outputs: { loss: number } };
    // The model as TypeScript compiles it for a CommonJS package, imported by an ES module: Node
    // hands the importer the exports object, { default: model }.
    fs.writeFileSync(
      path.join(cjs, "model.js"),
      [
        `"use strict";`,
        `Object.defineProperty(exports, "__esModule", { value: true });`,
        `const matprop_1 = require("matprop");`,
        `exports.default = (0, matprop_1.model)("logm-probe", ({ input, param }) => {`,
        `  const X = input("X", [4, 4], { structure: "spd" });`,
        `  const W = param("W", [4, 4], { init: "normal" });`,
        `  return { loss: matprop_1.ops.sum(matprop_1.ops.mul(matprop_1.linalg.logm(X), W)) };`,
        `});`,
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(cjs, "script.mjs"),
      [
        `import m from "./model.js";`,
        `import { asModel } from "matprop";`,
        `import { executeCPU, fromNested } from "matprop/runtime";`,
        `const X = fromNested("X", (${INPUTS}).X);`,
        `const run = executeCPU(asModel(m).build(), new Map([["X", X]]), { seed: 0 });`,
        `console.log(JSON.stringify({ keys: Object.keys(m), loss: run.outputs.get("loss").data[0] }));`,
      ].join("\n"),
    );
    const fromScript = JSON.parse(ok(sh(process.execPath, ["script.mjs"], cjs))) as { keys: string[]; loss: number };
    // Node handed the ES module the CommonJS exports object, and asModel found the model in it.
    expect(fromScript.keys).toEqual(["default"]);
    expect(fromScript.loss).toBe(viaCli.outputs.loss);
  });

  it.each(["cpu", ...(hasGPU ? ["webgpu"] : [])])("a TypeScript script trains 50 steps on %s, and a checkpoint loads into a new compile with the same outputs", (backend) => {
    fs.writeFileSync(path.join(project, "net.ts"), NET);
    fs.writeFileSync(path.join(project, "train.ts"), TRAIN);
    const r = JSON.parse(ok(sh(process.execPath, ["--import", "tsx", "train.ts", backend], project)).trimEnd().split("\n").at(-1)!) as { backend: string; first: number; last: number; steps: number; same: boolean; grads: string[] };
    expect(r.backend).toBe(backend);
    expect(r.steps).toBe(50);
    expect(r.last).toBeLessThan(0.5 * r.first);
    expect(r.same).toBe(true);
    expect(r.grads).toEqual(["W1", "W2", "b1"]);
    // The checkpoint (params and Adam's state) is a params file for `build`.
    const out = ok(sh("npx", ["--no", "--", "matprop", "build", "net.ts", "-o", `bundle-${backend}`, "--params", "ckpt.safetensors"], project));
    expect(out).toMatch(/3 params/);
  });

  it("a CommonJS script require()s the API and trains", () => {
    const cjs = path.join(project, "cjs");
    fs.writeFileSync(
      path.join(cjs, "train.js"),
      [
        `const { compile, model, nn, ops, optim } = require("matprop");`,
        `const net = model("lin", ({ input, param }) => ({ loss: ops.sum(ops.mul(ops.matmul(input("X", [2, 3]), param("W", [3, 2])), 0.5)) }));`,
        `compile(net, { backend: "cpu" }).then(async (prog) => {`,
        `  const step = prog.trainer(optim.sgd({ lr: 0.1, momentum: 0.9 }));`,
        `  const X = [[1, 2, 3], [4, 5, 6]];`,
        `  console.log(JSON.stringify([await step({ X }), await step({ X })]));`,
        `});`,
      ].join("\n"),
    );
    const losses = JSON.parse(ok(sh(process.execPath, ["train.js"], cjs))) as number[];
    expect(losses[1]).toBeLessThan(losses[0]);
  });
});