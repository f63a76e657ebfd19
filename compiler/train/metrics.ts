/** Metrics for the examples: adjusted Rand index, effective rank, accuracy, and a small k-means. */
import { eighMatrix } from "../../numeric/linalg/eigh.js";
import { Random } from "../../numeric/random.js";

/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985): 1 for identical
 * partitions (up to renaming), about 0 for independent ones. When both partitions put everything in
 * one cluster (or both are all singletons) the index is 0/0; we return 1, as scikit-learn does.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`adjustedRandIndex: ${a.length} vs ${b.length} labels`);
  const n = a.length;
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const c of table.values()) index += pairs(c);
  let sumA = 0;
  for (const c of rows.values()) sumA += pairs(c);
  let sumB = 0;
  for (const c of cols.values()) sumB += pairs(c);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/** Singular values of a row-major m×n matrix (descending), from the eigenvalues of its Gram matrix. */
export function singularValues(a: ArrayLike<number>, m: number, n: number): number[] {
  const k = Math.min(m, n);
  const gram = new Float64Array(k * k);
  // The smaller Gram matrix: AᵀA (n×n) when n ≤ m, else AAᵀ (m×m); both have eigenvalues σ².
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      if (n <= m) for (let r = 0; r < m; r++) s += a[r * n + i] * a[r * n + j];
      else for (let c = 0; c < n; c++) s += a[i * n + c] * a[j * n + c];
      gram[i * k + j] = gram[j * k + i] = s;
    }
  }
  const { w } = eighMatrix(gram, k);
  return Array.from(w, (x) => Math.sqrt(Math.max(0, x))).sort((p, q) => q - p);
}

export interface EffectiveRank {
  /**
   * exp of the Shannon entropy of the normalised singular values p_i = σ_i / Σσ (Roy & Vetterli
   * 2007): 1 for a rank-one matrix, n for a multiple of an orthogonal one; continuous in between.
   */
  entropy: number;
  /** Number of singular values above `tol`·σ_max (tol = 1e-3 by default). */
  numerical: number;
}

export function effectiveRank(a: ArrayLike<number>, m: number, n: number, tol = 1e-3): EffectiveRank {
  const s = singularValues(a, m, n);
  const total = s.reduce((p, x) => p + x, 0);
  if (total === 0) return { entropy: 0, numerical: 0 };
  let h = 0;
  for (const x of s) {
    const p = x / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return { entropy: Math.exp(h), numerical: s.filter((x) => x > tol * s[0]).length };
}

/** Fraction of rows of `logits` [B, C] whose argmax equals the label. */
export function accuracy(logits: { shape: readonly number[]; data: ArrayLike<number> }, labels: ArrayLike<number>): number {
  const [b, c] = logits.shape;
  let right = 0;
  for (let i = 0; i < b; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (logits.data[i * c + j] > logits.data[i * c + best]) best = j;
    if (best === labels[i]) right++;
  }
  return right / b;
}

/**
 * k-means (Lloyd) on n points of dimension d (row-major), k-means++ seeding, `restarts` seeded
 * runs, the lowest within-cluster sum of squares kept. Returns a label per point.
 */
export function kMeans(points: ArrayLike<number>, n: number, d: number, k: number, opts: { seed?: number; restarts?: number; iterations?: number } = {}): number[] {
  const rng = new Random(opts.seed ?? 0);
  const dist2 = (i: number, c: Float64Array, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = points[i * d + t] - c[j * d + t];
      s += e * e;
    }
    return s;
  };
  let best: { labels: number[]; cost: number } | undefined;
  for (let r = 0; r < (opts.restarts ?? 5); r++) {
    const centres = new Float64Array(k * d);
    // k-means++: each next centre drawn with probability ∝ squared distance to the nearest one.
    const first = Math.floor(rng.uniform() * n);
    for (let t = 0; t < d; t++) centres[t] = points[first * d + t];
    const near = new Float64Array(n).fill(Infinity);
    for (let j = 1; j < k; j++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += near[i] = Math.min(near[i], dist2(i, centres, j - 1));
      let pick = n - 1;
      let u = rng.uniform() * total;
      for (let i = 0; i < n; i++) if ((u -= near[i]) <= 0) { pick = i; break; }
      for (let t = 0; t < d; t++) centres[j * d + t] = points[pick * d + t];
    }
    const labels = new Array<number>(n).fill(-1);
    let cost = 0;
    for (let it = 0; it < (opts.iterations ?? 100); it++) {
      let changed = false;
      cost = 0;
      for (let i = 0; i < n; i++) {
        let bj = 0;
        let bd = Infinity;
        for (let j = 0; j < k; j++) {
          const dd = dist2(i, centres, j);
          if (dd < bd) [bd, bj] = [dd, j];
        }
        cost += bd;
        if (labels[i] !== bj) [labels[i], changed] = [bj, true];
      }
      if (!changed) break;
      const counts = new Float64Array(k);
      centres.fill(0);
      for (let i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (let t = 0; t < d; t++) centres[labels[i] * d + t] += points[i * d + t];
      }
      for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) centres[j * d + t] = counts[j] ? centres[j * d + t] / counts[j] : points[Math.floor(rng.uniform() * n) * d + t];
    }
    if (!best || cost < best.cost) best = { labels, cost };
  }
  return best!.labels;
}

/** The top-k eigenvectors (columns, largest eigenvalue first) of a symmetric n×n matrix, as n×k rows. */
export function topEigenvectors(x: ArrayLike<number>, n: number, k: number): Float64Array {
  const { u } = eighMatrix(Float64Array.from(x), n);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = u[i * n + (n - 1 - j)];
  return out;
}
