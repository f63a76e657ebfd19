/**
 * Loading and running a bundle: read manifest.json, validate it (structure, version), read the
 * kernel, graph and params files it names, check the content hash, get a device (the caller's, or
 * one requested here), check the device's limits and compile the precompiled kernels — all before
 * the first run. The model then lives on the device (runtime/webgpu/resident-model.ts): its params
 * in device buffers, its programs resident per input shape — the precompiled ones for the build
 * shape, others lowered from the bundle's graphs when a call first binds its named dims to new
 * sizes (against this device's limits, and checked before use). `forward`, `grad` and `step`
 * check their inputs; `step` updates the params in place on the device with SGD (momentum,
 * Nesterov), Adam or AdamW and reads back only the loss. Every failure is a BundleError. Reads files
 * with node:fs for file: URLs and fetch otherwise, so the same code runs in Node and in a browser.
 */
import { MatpropError } from "../../ir/diagnostics.js";
import { learningRate, optimizerRule, type OptimizerSpec } from "../../ir/optimizer.js";
import { acquireDevice } from "../webgpu/device.js";
import { WebGPURunError } from "../webgpu/errors.js";
import { KernelCompileError, pipelineFor } from "../webgpu/pipelines.js";
import { ResidentModel, type Feed } from "../webgpu/resident-model.js";
import { BundleError, bundleFail } from "./errors.js";
import { tensorValues, type CheckedTensor } from "./inputs.js";
import { checkBundleLimits } from "./limits.js";
import { paramsOf, readSafetensors } from "./safetensors.js";
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
  /** ∂loss/∂x for every param (and every float input when built with `--wrt all`), by name. */
  readonly grads: Record<string, Float32Array>;
}

/**
 * One training step: `{ lr }` is plain SGD; `optimizer` is any of the bundle's optimizers as data
 * (`{ kind: "sgd", lr, momentum?, nesterov?, weightDecay? }`, `{ kind: "adam" | "adamw", lr, beta1?,
 * beta2?, eps?, weightDecay? }`); `read` names outputs to bring back besides the loss.
 */
export interface StepOptions {
  /** The learning rate of plain SGD (without `optimizer`). */
  readonly lr?: number;
  /** The optimizer, as data; its state stays on the device while the same optimizer steps. */
  readonly optimizer?: OptimizerSpec;
  /** Outputs to read back besides the loss. */
  readonly read?: readonly string[];
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
  /** Copies of the params the bundle holds, read back from the device. */
  params(): Promise<Record<string, Float32Array>>;
  /**
   * Replaces some or all params (checked like inputs): typed arrays by name, or the bytes of a
   * safetensors file — a checkpoint saved by `compile(...).saveParams()` gives its params.
   */
  setParams(values: Record<string, unknown> | Uint8Array): void;
  /** Runs the forward program; returns the outputs by name. */
  forward(inputs: Record<string, unknown>): Promise<Tensors>;
  /** Runs the training program without updating params: the loss, outputs and every gradient. */
  grad(inputs: Record<string, unknown>): Promise<GradResult>;
  /**
   * One update of every param on the device (forward, backward and the optimizer in one
   * submission); resolves to the loss before the update and the outputs named in `read`. The
   * optimizer's state (momentum, moments, step count) stays on the device between steps and
   * starts afresh when the optimizer changes.
   */
  step(inputs: Record<string, unknown>, opts: StepOptions): Promise<{
    /** The loss before the update. */
    loss: number;
    /** The outputs named in `read`, before the update. */
    outputs: Tensors;
  }>;
  /** Frees the bundle's device buffers; the bundle cannot run afterwards. */
  dispose(): void;
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
  return verifyContents(manifest, files);
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
  // Compile every precompiled kernel now: a shader this device rejects fails the load, not the first run.
  await Promise.all(
    m.kernels.map((k, i) =>
      pipelineFor(device, kernelSource(m, bundle.kernels, i, [1, 1, 1])).catch((e: unknown) => {
        bundleFail("MP7012", e instanceof KernelCompileError ? e.message : `kernel '${k.name}' failed to compile: ${e instanceof Error ? e.message : String(e)}`);
      }),
    ),
  );
  const buildDims = m.dims;
  const programs = m.programs;
  const precompiled = { forward: programs && programOf(m, bundle.kernels, programs.forward, FORWARD), grad: programs?.train ? programOf(m, bundle.kernels, programs.train, TRAINING_STEP) : null };
  const model = new ResidentModel(device, { forward: bundle.graphs.forward, step: bundle.graphs.train }, bundle.params, {
    timeoutMs: timeoutMs as number | undefined,
    // The build shape's programs serve the devices of their tiers; anything else is lowered here.
    precompiled: (kind, dims, tier) => {
      if (!buildDims || !m.tiers.includes(tier) || dims.size !== Object.keys(buildDims).length || [...dims].some(([d, n]) => buildDims[d] !== n)) return undefined;
      return precompiled[kind] ?? undefined;
    },
  });
  const paramNames = m.params.map((p) => p.name);

  const feeds = (inputs: Record<string, unknown>): Map<string, Feed> => tensorValues(m.inputs, inputs, "input");
  const outputsOf = (raw: ReadonlyMap<string, Feed>): Tensors => {
    const out: Tensors = {};
    for (const o of m.outputs) {
      const v = raw.get(o.name);
      if (v) out[o.name] = o.shape.length === 0 ? v.data[0] : v.data;
    }
    return out;
  };
  const needLoss = (): string => m.loss ?? bundleFail("MP7013", `bundle '${m.name}' has no training step (its model has no scalar 'loss' output)`);
  const outputNames = new Set(m.outputs.map((o) => o.name));

  return {
    name: m.name,
    hash: m.hash,
    manifest: m,
    adapter,
    params: () => guard(async () => Object.fromEntries(await model.readParams())),
    setParams(values) {
      // A file's tensors come as float64: an f32 param takes them as f32 (an F64 checkpoint's values rounded).
      const f64 = new Set(m.params.filter((s) => s.dtype === "f64").map((s) => s.name));
      const given = values instanceof Uint8Array ? Object.fromEntries([...paramsOf(readSafetensors(values))].map(([k, t]) => [k, { shape: t.shape, data: f64.has(k) ? t.data : Float32Array.from(t.data) }])) : values;
      const checked = tensorValues(m.params, given, "param", { partial: true });
      void model.setParams(new Map([...checked].map(([k, v]: [string, CheckedTensor]) => [k, v.data])));
    },
    forward: (inputs) => guard(async () => outputsOf(await model.forward(feeds(inputs)))),
    grad: (inputs) =>
      guard(async () => {
        const loss = needLoss();
        const raw = await model.grad(feeds(inputs));
        const grads: Record<string, Float32Array> = {};
        for (const [k, v] of raw) if (k.startsWith(GRAD_PREFIX)) grads[k.slice(GRAD_PREFIX.length)] = v.data;
        const outputs = outputsOf(raw);
        return { loss: outputs[loss] as number, outputs, grads };
      }),
    step: (inputs, opts) =>
      guard(async () => {
        const loss = needLoss();
        const o = (typeof opts === "object" && opts !== null ? opts : {}) as StepOptions;
        const spec: unknown = o.optimizer ?? { kind: "sgd", lr: o.lr };
        const rule = optimizerRule(spec);
        if (typeof rule === "string") bundleFail("MP7013", `step(inputs, opts): ${o.optimizer ? rule : typeof learningRate(o.lr) === "string" ? `{ lr } needs a finite learning rate ≥ 0, got ${String(o.lr)}` : rule}`);
        if (o.optimizer && o.lr !== undefined) bundleFail("MP7013", "step(inputs, opts): give the learning rate inside `optimizer`, not next to it");
        const read = [loss, ...(o.read ?? []).filter((r) => r !== loss)];
        for (const r of read) if (!outputNames.has(r)) bundleFail("MP7013", `step(inputs, { read }): '${String(r)}' is not an output (outputs: ${[...outputNames].join(", ")})`);
        const raw = await model.train(feeds(inputs), { rule, lr: rule.spec.lr, trained: paramNames, read });
        const outputs = outputsOf(raw);
        return { loss: outputs[loss] as number, outputs };
      }),
    dispose: () => model.dispose(),
  };
}

/** Runs a bundle call, turning every failure into a BundleError. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BundleError) throw e;
    if (e instanceof WebGPURunError) bundleFail(e.kind === "limits" ? "MP7006" : e.kind === "timeout" ? "MP7015" : "MP7012", e.message);
    if (e instanceof MatpropError) {
      // From the lowering of a new shape: a program that fails the verifier, or one beyond the device.
      if (e.code === "MP9002") bundleFail("MP7014", e.message);
      if (e.code === "MP6002" || e.code === "MP2013") bundleFail("MP7006", e.message);
      if (e.code === "MP4005" || e.code === "MP4008") bundleFail("MP7008", e.message);
      bundleFail("MP7012", `${e.code}: ${e.message}`);
    }
    bundleFail("MP7012", `WebGPU failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
