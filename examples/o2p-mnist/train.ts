/**
 * Trains the second-order-pooling model (model.ts) and its first-order counterpart (first-order.ts)
 * on the same fixed MNIST split with the same budget (steps, batch size, optimizer, seed), and
 * reports both test accuracies.
 *
 *   npx tsx examples/o2p-mnist/train.ts [--quick] [--backend cpu|webgpu|auto] [--seed N]
 *
 * Writes results/o2p-mnist/{results.json, training.svg} (or under --out): training.svg has the loss
 * of both models (per step and its moving average, log scale) and their test accuracy from step 0.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { accuracy, Adam, chartsSvg, ema, emaBeta, progress, Trainer, type ModelLike } from "../../compiler/train/index.js";
import { parseExampleArgs, type ExampleOptions } from "../../compiler/train/example-args.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { loadMnist, PIXELS, type Digits } from "./data.js";
import avgModel from "./first-order.js";
import o2pModel from "./model.js";

export type O2pOptions = ExampleOptions;

export interface ModelResult {
  model: string;
  backend: string;
  steps: number;
  batch: number;
  wallSeconds: number;
  firstLoss: number;
  finalLoss: number;
  testAccuracy: number;
  trainAccuracy: number;
  /** Mean training loss of each step. */
  losses: number[];
  /** [step, test accuracy] at each evaluation, from step 0 (before training). */
  testCurve: [number, number][];
}

export interface O2pResults {
  example: "o2p-mnist";
  split: string;
  trainImages: number;
  testImages: number;
  seed: number;
  optimizer: string;
  results: ModelResult[];
}

export function budget(opts: O2pOptions) {
  const trainSize = opts.trainSize ?? (opts.quick ? 640 : 8000);
  const testSize = opts.testSize ?? (opts.quick ? 200 : 2000);
  const batch = opts.batch ?? 32;
  // Full: 4 epochs of the 8,000 training images. Quick: 100 steps.
  const steps = opts.steps ?? (opts.quick ? 100 : Math.ceil((4 * trainSize) / batch));
  return { trainSize, testSize, batch, steps, lr: opts.lr ?? 1e-2, evals: opts.evals ?? (opts.quick ? 4 : 10) };
}

export function images(d: Digits, idx: readonly number[]): Map<string, NDArray> {
  const x = new Float64Array(idx.length * PIXELS);
  idx.forEach((i, k) => x.set(d.pixels.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS));
  return new Map([
    ["x", { shape: [idx.length, 1, 28, 28], data: x }],
    ["y", { shape: [idx.length], data: Float64Array.from(idx, (i) => d.labels[i]) }],
  ]);
}

export async function testAccuracy(t: Trainer, d: Digits): Promise<number> {
  let right = 0;
  const chunk = 250;
  for (let s = 0; s < d.count; s += chunk) {
    const idx = Array.from({ length: Math.min(chunk, d.count - s) }, (_, k) => s + k);
    const logits = (await t.evaluate(images(d, idx))).get("logits")!;
    right += accuracy(logits, Array.from(idx, (i) => d.labels[i])) * idx.length;
  }
  return right / d.count;
}

/** The same shuffled order of training images for every model: a seeded permutation per epoch. */
export function batchOrder(count: number, batch: number, steps: number, seed: number): number[][] {
  const rng = new Random(seed ^ 0x5eed);
  const out: number[][] = [];
  let perm: number[] = [];
  while (out.length < steps) {
    if (perm.length < batch) {
      const next = Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [next[i], next[j]] = [next[j], next[i]];
      }
      perm = perm.concat(next);
    }
    out.push(perm.splice(0, batch));
  }
  return out;
}

export async function trainOne(m: ModelLike, data: { train: Digits; test: Digits }, opts: O2pOptions, order: number[][]): Promise<ModelResult> {
  const b = budget(opts);
  const t0 = performance.now();
  const trainer = await Trainer.create(m, { optimizer: new Adam({ lr: b.lr }), seed: opts.seed, backend: opts.backend });
  const bar = progress({ label: m.name.padEnd(9), total: b.steps, batchSize: b.batch, silent: opts.silent });
  const losses: number[] = [];
  const testCurve: [number, number][] = [];
  const evalEvery = Math.max(1, Math.floor(b.steps / b.evals));
  testCurve.push([0, await testAccuracy(trainer, data.test)]);
  let trainRight = 0;
  let trainSeen = 0;
  for (let s = 1; s <= b.steps; s++) {
    const idx = order[s - 1];
    // The last quarter also brings the logits back (on WebGPU a step reads only the loss otherwise).
    const lastQuarter = s > b.steps - Math.max(1, Math.floor(b.steps / 4));
    const loss = await trainer.step(images(data.train, idx), lastQuarter ? { read: ["logits"] } : {});
    losses.push(loss);
    if (lastQuarter) {
      // Training accuracy over the last quarter of the steps (from the step's own forward pass).
      trainRight += accuracy(trainer.lastOutputs.get("logits")!, Array.from(idx, (i) => data.train.labels[i])) * idx.length;
      trainSeen += idx.length;
    }
    if (s % evalEvery === 0 || s === b.steps) {
      if (testCurve.at(-1)?.[0] !== s) testCurve.push([s, await testAccuracy(trainer, data.test)]);
    }
    bar.update(s, { loss, ...(testCurve.length ? { test: testCurve.at(-1)![1] } : {}) });
  }
  bar.stop();
  return {
    model: m.name,
    backend: trainer.backend,
    steps: b.steps,
    batch: b.batch,
    wallSeconds: (performance.now() - t0) / 1000,
    firstLoss: losses[0],
    finalLoss: mean(losses.slice(-Math.max(1, Math.floor(b.steps / 10)))),
    testAccuracy: testCurve.at(-1)![1],
    trainAccuracy: trainRight / trainSeen,
    losses,
    testCurve,
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((p, x) => p + x, 0) / xs.length;
}

/** How the models are named in charts. */
const LABELS: Record<string, string> = { "o2p-mnist": "second-order pooling (logm of the covariance)", "avg-mnist": "average pooling" };

/** The loss of the models (raw and smoothed, log scale) and their test accuracy, side by side. */
export function trainingSvg(results: readonly ModelResult[], testImages: number, run: string, labels: Record<string, string> = LABELS, title = "O2P vs average pooling on MNIST"): string {
  const beta = emaBeta(results[0].steps);
  const label = (r: ModelResult) => labels[r.model] ?? r.model;
  return chartsSvg(
    [
      {
        series: results.flatMap((r) => [
          { name: label(r), points: r.losses.map((l, i): [number, number] => [i + 1, l]), faint: true },
          { name: label(r), points: ema(r.losses, beta) },
        ]),
        opts: { title: "training loss", xLabel: "step", yLabel: "cross-entropy", yScale: "log", width: 500 },
      },
      {
        series: results.map((r) => ({ name: label(r), points: r.testCurve, style: "line+markers" as const })),
        opts: { title: `test accuracy (${testImages} digits)`, xLabel: "step", yLabel: "accuracy", yRange: [0, 1], yPercent: true, references: [{ y: 0.1, label: "chance (10 classes)" }], width: 500 },
      },
    ],
    { title: `${title} — ${run}`, note: `thin: loss of each step; thick: its exponential moving average (β = ${beta.toFixed(2)}); accuracy at step 0 is before training` },
  );
}

export async function runO2pMnist(opts: O2pOptions): Promise<O2pResults> {
  const b = budget(opts);
  const data = loadMnist({ maxTrain: b.trainSize, maxTest: b.testSize });
  const log = opts.silent ? () => {} : (line: string) => console.log(line);
  log(`o2p-mnist: ${data.train.count} training / ${data.test.count} test digits (fixed split), ${b.steps} steps of ${b.batch}, Adam lr ${b.lr}, seed ${opts.seed}`);
  const order = batchOrder(data.train.count, b.batch, b.steps, opts.seed);
  const results: ModelResult[] = [];
  for (const m of [o2pModel, avgModel]) results.push(await trainOne(m, data, opts, order));

  const out: O2pResults = {
    example: "o2p-mnist",
    split: "mnist package, per digit: first 80% train, last 20% test (balanced prefixes for smaller runs)",
    trainImages: data.train.count,
    testImages: data.test.count,
    seed: opts.seed,
    optimizer: `Adam lr ${b.lr}, batch ${b.batch}`,
    results,
  };
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "results.json"), JSON.stringify(out, null, 1) + "\n");
  const run = `${opts.quick ? "quick run, " : ""}${b.steps} steps of ${b.batch}, ${data.train.count} training digits`;
  fs.writeFileSync(path.join(opts.out, "training.svg"), trainingSvg(results, data.test.count, run));
  for (const r of results) {
    log(`${r.model.padEnd(9)} [${r.backend}] ${r.steps} steps × ${r.batch} in ${r.wallSeconds.toFixed(1)} s: loss ${r.firstLoss.toFixed(3)} → ${r.finalLoss.toFixed(3)}, train acc (last quarter) ${(100 * r.trainAccuracy).toFixed(1)}%, test acc ${(100 * r.testAccuracy).toFixed(1)}%`);
  }
  log(`wrote ${path.join(opts.out, "results.json")}, training.svg`);
  return out;
}

export function parseO2pArgs(argv: readonly string[]): O2pOptions {
  return parseExampleArgs(argv, path.join("results", "o2p-mnist"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runO2pMnist(parseO2pArgs(process.argv.slice(2)));
}
