/**
 * Loading and running a bundle: read manifest.json, validate it (structure, version), read the
 * kernel and params files it names, check the content hash, get a device (the caller's, or one
 * requested here), check the device's limits and compile every kernel — all before the first run.
 * Then `forward`, `grad` and `step` check their inputs and run the forward or training-step
 * program; the bundle holds its params and `step` updates them in place (plain SGD). Every failure
 * is a BundleError. Reads files with node:fs for file: URLs and fetch otherwise, so the same code
 * runs in Node and in a browser.
 */
import { acquireDevice } from "../webgpu/device.js";
import { runProgram, WebGPURunError } from "../webgpu/execute.js";
import { KernelCompileError, pipelineFor } from "../webgpu/pipelines.js";
import type { Program } from "../../codegen/program.js";
import { BundleError, bundleFail } from "./errors.js";
import { tensorValues } from "./inputs.js";
import { checkBundleLimits } from "./limits.js";
import { GRAD_PREFIX, parseManifest, type Manifest } from "./manifest.js";
import { kernelSource, programOf } from "./program.js";
import { FORWARD, filesOf, TRAINING_STEP, verifyContents, type VerifiedBundle } from "./verify.js";

/** Tensors by name: a Float32Array for each array, a number for each scalar. */
export type Tensors = Record<string, Float32Array | number>;

/** What a bundle's `grad(inputs)` returns: the loss, the model's outputs and the gradients. */
export interface GradResult {
  /** The loss the model returned. */
  readonly loss: number;
  /** The model's outputs, by name. */
  readonly outputs: Tensors;
  /** ∂loss/∂x for every float input and param, by name. */
  readonly grads: Record<string, Float32Array>;
}

/** A loaded, checked kernel bundle: `forward`, `grad` and `step` run it on its WebGPU device. */
export interface LoadedBundle {
  /** The model's name. */
  readonly name: string;
  /** The content hash manifest.json records (checked at load). */
  readonly hash: string;
  /** The bundle's checked manifest.json. */
  readonly manifest: Manifest;
  /** The WebGPU adapter the bundle runs on, in words. */
  readonly adapter: string;
  /** Copies of the params the bundle holds. */
  params(): Record<string, Float32Array>;
  /** Replaces some or all params (checked like inputs). */
  setParams(values: Record<string, unknown>): void;
  /** Runs the forward program; returns the outputs by name. */
  forward(inputs: Record<string, unknown>): Promise<Tensors>;
  /** Runs the training program without updating params: the loss, outputs and every gradient. */
  grad(inputs: Record<string, unknown>): Promise<GradResult>;
  /** One SGD update `p ← p − lr·∂loss/∂p` of every param; returns the loss and outputs before the update. */
  step(inputs: Record<string, unknown>, opts: { lr: number }): Promise<{
    /** The loss before the update. */
    loss: number;
    /** The outputs before the update. */
    outputs: Tensors;
  }>;
}

const FETCH_TIMEOUT_MS = 60_000;

async function readFile(url: URL): Promise<Uint8Array> {
  try {
    if (url.protocol === "file:") {
      const fs = await import("node:fs/promises");
      return new Uint8Array(await fs.readFile(url));
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) bundleFail("MP7004", `${url.href}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (e instanceof BundleError) throw e;
    bundleFail("MP7004", `cannot read bundle file ${url.href}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads and verifies a bundle's files without a device. */
export async function readBundle(base: string | URL): Promise<VerifiedBundle> {
  let root: URL;
  try {
    root = new URL(String(base));
  } catch {
    bundleFail("MP7013", `bundle location ${String(base)} is not a URL`);
  }
  if (!root.pathname.endsWith("/")) root = new URL(`${root.pathname}/`, root);
  const manifest = parseManifest(new TextDecoder().decode(await readFile(new URL("manifest.json", root))));
  const files = await Promise.all(filesOf(manifest).map((f) => readFile(new URL(f, root))));
  return verifyContents(manifest, files.slice(0, -1), files[files.length - 1]);
}

function isDevice(d: unknown): d is GPUDevice {
  return typeof d === "object" && d !== null && "limits" in d && "queue" in d && typeof (d as GPUDevice).createBuffer === "function";
}

/**
 * Loads the bundle in folder `base` (a file: URL, path or http(s) URL): reads and checks its
 * manifest, content hash, kernels and params, gets a WebGPU device (`opts.device`, or one requested
 * here) and compiles every kernel before the first run. A bundle's own `index.js` `load()` calls it.
 * Every failure is a {@link BundleError}.
 */
export async function openBundle(base: string | URL, opts: { device?: unknown; timeoutMs?: unknown } = {}): Promise<LoadedBundle> {
  const timeoutMs = opts.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))) {
    bundleFail("MP7013", `load({ timeoutMs }) needs a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  const bundle = await readBundle(base);
  const m = bundle.manifest;
  let device: GPUDevice;
  let adapter = "the caller's device";
  if (opts.device !== undefined) {
    if (!isDevice(opts.device)) bundleFail("MP7013", "load({ device }) needs a GPUDevice");
    device = opts.device;
  } else {
    const acquired = await acquireDevice().catch(() => null);
    if (!acquired) bundleFail("MP7011", "no WebGPU adapter: in a browser, use one with WebGPU enabled; in Node, install the `webgpu` package next to the bundle (and, without a GPU, Debian's chromium + libvulkan1 for the software adapter), or pass load({ device })");
    device = acquired.device;
    adapter = acquired.adapterInfo;
  }
  checkBundleLimits(device.limits, m);
  const forwardProgram = programOf(m, bundle.kernels, m.programs.forward, FORWARD);
  const trainProgram = m.programs.train && programOf(m, bundle.kernels, m.programs.train, TRAINING_STEP);
  // Compile every kernel now: a shader this device rejects fails the load, not the first run.
  await Promise.all(
    m.kernels.map((k, i) =>
      pipelineFor(device, kernelSource(m, bundle.kernels, i, [1, 1, 1])).catch((e: unknown) => {
        bundleFail("MP7012", e instanceof KernelCompileError ? e.message : `kernel '${k.name}' failed to compile: ${e instanceof Error ? e.message : String(e)}`);
      }),
    ),
  );

  const params = new Map<string, Float32Array>([...bundle.params].map(([k, v]) => [k, Float32Array.from(v)]));
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs one program at a time, so a step's param update lands before the next run reads them. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const run = async (p: Program, inputs: Record<string, unknown>): Promise<Map<string, Float32Array>> => {
    const feeds = tensorValues(m.inputs, inputs, "input");
    for (const [k, v] of params) feeds.set(k, v);
    try {
      return await runProgram(device, p, feeds, { timeoutMs });
    } catch (e) {
      if (e instanceof WebGPURunError) bundleFail(e.kind === "limits" ? "MP7006" : e.kind === "timeout" ? "MP7015" : "MP7012", e.message);
      if (e instanceof BundleError) throw e;
      bundleFail("MP7012", `WebGPU failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const outputsOf = (raw: Map<string, Float32Array>): Tensors => {
    const out: Tensors = {};
    for (const o of m.outputs) {
      const v = raw.get(o.name)!;
      out[o.name] = o.shape.length === 0 ? v[0] : v;
    }
    return out;
  };
  const needTrain = (): Program => trainProgram ?? bundleFail("MP7013", `bundle '${m.name}' has no training step (its model has no scalar 'loss' output)`);
  const grad = async (inputs: Record<string, unknown>): Promise<GradResult> => {
    const raw = await run(needTrain(), inputs);
    const grads: Record<string, Float32Array> = {};
    for (const [k, v] of raw) if (k.startsWith(GRAD_PREFIX)) grads[k.slice(GRAD_PREFIX.length)] = v;
    const outputs = outputsOf(raw);
    return { loss: outputs[m.loss!] as number, outputs, grads };
  };

  return {
    name: m.name,
    hash: m.hash,
    manifest: m,
    adapter,
    params: () => Object.fromEntries([...params].map(([k, v]) => [k, Float32Array.from(v)])),
    setParams(values) {
      for (const [k, v] of tensorValues(m.params, values, "param", { partial: true })) params.set(k, v);
    },
    forward: (inputs) => serial(async () => outputsOf(await run(forwardProgram, inputs))),
    grad: (inputs) => serial(() => grad(inputs)),
    step: (inputs, opts) =>
      serial(async () => {
        const lr = (opts as { lr?: unknown } | undefined)?.lr;
        if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) bundleFail("MP7013", `step(inputs, { lr }) needs a finite learning rate ≥ 0, got ${String(lr)}`);
        needTrain();
        const r = await grad(inputs);
        for (const [name, p] of params) {
          const g = r.grads[name];
          if (g) for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
        }
        return { loss: r.loss, outputs: r.outputs };
      }),
  };
}
