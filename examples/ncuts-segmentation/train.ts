/**
 * Trains the normalized-cuts layer (model.ts) end to end on seeded synthetic scenes and reports the
 * segmentation score before and after: the adjusted Rand index between the ground truth and k-means
 * on the top-k eigenvectors of D^{-1/2} W D^{-1/2} (segment.ts), and the effective rank of the
 * learned affinity W = F Fᵀ over training.
 *
 *   npx tsx examples/ncuts-segmentation/train.ts [--quick] [--backend cpu|webgpu|auto] [--seed N]
 *
 * Writes results/ncuts-segmentation/{results.json, curves.svg, segments.svg} (or under --out): curves.svg
 * has the loss, the test ARI and the effective rank of W over training.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Adam, chartsSvg, ema, emaBeta, progress, Trainer } from "../../compiler/train/index.js";
import { parseExampleArgs, type ExampleOptions } from "../../compiler/train/example-args.js";
import { Random } from "../../numeric/random.js";
import { generateScenes, sceneBatch, type Scene } from "./data.js";
import ncuts, { FEATURES, PIXELS, SEGMENTS, SIZE } from "./model.js";
import { matchLabels, segmentationSvg } from "./picture.js";
import { scoreImage } from "./segment.js";

export type NcutsOptions = ExampleOptions;

interface Evaluation {
  step: number;
  /** Mean ARI over the test scenes. */
  ari: number;
  /** Mean effective rank (exp entropy of normalised singular values) of W over the test scenes. */
  rank: number;
  /** Mean numerical rank (#σ > 1e-3 σ_max). */
  numericalRank: number;
  testLoss: number;
  labels: number[][];
}

export interface NcutsResults {
  example: "ncuts-segmentation";
  backend: string;
  seed: number;
  image: string;
  trainScenes: number;
  testScenes: number;
  steps: number;
  batch: number;
  optimizer: string;
  wallSeconds: number;
  firstLoss: number;
  finalLoss: number;
  before: { ari: number; effectiveRank: number; numericalRank: number; testLoss: number };
  after: { ari: number; effectiveRank: number; numericalRank: number; testLoss: number };
  losses: number[];
  curve: { step: number; ari: number; effectiveRank: number; numericalRank: number; testLoss: number }[];
  rankDefinition: string;
}

function budget(opts: NcutsOptions) {
  return {
    trainSize: opts.trainSize ?? (opts.quick ? 64 : 512),
    testSize: opts.testSize ?? (opts.quick ? 16 : 64),
    batch: opts.batch ?? 8,
    steps: opts.steps ?? (opts.quick ? 40 : 400),
    lr: opts.lr ?? 1e-2,
    evals: opts.evals ?? (opts.quick ? 4 : 10),
  };
}

async function evaluate(t: Trainer, scenes: readonly Scene[], step: number): Promise<Evaluation> {
  const out = await t.evaluate(sceneBatch(scenes, SIZE));
  const F = out.get("features")!;
  let ari = 0;
  let rank = 0;
  let numericalRank = 0;
  const labels: number[][] = [];
  scenes.forEach((s, b) => {
    const f = F.data.subarray(b * PIXELS * FEATURES, (b + 1) * PIXELS * FEATURES);
    const score = scoreImage(f, PIXELS, FEATURES, s.labels, SEGMENTS);
    ari += score.ari;
    rank += score.rank.entropy;
    numericalRank += score.rank.numerical;
    labels.push(score.labels);
  });
  const n = scenes.length;
  return { step, ari: ari / n, rank: rank / n, numericalRank: numericalRank / n, testLoss: out.get("loss")!.data[0], labels };
}

export async function runNcuts(opts: NcutsOptions): Promise<NcutsResults> {
  const b = budget(opts);
  const log = opts.silent ? () => {} : (line: string) => console.log(line);
  const sceneOpts = { size: SIZE, segments: SEGMENTS };
  const train = generateScenes(opts.seed * 2 + 1, b.trainSize, sceneOpts);
  const test = generateScenes(opts.seed * 2 + 2, b.testSize, sceneOpts);
  log(`ncuts-segmentation: ${b.trainSize} training / ${b.testSize} test scenes (${SIZE}×${SIZE}, ${SEGMENTS} regions), ${b.steps} steps of ${b.batch}, Adam lr ${b.lr}, seed ${opts.seed}`);
  const t0 = performance.now();
  const trainer = await Trainer.create(ncuts, { optimizer: new Adam({ lr: b.lr }), seed: opts.seed, backend: opts.backend });
  const evals: Evaluation[] = [await evaluate(trainer, test, 0)];
  const losses: number[] = [];
  const rng = new Random(opts.seed ^ 0x5eed);
  let order: number[] = [];
  const evalEvery = Math.max(1, Math.floor(b.steps / b.evals));
  const bar = progress({ label: "ncuts", total: b.steps, batchSize: b.batch, silent: opts.silent });
  for (let s = 1; s <= b.steps; s++) {
    if (order.length < b.batch) {
      const perm = Array.from({ length: train.length }, (_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      order = order.concat(perm);
    }
    const loss = await trainer.step(sceneBatch(order.splice(0, b.batch).map((i) => train[i]), SIZE));
    losses.push(loss);
    if (s % evalEvery === 0 || s === b.steps) if (evals.at(-1)!.step !== s) evals.push(await evaluate(trainer, test, s));
    bar.update(s, { loss, ari: evals.at(-1)!.ari });
  }
  bar.stop();
  const wallSeconds = (performance.now() - t0) / 1000;
  const before = evals[0];
  const after = evals.at(-1)!;
  const summary = (e: Evaluation) => ({ ari: e.ari, effectiveRank: e.rank, numericalRank: e.numericalRank, testLoss: e.testLoss });
  const tail = losses.slice(-Math.max(1, Math.floor(b.steps / 10)));
  const results: NcutsResults = {
    example: "ncuts-segmentation",
    backend: trainer.backend,
    seed: opts.seed,
    image: `${SIZE}×${SIZE} RGB, ${SEGMENTS} regions, features d = ${FEATURES}`,
    trainScenes: b.trainSize,
    testScenes: b.testSize,
    steps: b.steps,
    batch: b.batch,
    optimizer: `Adam lr ${b.lr}`,
    wallSeconds,
    firstLoss: losses[0],
    finalLoss: tail.reduce((p, x) => p + x, 0) / tail.length,
    before: summary(before),
    after: summary(after),
    losses,
    curve: evals.map((e) => ({ step: e.step, ...summary(e) })),
    rankDefinition: "effectiveRank: exp of the Shannon entropy of the normalised singular values of W = F Fᵀ (Roy & Vetterli); numericalRank: #σ > 1e-3·σ_max; both averaged over the test scenes",
  };

  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "results.json"), JSON.stringify(results, null, 1) + "\n");
  const beta = emaBeta(b.steps);
  fs.writeFileSync(
    path.join(opts.out, "curves.svg"),
    chartsSvg(
      [
        {
          series: [
            { name: "train loss J", points: losses.map((l, i): [number, number] => [i + 1, l]), faint: true },
            { name: "train loss J", points: ema(losses, beta) },
            { name: "test loss J", points: evals.map((e): [number, number] => [e.step, e.testLoss]), style: "line+markers" },
          ],
          opts: { title: "loss ½‖Π_W − Π_Y‖²", xLabel: "step", yLabel: "J", width: 400 },
        },
        {
          series: [{ name: "test ARI", points: evals.map((e): [number, number] => [e.step, e.ari]), style: "line+markers" }],
          opts: { title: "adjusted Rand index (test)", xLabel: "step", yRange: [0, 1], references: [{ y: 0, label: "chance" }], width: 360 },
        },
        {
          series: [{ name: "effective rank of W", points: evals.map((e): [number, number] => [e.step, e.rank]), style: "line+markers" }],
          opts: { title: "effective rank of W = F Fᵀ (test)", xLabel: "step", references: [{ y: SEGMENTS, label: `${SEGMENTS} true segments` }], width: 360 },
        },
      ],
      { title: `normalized cuts — ${b.steps} steps of ${b.batch}, ${b.trainSize} training scenes`, note: `thin: loss of each step; thick: its exponential moving average (β = ${beta.toFixed(2)}); step 0 is before training` },
    ),
  );
  const shown = test.slice(0, Math.min(4, test.length));
  fs.writeFileSync(
    path.join(opts.out, "segments.svg"),
    segmentationSvg(
      shown.map((s, i) => ({
        image: s.image,
        truth: s.labels,
        panels: [
          { title: "before training", labels: matchLabels(before.labels[i], s.labels, SEGMENTS) },
          { title: "after training", labels: matchLabels(after.labels[i], s.labels, SEGMENTS) },
        ],
      })),
      SIZE,
    ),
  );
  const f = (x: number) => x.toFixed(3);
  log(`ncuts [${trainer.backend}] ${b.steps} steps × ${b.batch} in ${wallSeconds.toFixed(1)} s: loss ${f(results.firstLoss)} → ${f(results.finalLoss)} (test ${f(before.testLoss)} → ${f(after.testLoss)})`);
  log(`  ARI (k-means on top-${SEGMENTS} eigenvectors of D^-1/2 W D^-1/2): ${f(before.ari)} before → ${f(after.ari)} after`);
  log(`  effective rank of W (exp entropy): ${f(before.rank)} → ${f(after.rank)}; numerical rank (σ > 1e-3 σmax): ${before.numericalRank.toFixed(2)} → ${after.numericalRank.toFixed(2)}`);
  log(`wrote ${path.join(opts.out, "results.json")}, curves.svg, segments.svg`);
  return results;
}

export function parseNcutsArgs(argv: readonly string[]): NcutsOptions {
  return parseExampleArgs(argv, path.join("results", "ncuts-segmentation"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runNcuts(parseNcutsArgs(process.argv.slice(2)));
}
