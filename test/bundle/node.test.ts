/**
 * Bundles in a fresh Node process that never imports compiler code: the test models and examples
 * are built into a folder outside the repository, a child `node` imports only each bundle's
 * index.js (a resolve hook logs every module it loads), and its forward outputs, gradients and SGD
 * step must match `runWebGPU` on the same graph and params (f32 tolerance).
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
import { buildModels, ROOT, writeBundles, type BuiltModel } from "./models.js";

const { built, skipped } = await buildModels();

interface ChildResult {
  forward: Record<string, number[]>;
  grad?: { loss: number; grads: Record<string, number[]> };
  step?: { loss: number; params: Record<string, number[]> };
  before: Record<string, number[]>;
}

const HOOKS = `
import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(process.env.MATPROP_IMPORT_LOG, r.url + "\\n");
  return r;
}
`;

/** Runs in the child: imports nothing but the bundles' index.js files. */
const CHILD = `
import fs from "node:fs";
const feeds = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = {};
const arr = (v) => (typeof v === "number" ? [v] : Array.from(v));
const obj = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, arr(v)]));
for (const [id, inputs] of Object.entries(feeds)) {
  const { load } = await import("./" + id + "/index.js");
  const m = await load();
  const x = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.dtype === "i32" ? Int32Array.from(v.data) : Float32Array.from(v.data)]));
  const r = { before: obj(m.params()), forward: obj(await m.forward(x)) };
  if (m.manifest.loss) {
    const g = await m.grad(x);
    r.grad = { loss: g.loss, grads: obj(g.grads) };
    const s = await m.step(x, { lr: 0.25 });
    r.step = { loss: s.loss, params: obj(m.params()) };
  }
  out[id] = r;
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
  let results: Record<string, ChildResult> = {};
  let loaded: string[] = [];

  beforeAll(() => {
    ({ dir, cleanup } = writeBundles(built));
    const feeds = Object.fromEntries(built.map((m) => [m.id, Object.fromEntries(m.manifest.inputs.map((t) => [t.name, { dtype: t.dtype, data: [...m.feeds.get(t.name)!.data] }]))]));
    fs.writeFileSync(path.join(dir, "feeds.json"), JSON.stringify(feeds));
    fs.writeFileSync(path.join(dir, "hooks.mjs"), HOOKS);
    fs.writeFileSync(path.join(dir, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
    fs.writeFileSync(path.join(dir, "child.mjs"), CHILD);
    const log = path.join(dir, "imports.log");
    const r = spawnSync(process.execPath, ["--import", "./register.mjs", "child.mjs", "feeds.json", "results.json"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, MATPROP_IMPORT_LOG: log, NODE_OPTIONS: "" },
    });
    if (r.status !== 0) throw new Error(`child node failed (${r.status ?? r.signal}): ${r.stderr}`);
    results = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as Record<string, ChildResult>;
    loaded = fs.readFileSync(log, "utf8").trim().split("\n");
  });
  afterAll(() => cleanup());

  it("loads nothing but the bundles' own files, node: builtins and the webgpu package", () => {
    const bundles = pathToFileURL(dir).href + "/";
    const webgpu = pathToFileURL(fs.realpathSync(path.join(ROOT, "node_modules", "webgpu"))).href + "/";
    expect(loaded.some((u) => u.endsWith("/runtime/bundle/open.js"))).toBe(true);
    for (const url of loaded) {
      expect(url).not.toContain("/compiler/");
      const ok = url.startsWith("node:") || url.startsWith(bundles) || url.startsWith(webgpu);
      expect(ok, url).toBe(true);
    }
  });

  for (const s of skipped) it.skip(`${s.id}: ${s.reason}`, () => {});

  for (const m of built) {
    it(`${m.id}: forward, gradients and one SGD step match runWebGPU`, async () => {
      const r = results[m.id];
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
});
