/**
 * Mini-batches from in-memory arrays, as PyTorch's `DataLoader(dataset, batch_size, shuffle,
 * generator)` gives them: every array's first dim indexes examples; each pass (`for … of`, or
 * `epoch(e)`) visits every example once, in an order drawn from the seed and the epoch number, so a
 * run is reproducible and epoch e's order does not depend on how many epochs were read before.
 */
import { fail } from "../../ir/diagnostics.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { toNDArray, type FeedValue, type Result } from "./tensors.js";

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Examples per batch. */
  batchSize: number;
  /** Seed of the shuffles (epoch e shuffles with a generator seeded from seed and e). Default 0. */
  seed?: number;
  /** Visit examples in a new random order every epoch. Default true. */
  shuffle?: boolean;
  /** Leave out the last batch when it is smaller than `batchSize` (so every batch has one shape). Default false. */
  dropLast?: boolean;
}

/** Batches of named arrays: iterate it for one epoch (each iteration a new epoch), or ask for `epoch(e)`. */
export interface Batches<K extends string> extends Iterable<Record<K, Result>> {
  /** Examples in the data. */
  readonly size: number;
  /** Batches per epoch. */
  readonly length: number;
  /** The batches of epoch `e` (0, 1, …). */
  epoch(e: number): Record<K, Result>[];
}

/** A permutation of 0..n−1 (Fisher–Yates) from a generator seeded with (seed, epoch). */
function order(n: number, seed: number, epoch: number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Distinct epochs give unrelated streams: the epoch is mixed into the seed by a multiplicative hash.
  const rng = new Random((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

function take(a: NDArray, rows: ArrayLike<number>, from: number, to: number): Result {
  const per = a.data.length / a.shape[0];
  const data = new Float64Array((to - from) * per);
  for (let r = from; r < to; r++) data.set(a.data.subarray(rows[r] * per, rows[r] * per + per), (r - from) * per);
  return { shape: [to - from, ...a.shape.slice(1)], data };
}

/**
 * Seeded, shuffled mini-batches from arrays that share their first dim (nested arrays or
 * `{ shape, data }`): `for (const batch of batches({ X, y }, { batchSize: 32, seed: 0 })) await step(batch)`.
 */
export function batches<K extends string>(arrays: Readonly<Record<K, FeedValue>>, opts: BatchOptions): Batches<K> {
  if (typeof arrays !== "object" || arrays === null || Array.isArray(arrays)) fail("MP4012", "batches: give an object of named arrays, e.g. { X, y }");
  const named = Object.entries<FeedValue>(arrays).map(([k, v]) => [k, toNDArray(k, v)] as const);
  if (!named.length) fail("MP4012", "batches: give at least one array");
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) fail("MP4012", `batches: batchSize must be a positive integer, got ${String(batchSize)}`);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed)) fail("MP4012", `batches: seed must be an integer, got ${String(seed)}`);
  for (const [k, a] of named) if (a.shape.length === 0) fail("MP4012", `batches: '${k}' is a scalar; every array needs a first dim of examples`);
  const n = named[0][1].shape[0];
  const other = named.find(([, a]) => a.shape[0] !== n);
  if (other) fail("MP4012", `batches: '${named[0][0]}' has ${n} examples but '${other[0]}' has ${other[1].shape[0]}; every array's first dim counts examples`);
  const shuffle = opts.shuffle ?? true;
  const full = Math.floor(n / batchSize);
  const length = opts.dropLast || n % batchSize === 0 ? full : full + 1;
  if (length === 0) fail("MP4012", `batches: ${n} examples make no batch of ${batchSize} with dropLast`);
  let epochs = 0;
  const epoch = (e: number): Record<K, Result>[] => {
    if (!Number.isInteger(e) || e < 0) fail("MP4012", `batches: epoch must be an integer ≥ 0, got ${String(e)}`);
    const rows = shuffle ? order(n, seed, e) : Uint32Array.from({ length: n }, (_, i) => i);
    const out: Record<K, Result>[] = [];
    for (let b = 0; b < length; b++) {
      const from = b * batchSize;
      const to = Math.min(n, from + batchSize);
      out.push(Object.fromEntries(named.map(([k, a]) => [k, take(a, rows, from, to)])) as Record<K, Result>);
    }
    return out;
  };
  return {
    size: n,
    length,
    epoch,
    [Symbol.iterator]: () => epoch(epochs++)[Symbol.iterator](),
  };
}
