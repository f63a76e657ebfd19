/**
 * Seeded synthetic scenes with known segmentations: an S×S RGB image split into k Voronoi regions
 * (every region at least S pixels), each with a flat colour, a striped texture of its own
 * orientation and frequency, and Gaussian noise on top. In about half the scenes two regions share
 * their colour (up to a small offset), so only texture tells them apart.
 */
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";

export interface Scene {
  /** [3, S, S] channel-major pixels, roughly in [0, 1]. */
  readonly image: Float64Array;
  /** Region of each pixel (row-major), 0..k-1. */
  readonly labels: Int32Array;
}

export interface SceneOptions {
  size: number;
  segments: number;
  noise?: number;
}

export function generateScene(rng: Random, opts: SceneOptions): Scene {
  const { size: S, segments: k } = opts;
  const noise = opts.noise ?? 0.08;
  let labels: Int32Array;
  for (;;) {
    const seeds = Array.from({ length: k }, () => [rng.uniform() * S, rng.uniform() * S]);
    labels = new Int32Array(S * S);
    const counts = new Array<number>(k).fill(0);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        let best = 0;
        let bd = Infinity;
        seeds.forEach(([sx, sy], r) => {
          const d = (x + 0.5 - sx) ** 2 + (y + 0.5 - sy) ** 2;
          if (d < bd) [bd, best] = [d, r];
        });
        labels[y * S + x] = best;
        counts[best]++;
      }
    }
    if (counts.every((c) => c >= S)) break;
  }
  const colours = Array.from({ length: k }, () => [0, 1, 2].map(() => 0.2 + 0.6 * rng.uniform()));
  if (k >= 2 && rng.uniform() < 0.5) colours[1] = colours[0].map((c) => c + 0.05 * (rng.uniform() - 0.5));
  const textures = Array.from({ length: k }, (_, r) => ({
    angle: (r / k) * Math.PI + 0.3 * rng.uniform(),
    freq: 0.9 + 1.2 * rng.uniform(),
    phase: 2 * Math.PI * rng.uniform(),
  }));
  const image = new Float64Array(3 * S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const r = labels[y * S + x];
      const t = textures[r];
      const stripe = 0.2 * Math.sin(t.freq * (x * Math.cos(t.angle) + y * Math.sin(t.angle)) + t.phase);
      for (let c = 0; c < 3; c++) image[c * S * S + y * S + x] = colours[r][c] + stripe + noise * rng.normal();
    }
  }
  return { image, labels };
}

export function generateScenes(seed: number, count: number, opts: SceneOptions): Scene[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => generateScene(rng, opts));
}

/** Π_Y = Y (YᵀY)⁻¹ Yᵀ for the indicator Y of `labels`: 1/|segment| where i and j share a segment. */
export function segmentationProjector(labels: ArrayLike<number>, out = new Float64Array(labels.length * labels.length)): Float64Array {
  const n = labels.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = labels[i] === labels[j] ? 1 / counts.get(labels[i])! : 0;
  return out;
}

/** Model feeds for a batch of scenes: x [B, 3, S, S] and Π_Y [B, S², S²]. */
export function sceneBatch(scenes: readonly Scene[], size: number): Map<string, NDArray> {
  const n = size * size;
  const x = new Float64Array(scenes.length * 3 * n);
  const piY = new Float64Array(scenes.length * n * n);
  scenes.forEach((s, b) => {
    x.set(s.image, b * 3 * n);
    segmentationProjector(s.labels, piY.subarray(b * n * n, (b + 1) * n * n));
  });
  return new Map([
    ["x", { shape: [scenes.length, 3, size, size], data: x }],
    ["PiY", { shape: [scenes.length, n, n], data: piY }],
  ]);
}
