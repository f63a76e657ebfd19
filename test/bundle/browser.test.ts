/**
 * A bundle in a web page: the bundle folder is served from 127.0.0.1 (node:http, only files under
 * it, closed after), headless Chromium loads index.js as a module with no build step and runs the
 * forward pass and the training step on its WebGPU (SwiftShader here); the numbers must match the
 * same bundle run in Node. A tampered copy must be refused in the page too. And the
 * shape-polymorphic case: o2p-mnist built without an inputs file runs in the page with B = 5 and
 * with B = 7, lowering each shape there, matching the float64 CPU executor. Skips when Chromium or
 * its WebGPU adapter is missing, except in CI.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { decodeSafetensors } from "../../runtime/bundle/safetensors.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { normwise } from "../webgpu/compare.js";
import { device, hasGPU } from "../webgpu/gpu.js";
import { buildModels, polymorphicModel, writeBundles } from "./models.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-vulkan=swiftshader", "--use-webgpu-adapter=swiftshader", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const CI = process.env.CI === "true";
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && CI) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium (see README)`);

const { built } = await buildModels();
/** Every bundle the Node test runs. */
const models = built;
const poly = await polymorphicModel();

const TYPES: Record<string, string> = { ".js": "text/javascript", ".json": "application/json", ".wgsl": "text/plain", ".mpir": "text/plain", ".safetensors": "application/octet-stream", ".html": "text/html" };

/** Serves files under `root` only; `/tampered/…` is models-classifier with one kernel changed. */
function serve(root: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (rel === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>bundle</title>");
      return;
    }
    const tampered = rel.startsWith("/tampered/");
    if (tampered) rel = `/models-classifier/${rel.slice("/tampered/".length)}`;
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep) || rel.includes("..") || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer | string = fs.readFileSync(file);
    if (tampered && rel.endsWith(".wgsl")) body = body.toString("utf8") + "\n// changed after the build\n";
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
  });
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 1_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type Numbers = Record<string, number[]>;
interface RunResult {
  forward: Numbers;
  grads?: Numbers;
  loss?: number;
  after?: Numbers;
}

/**
 * The same calls in the page and in Node — forward, grad, one step, params — as a module served
 * next to the bundles (source text, so that no test transform touches it).
 */
const RUNNER = `
const arr = (v) => (typeof v === "number" ? [v] : Array.from(v));
const obj = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, arr(v)]));
const tensors = (inputs) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { shape: v.shape, data: v.dtype === "i32" ? Int32Array.from(v.data) : Float32Array.from(v.data) }]));
export async function run(load, opts, inputs) {
  const m = await load(opts);
  const x = tensors(inputs);
  const r = { forward: obj(await m.forward(x)) };
  if (m.manifest.loss) {
    const g = await m.grad(x);
    r.grads = obj(g.grads);
    r.loss = g.loss;
    await m.step(x, { lr: 0.25 });
    r.after = obj(await m.params());
  }
  m.dispose();
  return r;
}
/** Forward and grad of one loaded bundle for several calls (input shapes may differ). */
export async function calls(load, list) {
  const m = await load();
  const out = [];
  for (const inputs of list) {
    const x = tensors(inputs);
    const g = await m.grad(x);
    out.push({ forward: obj(await m.forward(x)), grads: obj(g.grads) });
  }
  m.dispose();
  return out;
}
export async function tampered(load) {
  return load().then(() => "accepted", (e) => e.code ?? String(e));
}
`;

describe.runIf(hasGPU && (hasChromium || CI))("bundles in headless Chromium", () => {
  let dir = "";
  let cleanup = () => {};
  let server: http.Server | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let pageHasWebGPU = false;
  let origin = "";

  beforeAll(async () => {
    ({ dir, cleanup } = writeBundles([...models, poly.model]));
    fs.writeFileSync(path.join(dir, "runner.js"), RUNNER);
    server = await serve(dir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    page = await browser.newPage();
    page.setDefaultTimeout(40_000);
    await page.goto(`${origin}/`);
    pageHasWebGPU = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!gpu && !!(await gpu.requestAdapter());
    });
    if (!pageHasWebGPU && CI) throw new Error("CI=true but Chromium offers no WebGPU adapter");
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    cleanup();
  });

  for (const m of models) {
    it(`${m.id}: the page computes what Node computes`, async (ctx) => {
      if (!pageHasWebGPU) ctx.skip();
      const inputs = Object.fromEntries(m.manifest.inputs.map((t) => [t.name, { dtype: t.dtype, shape: [...m.feeds.get(t.name)!.shape], data: [...m.feeds.get(t.name)!.data] }]));
      const fileUrl = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
      const runner = (await import(/* @vite-ignore */ fileUrl("runner.js"))) as { run: (load: unknown, opts: unknown, inputs: unknown) => Promise<RunResult> };
      const inNode = await runner.run((await import(/* @vite-ignore */ fileUrl(`${m.id}/index.js`))).load, { device: device!.device }, inputs);
      const inPage = (await page!.evaluate(`(async () => {
        const { run } = await import("/runner.js");
        const { load } = await import("/${m.id}/index.js");
        return run(load, {}, ${JSON.stringify(inputs)});
      })()`)) as RunResult;
      expect(Object.keys(inPage.forward).sort()).toEqual(Object.keys(inNode.forward).sort());
      const close = (a: Numbers | undefined, b: Numbers | undefined, what: string) => {
        for (const [k, want] of Object.entries(b ?? {})) {
          expect(a?.[k]?.length, `${what} ${k}`).toBe(want.length);
          want.forEach((w, i) => expect(Math.abs(a![k][i] - w), `${what} ${k}[${i}]: ${a![k][i]} vs ${w}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(w)));
        }
      };
      close(inPage.forward, inNode.forward, "forward");
      close(inPage.grads, inNode.grads, "grad");
      close(inPage.after, inNode.after, "params after step");
      if (inNode.loss !== undefined) expect(Math.abs(inPage.loss! - inNode.loss)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(inNode.loss));
    });
  }

  it("a bundle built without an inputs file runs in the page with B = 5 and with B = 7, matching the float64 CPU executor", async (ctx) => {
    if (!pageHasWebGPU) ctx.skip();
    const m = poly.model;
    expect(m.manifest.programs).toBeNull();
    const sizes = [...poly.feedsBySize.keys()];
    const list = [...poly.feedsBySize.values()].map((feeds) => Object.fromEntries(m.manifest.inputs.map((t) => [t.name, { dtype: t.dtype, shape: [...feeds.get(t.name)!.shape], data: [...feeds.get(t.name)!.data] }])));
    const inPage = (await page!.evaluate(`(async () => {
      const { calls } = await import("/runner.js");
      const { load } = await import("/${m.id}/index.js");
      return calls(load, ${JSON.stringify(list)});
    })()`)) as { forward: Numbers; grads: Numbers }[];
    const params = new Map([...decodeSafetensors(m.files.get(m.manifest.paramsFile) as Uint8Array)].map(([k, v]) => [k, { shape: [...v.shape], data: Float64Array.from(v.data) }]));
    const train = differentiate(m.graph).graph;
    [...poly.feedsBySize.values()].forEach((feeds, k) => {
      const all = new Map([...feeds, ...params]);
      const cpu = executeCPU(m.graph, all).outputs;
      expect(inPage[k].forward.logits.length).toBe(sizes[k] * 10);
      for (const [name, v] of cpu) expect(normwise(v.data, inPage[k].forward[name]), `B = ${sizes[k]}: ${name}`).toBeLessThanOrEqual(1e-4);
      const grads = executeCPU(train, all).outputs;
      for (const [name, g] of Object.entries(inPage[k].grads)) expect(normwise(grads.get(`grad.${name}`)!.data, g), `B = ${sizes[k]}: grad ${name}`).toBeLessThanOrEqual(1e-3);
    });
  });

  it("refuses a bundle whose kernel was changed after the build, with MP7003", async (ctx) => {
    if (!pageHasWebGPU) ctx.skip();
    const code = await page!.evaluate(`(async () => {
      const { tampered } = await import("/runner.js");
      return tampered((await import("/tampered/index.js")).load);
    })()`);
    expect(code).toBe("MP7003");
  });
});
