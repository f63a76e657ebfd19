/**
 * What the programmatic API takes and gives: a feed is nested arrays of numbers (a number for a
 * scalar), as in an inputs JSON file, or `{ shape, data }` with a typed array in row-major order;
 * results are `{ shape, data }` with float64 data (the CPU computes in float64; WebGPU's f32 values
 * are widened exactly).
 */
import { fail } from "../../ir/diagnostics.js";
import { getMaxElements, MAX_RANK } from "../../ir/limits.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { fromNested } from "../../runtime/cpu/nested.js";

/** A tensor as a shape and its row-major data (a typed array or plain numbers). */
export interface TensorData {
  /** The dims, e.g. `[32, 4]` (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** The values in row-major order: a typed array (Float32Array, Float64Array, Int32Array, …) or numbers. */
  readonly data: ArrayLike<number>;
}

/** Nested arrays of numbers, rectangular (a number is a scalar). */
export type Nested = number | readonly Nested[];

/** A value given for an input or param: nested arrays, or `{ shape, data }`. */
export type FeedValue = Nested | TensorData;

/** Values by input (and, optionally, param) name. */
export type Feeds = Readonly<Record<string, FeedValue>>;

/** A result tensor: its shape and float64 row-major data. */
export type Result = NDArray;

function isTensorData(v: unknown): v is TensorData {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v && "data" in v;
}

/** One feed as an NDArray (float64), with MP4009 naming the feed for anything malformed. */
export function toNDArray(name: string, v: unknown): NDArray {
  if (!isTensorData(v)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) fail("MP4009", `'${name}' must be nested arrays of numbers or { shape, data }, got an object with keys ${Object.keys(v).slice(0, 5).join(", ") || "(none)"}`);
    return fromNested(name, v);
  }
  const { shape, data } = v;
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    fail("MP4009", `'${name}'.shape must be an array of at most ${MAX_RANK} positive integers, got ${JSON.stringify(shape)}`);
  }
  const count = shape.reduce((p: number, d: number) => p * d, 1);
  if (count > getMaxElements()) fail("MP4009", `'${name}' has shape [${shape.join(", ")}] = ${count} elements; the limit is ${getMaxElements()} per tensor`);
  const isNumbers = ArrayBuffer.isView(data) ? !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array) : Array.isArray(data);
  if (!isNumbers) fail("MP4009", `'${name}'.data must be a typed array or an array of numbers`);
  if (data.length !== count) fail("MP4009", `'${name}'.data has ${data.length} values; shape [${shape.join(", ")}] needs ${count}`);
  const out = Float64Array.from(data as ArrayLike<number>);
  if (Array.isArray(data)) {
    const bad = (data as unknown[]).findIndex((x) => typeof x !== "number");
    if (bad >= 0) fail("MP4009", `'${name}'.data[${bad}] is not a number`);
  }
  return { shape: [...shape], data: out };
}

/** Feeds as NDArrays by name; anything but a plain object of feeds is MP4012. */
export function toFeedMap(feeds: unknown, what = "feeds"): Map<string, NDArray> {
  if (typeof feeds !== "object" || feeds === null || Array.isArray(feeds) || ArrayBuffer.isView(feeds)) {
    fail("MP4012", `${what} must be an object mapping input names to values, e.g. { X: [[1, 2], [3, 4]] }`);
  }
  return new Map(Object.entries(feeds).map(([k, v]) => [k, toNDArray(k, v)]));
}

/** A map of results as a plain object. */
export function toRecord<K extends string>(m: ReadonlyMap<string, NDArray>): Record<K, Result> {
  return Object.fromEntries([...m].map(([k, v]) => [k, { shape: [...v.shape], data: v.data }])) as unknown as Record<K, Result>;
}
