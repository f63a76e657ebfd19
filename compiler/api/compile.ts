/**
 * `compile(model, opts)`: the programmatic API's program — run, differentiate and train a model from
 * code, and save/load its params. A thin face over the Trainer (compiler/train/trainer.ts): a
 * trainer keeps the params (and on WebGPU its programs and optimizer state) resident on the device,
 * so a training step uploads the batch and reads back the loss. Before any trainer exists the params
 * live here (initialised from the seed exactly as the CPU executor does) and `run`/`grad` execute
 * one-shot; `grad` always runs the full gradient program (every param, inputs on request).
 */
import { fail, MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import type { NDArray } from "../../numeric/ndarray.js";
import type { Model, ModelExport, Outputs } from "../dsl/model.js";
import { asModel } from "../dsl/model.js";
// Types only: "matprop" is imported by every model file the CLI runs, so what only compile()
// needs (the Trainer, the adjoint passes, the executor) is imported when it is called.
import type { Backend, BackendChoice, Trainer } from "../train/trainer.js";
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from "./checkpoint.js";
import { withDims } from "./dims.js";
import { checkChoice, optimizerOf, type OptimizerChoice } from "./optim.js";
import { rateAt } from "./schedules.js";
import { toFeedMap, toRecord, type Feeds, type Result } from "./tensors.js";

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * "cpu" (float64 reference), "webgpu" (f32, any adapter, the software one too) or "auto" (WebGPU
   * when a hardware adapter exists, else the CPU). Default "auto". An op without a WebGPU lowering
   * falls back to the CPU with a notice.
   */
  backend?: BackendChoice;
  /** Sizes of named dims fixed now (e.g. `{ B: 32 }`); dims left out are bound by each call's feeds. */
  dims?: Readonly<Record<string, number>>;
  /** Seed of the params' declared inits. Default 0. */
  seed?: number;
  /** The scalar output that `grad` and trainers differentiate. Default "loss". */
  loss?: string;
  /** Where one-line notices go (a backend fallback). Default console.warn. */
  notice?: (line: string) => void;
}

/** Options of {@link Program.grad}. */
export interface GradOptions {
  /** Also the gradients of inputs: `true` for every float input, or their names. Default false. */
  inputs?: boolean | readonly string[];
}

/** What {@link Program.grad} returns. */
export interface GradResult<K extends string> {
  /** The model's outputs. */
  outputs: Record<K, Result>;
  /** ∂loss/∂x for every param (and the inputs asked for), by name. */
  grads: Record<string, Result>;
}

/** Options of {@link Program.trainer}. */
export interface TrainOptions {
  /** Clip the gradients of the trained params together to this global 2-norm before each update. */
  clipGradNorm?: number;
  /** The params to train (default every param); the others keep their values. */
  train?: readonly string[];
}

/** One training step: `await step(feeds)` updates the params and returns the loss before the update. */
export interface TrainStep {
  (feeds: Feeds): Promise<number>;
  /** Steps this trainer has taken (a loaded checkpoint's count included). */
  readonly steps: number;
  /** The learning rate of the next step. */
  readonly lr: number;
}

const names = (m: ReadonlyMap<string, unknown>) => [...m.keys()].map((k) => `'${k}'`).join(", ") || "none";

/**
 * A compiled model: `run`, `grad`, `trainer`, `saveParams`/`loadParams`, `dispose`. `K` is the
 * union of its output names when TypeScript knows the model's type.
 */
export class Program<K extends string = string> {
  /** The backend the program runs on (after "auto" chose, or a fallback). */
  backend: Backend;
  private params: Map<string, NDArray>;
  private trainerNow: { trainer: Promise<Trainer>; choice: OptimizerChoice; count: { steps: number } } | undefined;
  /** A loaded checkpoint's optimizer state, for the next trainer of the same kind. */
  private pendingState: Pick<Checkpoint, "optimizer" | "state" | "steps"> | undefined;
  private gradGraph: Graph | undefined;
  private disposed = false;
  private readonly notice: (line: string) => void;

  /** @internal Use {@link compile}. */
  constructor(
    /** The forward graph (named dims in `dims` fixed). */
    readonly graph: Graph,
    backend: Backend,
    private readonly opts: CompileOptions,
    /** The params initialised from the seed (train/trainer.ts `initParams`). */
    params: Map<string, NDArray>,
  ) {
    this.backend = backend;
    this.params = params;
    this.notice = opts.notice ?? ((line) => console.warn(line));
  }

  private live(what: string): void {
    if (this.disposed) fail("MP4012", `${what}: this program was disposed`);
  }

  private get lossName(): string {
    return this.opts.loss ?? "loss";
  }

  /** A missing or non-scalar loss, as differentiate reports it (MP2011), before any work. */
  private needLoss(): void {
    const out = this.graph.outputs.find((o) => o.name === this.lossName);
    if (!out) fail("MP2011", `the model has no output '${this.lossName}' to differentiate (outputs: ${this.graph.outputs.map((o) => o.name).join(", ")}); return { ${this.lossName}: <scalar> } from the model, or pass { loss: "<output>" } to compile`);
    if (out.value.type.shape.length !== 0) fail("MP2011", `'${this.lossName}' must be a scalar to differentiate, but it has shape [${out.value.type.shape.join(", ")}]`, out.value.node.loc);
  }

  /** The current params (from the device when a WebGPU trainer holds them). */
  private async currentParams(): Promise<Map<string, NDArray>> {
    if (this.trainerNow) return (await this.trainerNow.trainer).readParams();
    return this.params;
  }

  /** Runs `g` once on this program's backend; an op without a WebGPU lowering moves the program to the CPU. */
  private async once(g: Graph, feeds: Map<string, NDArray>): Promise<Map<string, NDArray>> {
    const seed = this.opts.seed ?? 0;
    if (this.backend === "webgpu") {
      try {
        const { runWebGPU } = await import("../backend/webgpu.js");
        return (await runWebGPU(g, feeds, { seed })).outputs;
      } catch (e) {
        if (!(e instanceof MatpropError && e.code === "MP3002") || this.trainerNow) throw e;
        this.notice(`matprop: ${e.message.split("\n")[0]} — falling back to the CPU backend`);
        this.backend = "cpu";
      }
    }
    const { executeCPU } = await import("../../runtime/cpu/execute.js");
    return executeCPU(g, feeds, { seed }).outputs;
  }

  /** The model's outputs for `feeds` (every input; params may be given to override the program's). */
  async run(feeds: Feeds): Promise<Record<K, Result>> {
    this.live("run");
    const batch = toFeedMap(feeds);
    if (this.trainerNow) {
      const t = await this.trainerNow.trainer;
      for (const k of batch.keys()) if (t.params.has(k)) fail("MP4012", `run: '${k}' is a param; set params with loadParams, not as a feed, once a trainer holds them`);
      return toRecord((await t.evaluate(batch)) as Map<string, NDArray>);
    }
    return toRecord(await this.once(this.graph, new Map([...this.params, ...batch])));
  }

  /** The outputs and ∂loss/∂x for every param (and inputs on request), at the current params. */
  async grad(feeds: Feeds, opts: GradOptions = {}): Promise<GradResult<K>> {
    this.live("grad");
    this.needLoss();
    const batch = toFeedMap(feeds);
    const inputs = this.graph.sources().filter((n) => n.op === "input").map((n) => n.attrs.name as string);
    const asked = opts.inputs === true ? inputs : opts.inputs ? [...opts.inputs] : [];
    for (const a of asked) if (!inputs.includes(a)) fail("MP4012", `grad: '${a}' is not an input of the model (inputs: ${inputs.join(", ")})`);
    const { differentiate } = await import("../passes/differentiate.js");
    this.gradGraph ??= differentiate(this.graph, { loss: this.lossName }).graph;
    const out = await this.once(this.gradGraph, new Map([...(await this.currentParams()), ...batch]));
    const grads = new Map<string, NDArray>();
    for (const [name, v] of out) {
      if (!name.startsWith("grad.")) continue;
      const x = name.slice("grad.".length);
      if (this.params.has(x) || asked.includes(x)) grads.set(x, v);
    }
    for (const a of asked) if (!grads.has(a)) fail("MP4012", `grad: input '${a}' has no gradient (an integer input, or loss does not depend on it)`);
    const outputs = new Map([...out].filter(([name]) => !name.startsWith("grad.")));
    return { outputs: toRecord(outputs), grads: toRecord(grads) };
  }

  /**
   * A training step with `optimizer` (`optim.adam({ lr: 1e-2 })`): forward, backward, clipping and
   * the update (on WebGPU in one submission, the params and optimizer state resident on the device).
   * A new trainer takes over the params from the last one, with fresh optimizer state — or a loaded
   * checkpoint's, when it was saved with the same kind of optimizer.
   */
  trainer(optimizer: OptimizerChoice, opts: TrainOptions = {}): TrainStep {
    this.live("trainer");
    this.needLoss();
    checkChoice(optimizer);
    if (opts.train) for (const t of opts.train) if (!this.params.has(t)) fail("MP4012", `trainer: no param '${t}' (params: ${names(this.params)})`);
    if (opts.clipGradNorm !== undefined && !(typeof opts.clipGradNorm === "number" && Number.isFinite(opts.clipGradNorm) && opts.clipGradNorm > 0)) {
      fail("MP4012", `trainer: clipGradNorm must be a finite number > 0, got ${String(opts.clipGradNorm)}`);
    }
    const previous = this.trainerNow;
    const pending = this.pendingState;
    this.pendingState = undefined;
    const count = { steps: 0 };
    const trainer = (async () => {
      const params = previous ? await (await previous.trainer).readParams() : this.params;
      if (previous) (await previous.trainer).dispose();
      const { Trainer } = await import("../train/trainer.js");
      const t = await Trainer.create(this.graph, { optimizer: await optimizerOf(optimizer), seed: this.opts.seed ?? 0, backend: this.backend, loss: this.lossName, train: opts.train, notice: this.notice, clipGradNorm: opts.clipGradNorm });
      await t.setParams(params);
      if (pending && pending.optimizer?.kind === optimizer.spec.kind && pending.state.size) {
        await t.setOptimizerState(pending.state);
        count.steps = pending.steps;
      } else if (pending?.optimizer && pending.state.size) {
        this.notice(`matprop: the loaded checkpoint's ${pending.optimizer.kind} state is not used by this ${optimizer.spec.kind} trainer (it starts from zero)`);
      }
      return t;
    })();
    // A failure to set up shows at the first step (or save); never as an unhandled rejection.
    trainer.catch(() => undefined);
    const current = { trainer, choice: optimizer, count };
    this.trainerNow = current;
    // Steps run one after another: each sets the learning rate its schedule gives, then steps.
    let queue: Promise<unknown> = trainer;
    const step = (feeds: Feeds): Promise<number> => {
      const run = queue.then(async () => {
        this.live("step");
        if (this.trainerNow !== current) fail("MP4012", "step: a newer trainer() of this program holds the params now; use its step");
        const batch = toFeedMap(feeds);
        const t = await trainer;
        t.opts.optimizer.lr = rateAt(optimizer.schedule, count.steps);
        const loss = await t.step(batch);
        count.steps++;
        this.backend = t.backend;
        return loss;
      });
      queue = run.catch(() => undefined);
      return run;
    };
    return Object.defineProperties(step, {
      steps: { get: () => count.steps },
      lr: { get: () => rateAt(optimizer.schedule, count.steps) },
    }) as TrainStep;
  }

  /**
   * Saves the params — and the trainer's optimizer state and step count — as safetensors to `path`,
   * or returns the bytes when no path is given. `matprop build --params` and a bundle's `setParams`
   * read the params from it.
   */
  async saveParams(path?: string): Promise<Uint8Array> {
    this.live("saveParams");
    const params = await this.currentParams();
    let optimizer: Checkpoint["optimizer"];
    let state = new Map<string, NDArray>();
    let steps = 0;
    if (this.trainerNow) {
      const t = await this.trainerNow.trainer;
      state = await t.optimizerState();
      optimizer = this.trainerNow.choice.spec;
      steps = this.trainerNow.count.steps;
    }
    const bytes = encodeCheckpoint({ params, state, optimizer, steps }, this.backend === "cpu" ? "f64" : "f32");
    if (path !== undefined) {
      const fs = await import("node:fs/promises");
      await fs.writeFile(path, bytes);
    }
    return bytes;
  }

  /**
   * Loads params (every one of them) from a safetensors file or its bytes — a checkpoint of
   * `saveParams`, or any file with a tensor per param. A checkpoint's optimizer state goes to the
   * current trainer if it has the same kind of optimizer, else to the next such `trainer(...)`.
   */
  async loadParams(source: string | Uint8Array): Promise<void> {
    this.live("loadParams");
    let bytes: Uint8Array;
    if (typeof source === "string") {
      const fs = await import("node:fs/promises");
      bytes = new Uint8Array(await fs.readFile(source).catch(() => fail("MP4012", `loadParams: cannot read '${source}'`)));
    } else bytes = source;
    const ckpt = decodeCheckpoint(bytes);
    const missing = [...this.params.keys()].filter((k) => !ckpt.params.has(k));
    const unknown = [...ckpt.params.keys()].filter((k) => !this.params.has(k));
    if (missing.length || unknown.length) {
      fail("MP4012", `loadParams: ${missing.length ? `missing param${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}` : ""}${missing.length && unknown.length ? "; " : ""}${unknown.length ? `'${unknown.join("', '")}' ${unknown.length > 1 ? "are not params" : "is not a param"} of this model` : ""} (params: ${names(this.params)})`);
    }
    for (const [k, v] of ckpt.params) {
      const want = this.params.get(k)!.shape;
      if (want.length !== v.shape.length || want.some((d, i) => d !== v.shape[i])) fail("MP4005", `loadParams: param '${k}' is [${want.join(", ")}] in this model, [${v.shape.join(", ")}] in the file`);
    }
    if (this.trainerNow) {
      const t = await this.trainerNow.trainer;
      await t.setParams(ckpt.params);
      if (ckpt.optimizer?.kind === this.trainerNow.choice.spec.kind && ckpt.state.size) {
        await t.setOptimizerState(ckpt.state);
        this.trainerNow.count.steps = ckpt.steps;
      } else if (ckpt.state.size) this.pendingState = ckpt;
    } else {
      for (const [k, v] of ckpt.params) this.params.set(k, v);
      if (ckpt.state.size) this.pendingState = ckpt;
    }
  }

  /** Frees the device's buffers; the program cannot be used afterwards. */
  dispose(): void {
    if (this.trainerNow) void this.trainerNow.trainer.then((t) => t.dispose(), () => undefined);
    this.trainerNow = undefined;
    this.disposed = true;
  }
}

/**
 * Compiles a model (its default export; a CommonJS `{ default: model }` too) for running,
 * differentiating and training from code.
 *
 * @example
 * ```ts
 * const prog = await compile(net, { backend: "auto", dims: { B: 32 }, seed: 0 });
 * const step = prog.trainer(optim.adam({ lr: 1e-2 }));
 * for (const batch of batches({ X, y }, { batchSize: 32, dropLast: true })) await step(batch);
 * await prog.saveParams("ckpt.safetensors");
 * ```
 */
export async function compile<O extends Outputs>(model: Model<O> | ModelExport<O>, opts: CompileOptions = {}): Promise<Program<keyof O & string>> {
  if (typeof opts !== "object" || opts === null) fail("MP4012", "compile(model, opts): opts must be an object such as { backend: \"cpu\" }");
  const backend = opts.backend ?? "auto";
  if (!["auto", "cpu", "webgpu"].includes(backend)) fail("MP4012", `compile: backend must be "auto", "cpu" or "webgpu", got ${JSON.stringify(backend)}`);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) fail("MP4012", `compile: seed must be an integer, got ${String(opts.seed)}`);
  const graph = withDims(asModel(model).build(), opts.dims);
  for (const n of graph.sources()) {
    const shape = n.outputs[0].type.shape;
    if (n.op === "param" && shape.some((d) => typeof d === "string")) fail("MP4012", `compile: param '${n.attrs.name as string}' has shape [${shape.join(", ")}]; fix its named dims with compile(model, { dims: { ${shape.filter((d) => typeof d === "string").map((d) => `${d}: …`).join(", ")} } })`, n.loc);
  }
  const { chooseBackend, initParams } = await import("../train/trainer.js");
  return new Program<keyof O & string>(graph, await chooseBackend(backend, opts.notice ?? ((line) => console.warn(line))), opts, initParams(graph, opts.seed ?? 0));
}
