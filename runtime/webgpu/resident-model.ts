/**
 * A model resident on a device: its params (and, once it trains, its optimizer state and learning
 * rate) live in device buffers (store.ts), and its programs — the forward pass, the gradient
 * program, and the training step with an optimizer's update — are lowered per shape of the inputs
 * a call gives (named dims such as "B" bound then), against the device's own limits, checked by the
 * program verifier (every lowering ends in it) and kept resident (resident.ts). Every program binds
 * the same param buffers; a training step writes the next params and state in place of the current
 * ones in the same submission, and reads back only what the caller asks for (the loss by default).
 *
 * The Trainer (compiler/train) and bundles (runtime/bundle) run on this; it needs the lowering
 * (codegen/) and the IR (ir/), never the compiler.
 */
import { lowerGraph } from "../../codegen/lower.js";
import type { Program } from "../../codegen/program.js";
import { bindDims } from "../../ir/bind-dims.js";
import type { Graph } from "../../ir/graph.js";
import { LR_INPUT, withOptimizer, type OptimizerRule, type TrainingGraph } from "../../ir/optimizer.js";
import { ResidentProgram } from "./resident.js";
import { TensorStore } from "./store.js";

/** A tensor a call gives: its concrete shape and its f32 data. */
export interface Feed {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type ProgramKind = "forward" | "grad";

export interface ModelGraphs {
  readonly forward: Graph;
  /** Forward + backward with a `grad.<name>` output per differentiated input and param, or null (no training). */
  readonly step: Graph | null;
}

export interface ResidentModelOptions {
  /** The watchdog's limit per call (default: watchdog.ts). */
  readonly timeoutMs?: number;
  /** A program lowered ahead of time (a bundle's build shape), used instead of lowering when it exists. */
  readonly precompiled?: (kind: ProgramKind, dims: ReadonlyMap<string, number>, workgroupBytes: number) => Program | undefined;
  /** How many shapes of each program stay resident (least recently used ones are disposed). Default 8. */
  readonly maxShapes?: number;
}

/**
 * The workgroup memory a lowering assumes on a device: the largest power of two it offers, from the
 * portable 16 KiB up to 64 KiB. Programs are specialised, cached and shipped per tier.
 */
export function workgroupTier(limit: number): number {
  let tier = 16384;
  while (tier * 2 <= Math.min(limit, 65536)) tier *= 2;
  return tier;
}

const count = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

export class ResidentModel {
  private readonly store: TensorStore;
  private readonly programs = new Map<string, Promise<ResidentProgram>>();
  private readonly trainingGraphs = new Map<string, TrainingGraph>();
  private readonly paramShapes = new Map<string, number[]>();
  private optimizer: string | undefined;
  private lr: number | undefined;
  /** Calls run one at a time, in call order: a step's update lands before the next call reads the params. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly tier: number;

  constructor(
    readonly device: GPUDevice,
    private readonly graphs: ModelGraphs,
    params: ReadonlyMap<string, Float32Array>,
    private readonly opts: ResidentModelOptions = {},
  ) {
    this.store = new TensorStore(device);
    this.tier = workgroupTier(device.limits.maxComputeWorkgroupStorageSize);
    for (const n of graphs.forward.sources()) {
      if (n.op !== "param") continue;
      const name = n.attrs.name as string;
      const shape = n.outputs[0].type.shape;
      if (shape.some((d) => typeof d !== "number")) throw new Error(`param '${name}' has a named dim [${shape.join(", ")}]; resident params need concrete shapes`);
      this.paramShapes.set(name, shape as number[]);
      const data = params.get(name);
      if (!data) throw new Error(`no value for param '${name}'`);
      if (data.length !== count(shape as number[])) throw new Error(`param '${name}' has ${data.length} values; [${shape.join(", ")}] needs ${count(shape as number[])}`);
      this.store.write(name, data);
    }
  }

  /** The params by name, read back from the device (after the calls made before). */
  readParams(names: readonly string[] = [...this.paramShapes.keys()]): Promise<Map<string, Float32Array>> {
    return this.serial(() => this.store.read(names));
  }

  /** Replaces some params (the optimizer state is kept), after the calls made before. */
  setParams(values: ReadonlyMap<string, Float32Array>): Promise<void> {
    for (const [name, data] of values) {
      const shape = this.paramShapes.get(name);
      if (!shape) throw new Error(`no param '${name}'`);
      if (data.length !== count(shape)) throw new Error(`param '${name}' has ${data.length} values; [${shape.join(", ")}] needs ${count(shape)}`);
    }
    return this.serial(async () => {
      for (const [name, data] of values) this.store.write(name, data);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The forward pass: `read` (default every output) with their shapes. */
  forward(feeds: ReadonlyMap<string, Feed>, read?: readonly string[]): Promise<Map<string, Feed>> {
    return this.serial(() => this.call("forward", this.graphs.forward, feeds, read));
  }

  /** The step graph's outputs: the loss, forward outputs and gradients. */
  grad(feeds: ReadonlyMap<string, Feed>, read?: readonly string[]): Promise<Map<string, Feed>> {
    return this.serial(() => this.call("grad", this.needStep(), feeds, read));
  }

  /**
   * One training step: forward, backward and `rule`'s update of the `trained` params with
   * learning rate `lr`, in one submission; reads back `read` (the step graph's non-gradient
   * outputs, e.g. the loss). A different optimizer than the last step's starts from fresh (zero)
   * state; a new learning rate is the only upload besides the inputs (4 bytes).
   */
  train(feeds: ReadonlyMap<string, Feed>, step: { readonly rule: OptimizerRule; readonly lr: number; readonly trained: readonly string[]; readonly read: readonly string[] }): Promise<Map<string, Feed>> {
    return this.serial(() => this.trainNow(feeds, step));
  }

  private async trainNow(feeds: ReadonlyMap<string, Feed>, step: { readonly rule: OptimizerRule; readonly lr: number; readonly trained: readonly string[]; readonly read: readonly string[] }): Promise<Map<string, Feed>> {
    const { rule, trained, read, lr } = step;
    const { key, tg } = this.trainingGraph(rule, trained);
    if (this.optimizer !== key) {
      this.store.clear(tg.state.map((s) => s.name));
      this.optimizer = key;
    }
    if (this.lr !== lr) {
      this.store.write(LR_INPUT, Float32Array.of(lr));
      this.lr = lr;
    }
    const stored = [...this.paramShapes.keys(), LR_INPUT, ...tg.state.map((s) => s.name)];
    return this.call(`train ${key}`, tg.graph, feeds, read, stored, tg.carries);
  }

  private trainingGraph(rule: OptimizerRule, trained: readonly string[]): { key: string; tg: TrainingGraph } {
    const key = JSON.stringify([rule.op, rule.attrs, trained]);
    let tg = this.trainingGraphs.get(key);
    if (!tg) {
      tg = withOptimizer(this.needStep(), rule, trained, (o) => !o.startsWith("grad."));
      this.trainingGraphs.set(key, tg);
    }
    return { key, tg };
  }

  /** The current optimizer's state tensors by name (none before the first training step), after the calls made before. */
  readState(): Promise<Map<string, Float32Array>> {
    return this.serial(async () => {
      const tg = this.optimizer === undefined ? undefined : this.trainingGraphs.get(this.optimizer);
      return tg ? this.store.read(tg.state.map((s) => s.name).filter((n) => this.store.has(n))) : new Map();
    });
  }

  /**
   * Makes `rule` (training `trained`) the current optimizer with this state (e.g. a checkpoint's;
   * zeros for tensors not given), so the next `train` with the same rule continues from it.
   */
  setState(step: { readonly rule: OptimizerRule; readonly trained: readonly string[] }, values: ReadonlyMap<string, Float32Array>): Promise<void> {
    const { key, tg } = this.trainingGraph(step.rule, step.trained);
    const specs = new Map(tg.state.map((s) => [s.name, count(s.shape as number[])]));
    for (const [name, data] of values) {
      if (!specs.has(name)) throw new Error(`'${name}' is not state of this optimizer (${[...specs.keys()].join(", ") || "none"})`);
      if (data.length !== specs.get(name)) throw new Error(`optimizer state '${name}' has ${data.length} values; it needs ${specs.get(name)}`);
    }
    return this.serial(async () => {
      this.store.clear(specs.keys());
      for (const [name, data] of values) this.store.write(name, data);
      this.optimizer = key;
    });
  }

  dispose(): void {
    for (const p of this.programs.values()) void p.then((r) => r.dispose(), () => undefined);
    this.programs.clear();
    this.store.dispose();
  }

  private needStep(): Graph {
    if (!this.graphs.step) throw new Error("this model has no training step (no scalar loss output)");
    return this.graphs.step;
  }

  private async call(kind: string, graph: Graph, feeds: ReadonlyMap<string, Feed>, read: readonly string[] | undefined, stored: readonly string[] = [...this.paramShapes.keys()], carries: TrainingGraph["carries"] = []): Promise<Map<string, Feed>> {
    const storedSet = new Set(stored);
    const declared = graph.sources().map((n) => ({ name: n.attrs.name as string, shape: n.outputs[0].type.shape }));
    for (const name of feeds.keys()) {
      if (storedSet.has(name) || !declared.some((d) => d.name === name)) throw new Error(`'${name}' is not an input of '${graph.name}'`);
    }
    const dims = bindDims(declared, new Map([...feeds].map(([k, v]) => [k, v.shape])));
    const dimsKey = JSON.stringify([...dims].sort());
    const key = `${kind}|${dimsKey}`;
    let program = this.programs.get(key);
    if (program) {
      // Most recently used last.
      this.programs.delete(key);
    } else {
      program = (async () => {
        const precompiled = kind === "forward" || kind === "grad" ? this.opts.precompiled?.(kind, dims, this.tier) : undefined;
        const p = precompiled ?? lowerGraph(graph, dims, { workgroupStorageBytes: this.tier, pinned: storedSet }).program;
        const elementsOf = new Map(p.inputs.map((s) => [s.name, count(s.shape)]));
        const bound = new Map(stored.map((name) => [name, this.store.buffer(name, elementsOf.get(name) ?? 1)]));
        return ResidentProgram.create(this.device, p, { bound, carries, timeoutMs: this.opts.timeoutMs });
      })();
      this.evict();
    }
    this.programs.set(key, program);
    const resident = await program.catch((e: unknown) => {
      this.programs.delete(key);
      throw e;
    });
    const out = await resident.run(new Map([...feeds].map(([k, v]) => [k, v.data])), { read });
    const shapes = new Map(resident.program.outputs.map((s) => [s.name, s.shape]));
    return new Map([...out].map(([k, data]) => [k, { shape: shapes.get(k)!, data }]));
  }

  private evict(): void {
    const max = this.opts.maxShapes ?? 8;
    for (const [key, p] of this.programs) {
      if (this.programs.size < max) break;
      this.programs.delete(key);
      void p.then((r) => r.dispose(), () => undefined);
    }
  }
}
