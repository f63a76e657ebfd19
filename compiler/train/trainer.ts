/**
 * A training loop written once: differentiate a forward model a single time, keep only what a
 * step needs (the loss, the forward outputs and the gradients of the trained params), initialise
 * the params from a seed exactly as the CPU executor would, and run steps on the chosen backend.
 * The params live here as float64 arrays; a step feeds them explicitly, so the backends never
 * re-initialise anything.
 */
import type { Graph } from "../../ir/graph.js";
import { Graph as GraphClass } from "../../ir/graph.js";
import type { InitName } from "../../numeric/init.js";
import { initParams as initParamValues } from "../../ir/bind-dims.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { asModel, type Model, type ModelExport } from "../dsl/model.js";
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

export class Trainer {
  /** The forward graph (`evaluate`). */
  readonly forward: Graph;
  /** Forward + backward, pruned to the loss, forward outputs and trained params' gradients. */
  readonly stepGraph: Graph;
  readonly params: Map<string, NDArray>;
  readonly trained: readonly string[];
  readonly lossName: string;
  private backendNow: Backend;
  private readonly notice: (line: string) => void;
  /** Forward outputs of the last step (for training-batch accuracy without another run). */
  lastOutputs = new Map<string, NDArray>();
  steps = 0;

  private constructor(model: ModelExport | ModelLike | Graph, readonly opts: TrainerOptions, backend: Backend) {
    this.forward = graphOf(model);
    this.lossName = opts.loss ?? "loss";
    this.params = initParams(this.forward, opts.seed ?? 0);
    this.trained = opts.train ? [...opts.train] : [...this.params.keys()];
    for (const t of this.trained) if (!this.params.has(t)) throw new Error(`trainer: no param '${t}' (params: ${[...this.params.keys()].join(", ")})`);
    this.stepGraph = differentiate(this.forward, { loss: this.lossName, wrt: this.trained }).graph;
    this.backendNow = backend;
    this.notice = opts.notice ?? ((line) => console.warn(line));
  }

  /** Differentiates once and picks the backend ("auto" asks for a WebGPU adapter). */
  static async create(model: ModelExport | ModelLike | Graph, opts: TrainerOptions): Promise<Trainer> {
    const choice = opts.backend ?? "cpu";
    let backend: Backend = choice === "webgpu" ? "webgpu" : "cpu";
    if (choice === "auto") {
      const { acquireDevice } = await import("../../runtime/webgpu/device.js");
      const device = await acquireDevice().catch(() => null);
      // A software adapter (SwiftShader, ~1 GFLOP/s) is far slower than the f64 CPU executor for
      // training: "auto" uses it only when asked for by name.
      if (device?.software) (opts.notice ?? console.warn)(`matprop: only a software WebGPU adapter (${device.adapterInfo}); training on the CPU backend (--backend webgpu to use it anyway)`);
      backend = device && !device.software ? "webgpu" : "cpu";
    }
    return new Trainer(model, opts, backend);
  }

  get backend(): Backend {
    return this.backendNow;
  }

  private async run(g: Graph, feeds: Map<string, NDArray>): Promise<Map<string, NDArray>> {
    if (this.backendNow === "webgpu") {
      try {
        const { runWebGPU } = await import("../backend/webgpu.js");
        return (await runWebGPU(g, feeds, { seed: this.opts.seed ?? 0 })).outputs;
      } catch (e) {
        if (errorCode(e) !== "MP3002") throw e;
        this.notice(`matprop: ${(e as Error).message.split("\n")[0]} — falling back to the CPU backend`);
        this.backendNow = "cpu";
      }
    }
    return executeCPU(g, feeds, { seed: this.opts.seed ?? 0 }).outputs;
  }

  private withParams(batch: ReadonlyMap<string, NDArray>): Map<string, NDArray> {
    const feeds = new Map(batch);
    for (const [k, v] of this.params) feeds.set(k, v);
    return feeds;
  }

  /** One optimisation step on a batch (inputs only; params are fed from here). Returns the loss. */
  async step(batch: ReadonlyMap<string, NDArray>): Promise<number> {
    const out = await this.run(this.stepGraph, this.withParams(batch));
    const loss = out.get(this.lossName)!.data[0];
    const grads = new Map<string, Float64Array>();
    for (const t of this.trained) grads.set(t, out.get(`grad.${t}`)!.data);
    this.opts.optimizer.step(new Map([...this.params].map(([k, v]) => [k, v.data])), grads);
    this.lastOutputs = out;
    this.steps++;
    return loss;
  }

  /** Forward outputs for a batch with the current params. */
  evaluate(batch: ReadonlyMap<string, NDArray>): Promise<Map<string, NDArray>> {
    return this.run(this.forward, this.withParams(batch));
  }
}
