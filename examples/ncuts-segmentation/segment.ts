/**
 * Reading a segmentation off the layer: the top-k eigenvectors of the normalised affinity
 * D^{-1/2} W D^{-1/2} (W = F Fᵀ), rows scaled to unit length (Ng, Jordan & Weiss), then k-means.
 * Their span is the range of Π_W, the layer's output.
 */
import { adjustedRandIndex, effectiveRank, kMeans, topEigenvectors, type EffectiveRank } from "../../compiler/train/index.js";

/** Affinity W = F Fᵀ of features F [n, d] (row-major). */
export function affinity(F: ArrayLike<number>, n: number, d: number): Float64Array {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += F[i * d + t] * F[j * d + t];
      W[i * n + j] = W[j * n + i] = s;
    }
  }
  return W;
}

export function spectralSegments(F: ArrayLike<number>, n: number, d: number, k: number, seed = 0): number[] {
  const W = affinity(F, n, d);
  const dinv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += W[i * n + j];
    dinv[i] = 1 / Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[i * n + j] *= dinv[i] * dinv[j];
  const U = topEigenvectors(W, n, k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += U[i * k + j] ** 2;
    const r = Math.sqrt(s) || 1;
    for (let j = 0; j < k; j++) U[i * k + j] /= r;
  }
  return kMeans(U, n, k, k, { seed, restarts: 5 });
}

export interface SegmentScore {
  ari: number;
  rank: EffectiveRank;
  labels: number[];
}

export function scoreImage(F: ArrayLike<number>, n: number, d: number, truth: ArrayLike<number>, k: number): SegmentScore {
  const labels = spectralSegments(F, n, d, k);
  return { ari: adjustedRandIndex(truth, labels), rank: effectiveRank(affinity(F, n, d), n, n), labels };
}
