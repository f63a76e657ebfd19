/**
 * A training loop written once: differentiate a forward model a single time, keep only what a
 * step needs (the loss, the forward outputs and the gradients of the trained params), initialise
 * the params from a seed exactly as the CPU executor would, and run steps on the chosen backend.
 *
 * On the CPU the params live here as float64 arrays and the optimizer updates them on the host. On
 * WebGPU they live on the device (runtime/webgpu/resident-model.ts): each step is one submission —
 * forward, backward and the optimizer's update kernels — that writes the next params and optimizer
 * state in place and reads back only the loss (and the outputs a step asks for); `readParams()`
 * brings the params back.
 */
import { Graph as GraphClass, type Graph } from "../../ir/graph.js";
import type { InitName } from "../../numeric/init.js";
import { initParams as initParamValues } from "../../ir/bind-dims.js";
import { fail } from "../../ir/diagnostics.js";
import { STEP_INPUT, stateInput } from "../../ir/optimizer.js";
import { momentsShape } from "../../ir/ops/optim.js";
import { bindInputs } from "../../runtime/cpu/bind.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";
import type { ResidentModel } from "../../runtime/webgpu/resident-model.js";
import { asModel, type Model, type ModelExport } from "../dsl/model.js";
import { clipGradNorm } from "../passes/clip-grad-norm.js";
import { differentiate } from "../passes/differentiate.js";
import type { Optimizer } from "./optim.js";

export type Backend = "cpu" | "webgpu";
export type BackendChoice = Backend | "auto";

export interface TrainerOptions {
  optimizer: Optimizer;
  /** Seed for the params' declared inits (same numbers as `executeCPU(..., { seed })`). */
  seed?: number;
  /**
   * "auto": WebGPU when a hardware adapter exists (and, at the first run, every op lowers), else
   * the CPU. "webgpu" also takes a software adapter. Either falls back to the CPU, with a one-line
   * notice, when an op has no WebGPU lowering (MP3002). Default "cpu".
   */
  backend?: BackendChoice;
  /** The scalar output to minimise. Default "loss". */
  loss?: string;
  /** Params to train (default: every param). Others keep their initial values. */
  train?: readonly string[];
  /** Where one-line notices go (a backend fallback). Default console.warn. */
  notice?: (line: string) => void;
  /** The device for "webgpu" (default: the shared one). `matprop bench` passes a counting device. */
  device?: GPUDevice;
  /** Clip the trained params' gradients together to this global 2-norm before each update (in the step graph). */
  clipGradNorm?: number;
}

export interface StepOptions {
  /** Forward outputs to bring back with the loss (into `lastOutputs`); on the CPU every output is there anyway. */
  read?: readonly string[];
}

/**
 * A model declared with any copy of the DSL (an example's `import "matprop"` resolves to dist/,
 * while this file may run from source): only its shape is checked, and graphs are plain data.
 */
export interface ModelLike {
  readonly kind: "matprop.model";
  readonly name: string;
  build(): unknown;
}

/** A graph from this or another copy of matprop (graphs are plain data; checked by shape). */
function isGraph(x: unknown): x is Graph {
  return x instanceof GraphClass || (typeof x === "object" && x !== null && Array.isArray((x as Graph).nodes) && typeof (x as Graph).sources === "function");
}

/** A graph, or the graph of a model (also given as a CommonJS exports object, see `asModel`). */
function graphOf(m: Model | ModelExport | ModelLike | Graph): Graph {
  return isGraph(m) ? m : (asModel(m).build() as Graph);
}

/** Params initialised from their declared init, in graph order, as `bindInputs` does. */
export function initParams(g: Graph, seed: number): Map<string, NDArray> {
  const params = g.sources().filter((node) => node.op === "param");
  const shapeOf = (name: string, shape: readonly (number | string)[]) =>
    shape.map((d) => {
      if (typeof d !== "number") throw new Error(`trainer: param '${name}' has a named dim ${d}; give params concrete shapes`);
      return d;
    });
  return initParamValues(params.map((node) => ({ name: node.attrs.name as string, init: node.attrs.init as InitName, shape: shapeOf(node.attrs.name as string, node.outputs[0].type.shape) })), seed);
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The backend a choice means here: "auto" is WebGPU when a hardware adapter exists, else the CPU
 * (with a notice when only a software adapter is there).
 */
export async function chooseBackend(choice: BackendChoice, notice: (line: string) => void): Promise<Backend> {
  if (choice !== "auto") return choice === "webgpu" ? "webgpu" : "cpu";
  const { acquireDevice } = await import("../../runtime/webgpu/device.js");
  const device = await acquireDevice().catch(() => null);
  // A software adapter (SwiftShader, ~1 GFLOP/s) is far slower than the f64 CPU executor for
  // training: "auto" uses it only when asked for by name.
  if (device?.software) notice(`matprop: only a software WebGPU adapter (${device.adapterInfo}); training on the CPU backend (--backend webgpu to use it anyway)`);
  return device && !device.software ? "webgpu" : "cpu";
}

export class Trainer {
  /** The forward graph (`evaluate`). */
  readonly forward: Graph;
  /** Forward + backward, pruned to the loss, forward outputs and trained params' gradients. */
  readonly stepGraph: Graph;
  /**
   * The params on the host (float64): updated by every CPU step; on WebGPU the initial values
   * until `readParams()` brings the device's back.
   */
  readonly params: Map<string, NDArray>;
  readonly trained: readonly string[];
  readonly lossName: string;
  private backendNow: Backend;
  private readonly notice: (line: string) => void;
  /** The params, optimizer state and programs on the device (WebGPU backend, from the first run). */
  private resident: Promise<ResidentModel> | undefined;
  /** Forward outputs of the last step (for training-batch accuracy without another run). */
  lastOutputs = new Map<string, NDArray>();
  steps = 0;

  private constructor(model: ModelExport | ModelLike | Graph, readonly opts: TrainerOptions, backend: Backend) {
    this.forward = graphOf(model);
    this.lossName = opts.loss ?? "loss";
    this.params = initParams(this.forward, opts.seed ?? 0);
    this.trained = opts.train ? [...opts.train] : [...this.params.keys()];
    for (const t of this.trained) if (!this.params.has(t)) throw new Error(`trainer: no param '${t}' (params: ${[...this.params.keys()].join(", ")})`);
    const step = differentiate(this.forward, { loss: this.lossName, wrt: this.trained }).graph;
    this.stepGraph = opts.clipGradNorm === undefined ? step : clipGradNorm(step, this.trained, opts.clipGradNorm);
    this.backendNow = backend;
    this.notice = opts.notice ?? ((line) => console.warn(line));
  }

  /** Differentiates once and picks the backend ("auto" asks for a WebGPU adapter). */
  static async create(model: ModelExport | ModelLike | Graph, opts: TrainerOptions): Promise<Trainer> {
    return new Trainer(model, opts, await chooseBackend(opts.backend ?? "cpu", opts.notice ?? console.warn));
  }

  get backend(): Backend {
    return this.backendNow;
  }

  /** The model on the device, created at the first WebGPU run with the host params. */
  private device(): Promise<ResidentModel> {
    this.resident ??= (async () => {
      const { residentModel } = await import("../backend/resident.js");
      const f32 = new Map([...this.params].map(([k, v]) => [k, Float32Array.from(v.data)]));
      return residentModel({ forward: this.forward, step: this.stepGraph }, f32, this.opts.device);
    })();
    return this.resident;
  }

  /**
   * Runs `fn` on the device, or returns undefined after falling back to the CPU when an op has no
   * WebGPU lowering (MP3002; only before any step ran there, while the host params are current).
   */
  private async onDevice<T>(fn: (m: ResidentModel) => Promise<T>): Promise<T | undefined> {
    if (this.backendNow !== "webgpu") return undefined;
    try {
      return await fn(await this.device());
    } catch (e) {
      if (errorCode(e) !== "MP3002" || this.steps > 0) throw e;
      this.notice(`matprop: ${(e as Error).message.split("\n")[0]} — falling back to the CPU backend`);
      this.backendNow = "cpu";
      void this.resident?.then((m) => m.dispose(), () => undefined);
      this.resident = undefined;
      return undefined;
    }
  }

  private withParams(batch: ReadonlyMap<string, NDArray>): Map<string, NDArray> {
    const feeds = new Map(batch);
    for (const [k, v] of this.params) feeds.set(k, v);
    return feeds;
  }

  /** The batch checked as the CPU checks inputs (names, shapes, finiteness, labels, structure), as f32 feeds. */
  private deviceFeeds(batch: ReadonlyMap<string, NDArray>): Map<string, { shape: number[]; data: Float32Array }> {
    const { sources } = bindInputs(this.forward, this.withParams(batch), this.opts.seed ?? 0);
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [node, v] of sources) if (node.op === "input") out.set(node.attrs.name as string, { shape: [...v.shape], data: Float32Array.from(v.data) });
    return out;
  }

  /**
   * One optimisation step on a batch (inputs only). Returns the loss; `lastOutputs` holds the
   * forward outputs (on WebGPU only the loss and those named in `opts.read`).
   */
  async step(batch: ReadonlyMap<string, NDArray>, opts: StepOptions = {}): Promise<number> {
    const optimizer = this.opts.optimizer;
    const onDevice = await this.onDevice(async (m) => {
      const read = [this.lossName, ...(opts.read ?? []).filter((r) => r !== this.lossName)];
      const { deviceStep } = await import("../backend/resident.js");
      return deviceStep(m, this.stepGraph, this.deviceFeeds(batch), { rule: optimizer.rule, lr: optimizer.lr, trained: this.trained, read });
    });
    if (onDevice) {
      this.lastOutputs = onDevice;
      this.steps++;
      return onDevice.get(this.lossName)!.data[0];
    }
    const out = executeCPU(this.stepGraph, this.withParams(batch), { seed: this.opts.seed ?? 0 }).outputs;
    const loss = out.get(this.lossName)!.data[0];
    const grads = new Map<string, Float64Array>();
    for (const t of this.trained) grads.set(t, out.get(`grad.${t}`)!.data);
    optimizer.step(new Map([...this.params].map(([k, v]) => [k, v.data])), grads);
    this.lastOutputs = out;
    this.steps++;
    return loss;
  }

  /** Forward outputs for a batch with the current params. */
  async evaluate(batch: ReadonlyMap<string, NDArray>): Promise<Map<string, NDArray>> {
    const onDevice = await this.onDevice(async (m) => {
      const { deviceForward } = await import("../backend/resident.js");
      return deviceForward(m, this.forward, this.deviceFeeds(batch));
    });
    return onDevice ?? executeCPU(this.forward, this.withParams(batch), { seed: this.opts.seed ?? 0 }).outputs;
  }

  /** The current params (from the device on WebGPU, also refreshing `params`). */
  async readParams(): Promise<Map<string, NDArray>> {
    if (this.backendNow === "webgpu" && this.resident) {
      const values = await (await this.resident).readParams();
      for (const [k, v] of values) this.params.set(k, { shape: this.params.get(k)!.shape, data: Float64Array.from(v) });
    }
    return new Map([...this.params].map(([k, v]) => [k, { shape: [...v.shape], data: Float64Array.from(v.data) }]));
  }

  /** Replaces some params (on the device too, once it has them); the optimizer state is kept. */
  async setParams(values: ReadonlyMap<string, NDArray>): Promise<void> {
    for (const [k, v] of values) {
      const now = this.params.get(k);
      if (!now) fail("MP4012", `no param '${k}' (params: ${[...this.params.keys()].join(", ")})`);
      if (now.shape.length !== v.shape.length || now.shape.some((d, i) => d !== v.shape[i])) fail("MP4005", `param '${k}' has shape [${now.shape.join(", ")}], got [${v.shape.join(", ")}]`);
    }
    for (const [k, v] of values) this.params.set(k, { shape: [...v.shape], data: Float64Array.from(v.data) });
    if (this.backendNow === "webgpu" && this.resident) await (await this.resident).setParams(new Map([...values].map(([k, v]) => [k, Float32Array.from(v.data)])));
  }

  /** Shapes of the optimizer's state tensors, by the device's names (ir/optimizer.ts). */
  private stateShapes(): Map<string, number[]> {
    const { rule } = this.opts.optimizer;
    const out = new Map<string, number[]>();
    const kind = rule.state[0];
    if (kind) for (const t of this.trained) out.set(stateInput(kind, t), [...(kind === "moments" ? momentsShape(this.params.get(t)!.shape) : this.params.get(t)!.shape)] as number[]);
    if (rule.counts) out.set(STEP_INPUT, []);
    return out;
  }

  /** The optimizer's state (moments, velocities, step count) by the device's names; empty before the first step. */
  async optimizerState(): Promise<Map<string, NDArray>> {
    const shapes = this.stateShapes();
    const flat = this.backendNow === "webgpu" && this.resident ? await (await this.resident).readState() : this.opts.optimizer.stateTensors();
    return new Map([...flat].map(([k, v]) => [k, { shape: shapes.get(k) ?? [v.length], data: Float64Array.from(v) }]));
  }

  /** Restores the optimizer's state (a checkpoint's): the next step continues from it. */
  async setOptimizerState(values: ReadonlyMap<string, NDArray>): Promise<void> {
    const shapes = this.stateShapes();
    for (const [k, v] of values) {
      const want = shapes.get(k);
      if (!want) fail("MP4012", `optimizer state '${k}' does not belong to this ${this.opts.optimizer.rule.spec.kind} optimizer (it keeps ${[...shapes.keys()].join(", ") || "no state"})`);
      if (want.reduce((a, d) => a * d, 1) !== v.data.length) fail("MP4005", `optimizer state '${k}' has ${v.data.length} values; [${want.join(", ")}] needs ${want.reduce((a, d) => a * d, 1)}`);
    }
    if (this.backendNow === "webgpu") {
      const { rule } = this.opts.optimizer;
      await (await this.device()).setState({ rule, trained: this.trained }, new Map([...values].map(([k, v]) => [k, Float32Array.from(v.data)])));
    } else this.opts.optimizer.setStateTensors(new Map([...values].map(([k, v]) => [k, v.data])));
  }

  /** Frees the device buffers (WebGPU). */
  dispose(): void {
    void this.resident?.then((m) => m.dispose(), () => undefined);
    this.resident = undefined;
  }
}
