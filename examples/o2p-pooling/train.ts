/**
 * The three pooling layers of models.ts trained on the same MNIST batches (examples/o2p-mnist's
 * split, budget, optimizer and seed), with their test accuracy, and their time per training step
 * on the CPU executor and on WebGPU, measured side by side: after two warm-up steps, rounds of one
 * step per model (the order rotating each round), the median per model.
 *
 *   npx tsx examples/o2p-pooling/train.ts [--quick] [--seed N] [--time-backends cpu,webgpu] [--rounds 15]
 *
 * Training runs on --backend (default cpu: the float64 reference). Writes
 * results/o2p-pooling/{results.json, training.svg} (or under --out).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { Adam, Trainer, type Backend, type ModelLike } from "../../compiler/train/index.js";
import { parseExampleArgs, type ExampleOptions } from "../../compiler/train/example-args.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { loadMnist } from "../o2p-mnist/data.js";
import { batchOrder, budget, images, trainOne, trainingSvg, type ModelResult } from "../o2p-mnist/train.js";
import { LABELS, NS_ITERS, POOLINGS } from "./models.js";

export interface PoolingOptions extends ExampleOptions {
  /** Backends to time a training step on (a backend without an adapter is reported as skipped). */
  timeBackends: Backend[];
  /** Timed rounds (one step per model each). */
  rounds: number;
}

export interface StepTiming {
  model: string;
  backend: string;
  /** Median wall time of one training step (forward, backward, optimizer update), ms. */
  medianMs: number;
  /** Its ratio to the logm model's median on the same backend. */
  vsLogm: number;
  samples: number[];
}

export interface PoolingResults {
  example: "o2p-pooling";
  trainImages: number;
  testImages: number;
  seed: number;
  optimizer: string;
  newtonSchulzIters: number;
  results: ModelResult[];
  timing: StepTiming[];
  /** Backends that could not be timed, with the reason. */
  skipped: { backend: string; reason: string }[];
  /** What the WebGPU adapter was (SwiftShader is a CPU implementation of Vulkan). */
  adapter?: string;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function adapterName(): Promise<string | undefined> {
  const { acquireDevice } = await import("../../runtime/webgpu/device.js");
  return (await acquireDevice())?.adapterInfo;
}

/** Median step time of each model on `backend`, interleaved over `rounds` rounds. */
async function timeSteps(models: readonly ModelLike[], backend: Backend, batches: readonly ReadonlyMap<string, NDArray>[], rounds: number, seed: number): Promise<StepTiming[] | string> {
  const trainers: Trainer[] = [];
  for (const m of models) {
    const notices: string[] = [];
    const t = await Trainer.create(m, { optimizer: new Adam({ lr: 1e-2 }), seed, backend, notice: (l) => notices.push(l) });
    for (let w = 0; w < 2; w++) await t.step(batches[w % batches.length]);
    if (t.backend !== backend) return `${m.name} ran on ${t.backend}: ${notices.join("; ")}`;
    trainers.push(t);
  }
  const samples = models.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < models.length; k++) {
      const i = (k + r) % models.length;
      const t0 = performance.now();
      await trainers[i].step(batches[(r + 2) % batches.length]);
      samples[i].push(performance.now() - t0);
    }
  }
  const base = median(samples[0]);
  return models.map((m, i) => ({ model: m.name, backend, medianMs: median(samples[i]), vsLogm: median(samples[i]) / base, samples: samples[i] }));
}

export async function runO2pPooling(opts: PoolingOptions): Promise<PoolingResults> {
  const b = budget(opts);
  const data = loadMnist({ maxTrain: b.trainSize, maxTest: b.testSize });
  const log = opts.silent ? () => {} : (line: string) => console.log(line);
  log(`o2p-pooling: ${data.train.count} training / ${data.test.count} test digits, ${b.steps} steps of ${b.batch}, Adam lr ${b.lr}, seed ${opts.seed}, training on ${opts.backend}`);
  const order = batchOrder(data.train.count, b.batch, b.steps, opts.seed);
  const results: ModelResult[] = [];
  for (const m of POOLINGS) results.push(await trainOne(m, data, opts, order));

  const batches = order.slice(0, opts.rounds + 2).map((idx) => images(data.train, idx));
  const timing: StepTiming[] = [];
  const skipped: { backend: string; reason: string }[] = [];
  let adapter: string | undefined;
  for (const backend of opts.timeBackends) {
    if (backend === "webgpu") {
      adapter = await adapterName();
      if (!adapter) {
        skipped.push({ backend, reason: "no WebGPU adapter" });
        continue;
      }
    }
    const t = await timeSteps(POOLINGS, backend, batches, opts.rounds, opts.seed);
    if (typeof t === "string") skipped.push({ backend, reason: t });
    else timing.push(...t);
  }

  const out: PoolingResults = { example: "o2p-pooling", trainImages: data.train.count, testImages: data.test.count, seed: opts.seed, optimizer: `Adam lr ${b.lr}, batch ${b.batch}`, newtonSchulzIters: NS_ITERS, results, timing, skipped, ...(adapter ? { adapter } : {}) };
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "results.json"), JSON.stringify(out, null, 1) + "\n");
  const run = `${opts.quick ? "quick run, " : ""}${b.steps} steps of ${b.batch}, ${data.train.count} training digits`;
  fs.writeFileSync(path.join(opts.out, "training.svg"), trainingSvg(results, data.test.count, run, LABELS, "Second-order pooling: logm vs matrix square roots on MNIST"));
  for (const r of results) {
    log(`${r.model.padEnd(13)} [${r.backend}] loss ${r.firstLoss.toFixed(3)} → ${r.finalLoss.toFixed(3)}, train acc (last quarter) ${(100 * r.trainAccuracy).toFixed(1)}%, test acc ${(100 * r.testAccuracy).toFixed(1)}%`);
  }
  for (const t of timing) log(`${t.model.padEnd(13)} [${t.backend}] ${t.medianMs.toFixed(1)} ms/step (median of ${t.samples.length}), ×${t.vsLogm.toFixed(2)} of logm`);
  for (const s of skipped) log(`not timed on ${s.backend}: ${s.reason}`);
  if (adapter) log(`WebGPU adapter: ${adapter}`);
  log(`wrote ${path.join(opts.out, "results.json")}, training.svg`);
  return out;
}

export function parsePoolingArgs(argv: readonly string[]): PoolingOptions {
  const own = ["--time-backends", "--rounds"];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (own.includes(argv[i])) i++;
    else rest.push(argv[i]);
  }
  const { values } = parseArgs({ args: [...argv], options: { "time-backends": { type: "string" }, rounds: { type: "string" } }, strict: false });
  const base = parseExampleArgs(rest, path.join("results", "o2p-pooling"));
  const timeBackends = String(values["time-backends"] ?? "cpu,webgpu").split(",") as Backend[];
  if (timeBackends.some((t) => t !== "cpu" && t !== "webgpu")) throw new Error(`--time-backends takes cpu and/or webgpu (got ${values["time-backends"]})`);
  return { ...base, backend: base.backend === "auto" ? "cpu" : base.backend, timeBackends, rounds: Number(values.rounds ?? (base.quick ? 3 : 15)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runO2pPooling(parsePoolingArgs(process.argv.slice(2)));
}
