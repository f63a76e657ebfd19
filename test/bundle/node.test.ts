/**
 * Bundles in a fresh Node process that never imports compiler code: the test models and examples
 * are built into a folder outside the repository, a child `node` imports only each bundle's
 * index.js (a resolve hook logs every module it loads), and its forward outputs, gradients and SGD
 * step must match `runWebGPU` on the same graph and params (f32 tolerance). The test models have
 * named dims and are built without inputs (each call binds them). And the shape-polymorphic case:
 * o2p-mnist built without an inputs file runs with B = 5 and with B = 7, matching the float64 CPU
 * executor, and loads nothing of the compiler (no DSL, passes, TypeScript or esbuild).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWebGPU } from "../../compiler/backend/webgpu.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { decodeSafetensors } from "../../runtime/bundle/safetensors.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { hasGPU } from "../webgpu/gpu.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { normwise } from "../webgpu/compare.js";
import { buildModels, polymorphicModel, ROOT, writeBundles, type BuiltModel } from "./models.js";

const { built, skipped } = await buildModels();
const poly = await polymorphicModel();

interface ChildResult {
  forward: Record<string, number[]>;
  grad?: { loss: number; grads: Record<string, number[]> };
  step?: { loss: number; params: Record<string, number[]> };
  before: Record<string, number[]>;
}

/** Feeds as the child reads them: per bundle, a list of calls, each inputs by name. */
type Calls = Record<string, Record<string, { dtype: string; shape: number[]; data: number[] }>[]>;
const callOf = (m: BuiltModel, feeds: ReadonlyMap<string, NDArray>) => Object.fromEntries(m.manifest.inputs.map((t) => [t.name, { dtype: t.dtype, shape: [...feeds.get(t.name)!.shape], data: [...feeds.get(t.name)!.data] }]));

const HOOKS = `
import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(process.env.MATPROP_IMPORT_LOG, r.url + "\\n");
  return r;
}
`;

/** Runs in the child: imports nothing but the bundles' index.js files. Every call passes { data, shape }. */
const CHILD = `
import fs from "node:fs";
const feeds = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = {};
const arr = (v) => (typeof v === "number" ? [v] : Array.from(v));
const obj = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, arr(v)]));
const tensors = (inputs) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { shape: v.shape, data: v.dtype === "i32" ? Int32Array.from(v.data) : Float32Array.from(v.data) }]));
for (const [id, calls] of Object.entries(feeds)) {
  const { load } = await import(new URL(id + "/index.js", import.meta.url).href);
  const m = await load();
  out[id] = [];
  const before = obj(await m.params());
  for (const inputs of calls) {
    const x = tensors(inputs);
    const r = { before, forward: obj(await m.forward(x)) };
    if (m.manifest.loss) {
      const g = await m.grad(x);
      r.grad = { loss: g.loss, grads: obj(g.grads) };
    }
    out[id].push(r);
  }
  // One SGD step on the last call's inputs: the params must move by lr times that call's gradients.
  if (m.manifest.loss) {
    const last = out[id][out[id].length - 1];
    const s = await m.step(tensors(calls[calls.length - 1]), { lr: 0.25 });
    last.step = { loss: s.loss, params: obj(await m.params()) };
  }
  m.dispose();
}
fs.writeFileSync(process.argv[3], JSON.stringify(out));
`;

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]);
    if (!(Math.abs(got[i] - want[i]) <= tol)) expect.fail(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

function paramsOf(m: BuiltModel): Map<string, NDArray> {
  const t = decodeSafetensors(m.files.get(m.manifest.paramsFile) as Uint8Array);
  return new Map([...t].map(([k, v]) => [k, { shape: [...v.shape], data: Float64Array.from(v.data) }]));
}

describe.runIf(hasGPU)("bundles in a fresh Node process", () => {
  let dir = "";
  let cleanup = () => {};
  let results: Record<string, ChildResult[]> = {};
  let loaded: string[] = [];

  beforeAll(() => {
    ({ dir, cleanup } = writeBundles([...built, poly.model]));
    const feeds: Calls = Object.fromEntries(built.map((m) => [m.id, [callOf(m, m.feeds)]]));
    feeds[poly.model.id] = [...poly.feedsBySize.values()].map((f) => callOf(poly.model, f));
    fs.writeFileSync(path.join(dir, "feeds.json"), JSON.stringify(feeds));
    fs.writeFileSync(path.join(dir, "hooks.mjs"), HOOKS);
    fs.writeFileSync(path.join(dir, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
    fs.writeFileSync(path.join(dir, "child.mjs"), CHILD);
    const log = path.join(dir, "imports.log");
    const r = spawnSync(process.execPath, ["--import", "./register.mjs", "child.mjs", "feeds.json", "results.json"], {
      cwd: dir,
      encoding: "utf8",
      // The child lowers o2p-mnist for B = 5 and B = 7 at call time (forward, gradients, a step) and
      // compiles their kernels: under 20 s of CPU (the whole file: 22 s user time), minutes of wall time on a loaded 2-core machine.
      timeout: 240_000,
      env: { ...process.env, MATPROP_IMPORT_LOG: log, NODE_OPTIONS: "" },
    });
    if (r.status !== 0) throw new Error(`child node failed (${r.status ?? r.signal}): ${r.stderr}`);
    results = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as Record<string, ChildResult[]>;
    loaded = fs.readFileSync(log, "utf8").trim().split("\n");
  }, 300_000);
  afterAll(() => cleanup());

  it("loads nothing but the bundles' own files, node: builtins and the webgpu package — nothing of the compiler", () => {
    const bundles = pathToFileURL(dir).href + "/";
    const webgpu = pathToFileURL(fs.realpathSync(path.join(ROOT, "node_modules", "webgpu"))).href + "/";
    expect(loaded.some((u) => u.endsWith("/runtime/bundle/open.js"))).toBe(true);
    for (const url of loaded) {
      // Not the compiler: no DSL, no passes, no TypeScript, no esbuild (the lowering and the IR are the runtime's floors).
      expect(url).not.toContain("/compiler/");
      for (const pkg of ["typescript", "ts-morph", "esbuild", "tsx"]) expect(url).not.toContain(`/node_modules/${pkg}/`);
      const ok = url.startsWith("node:") || url.startsWith(bundles) || url.startsWith(webgpu);
      expect(ok, url).toBe(true);
    }
  });

  for (const s of skipped) it.skip(`${s.id}: ${s.reason}`, () => {});

  for (const m of built) {
    it(`${m.id}: forward, gradients and one SGD step match runWebGPU`, async () => {
      const r = results[m.id][0];
      const params = paramsOf(m);
      // The bundle's params are the ones `matprop run --seed 0` initialises.
      const init = bindInputs(m.graph, m.feeds, 0).sources;
      for (const [node, v] of init) if (node.op === "param") close(r.before[node.attrs.name as string], Float32Array.from(v.data), `param ${node.attrs.name as string}`);
      const feeds = new Map([...m.feeds, ...params]);
      const fwd = await runWebGPU(m.graph, feeds);
      for (const o of m.manifest.outputs) close(r.forward[o.name], fwd.outputs.get(o.name)!.data, `${m.id} forward ${o.name}`);
      if (!m.manifest.loss) return;
      const train = await runWebGPU(differentiate(m.graph, { wrt: "params" }).graph, feeds);
      close([r.grad!.loss], train.outputs.get("loss")!.data, `${m.id} loss`);
      for (const [name, g] of Object.entries(r.grad!.grads)) close(g, train.outputs.get(`grad.${name}`)!.data, `${m.id} grad ${name}`);
      expect(Object.keys(r.grad!.grads).sort()).toEqual([...train.outputs.keys()].filter((k) => k.startsWith("grad.")).map((k) => k.slice(5)).sort());
      for (const [name, p] of params) {
        const want = Float32Array.from(p.data, (x, i) => x - 0.25 * r.grad!.grads[name][i]);
        close(r.step!.params[name], want, `${m.id} param ${name} after step`);
      }
    });
  }

  it("a bundle built without an inputs file runs with B = 5 and with B = 7, matching the float64 CPU executor", () => {
    const m = poly.model;
    expect(m.manifest.programs).toBeNull();
    expect(m.manifest.inputs.find((t) => t.name === "x")!.shape[0]).toBe("B");
    const params = paramsOf(m);
    const train = differentiate(m.graph).graph;
    const runs = results[m.id];
    expect(runs.length).toBe(2);
    [...poly.feedsBySize].forEach(([size, feeds], k) => {
      const r = runs[k];
      const all = new Map([...feeds, ...params]);
      const cpu = executeCPU(m.graph, all).outputs;
      expect(r.forward.logits.length).toBe(size * 10);
      for (const [name, v] of cpu) expect(normwise(v.data, r.forward[name]), `B = ${size}: ${name}`).toBeLessThanOrEqual(1e-4);
      const grads = executeCPU(train, all).outputs;
      for (const [name, g] of Object.entries(r.grad!.grads)) expect(normwise(grads.get(`grad.${name}`)!.data, g), `B = ${size}: grad ${name}`).toBeLessThanOrEqual(1e-3);
    });
  });
});
