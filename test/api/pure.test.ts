/**
 * The programmatic API's pure parts: learning-rate schedules (PyTorch's StepLR and
 * CosineAnnealingLR, a linear warm-up), seeded mini-batches, feeds given as nested arrays or
 * `{ shape, data }`, and checkpoints in safetensors (F64 kept exactly, metadata listing params).
 */
import { describe, expect, it } from "vitest";
import { batches } from "../../compiler/api/data.js";
import { cosine, rateAt, stepDecay, warmup } from "../../compiler/api/schedules.js";
import { toFeedMap, toNDArray } from "../../compiler/api/tensors.js";
import { CHECKPOINT_FORMAT, decodeSafetensors, encodeSafetensors, paramsOf, readSafetensors } from "../../runtime/bundle/safetensors.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe("learning-rate schedules", () => {
  it("stepDecay is lr·γ^⌊t/every⌋", () => {
    const s = stepDecay({ lr: 0.1, every: 3, gamma: 0.5 });
    expect([0, 1, 2, 3, 5, 6, 9].map(s)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it("cosine goes from lr to min over `steps` (CosineAnnealingLR) and stays there", () => {
    const s = cosine({ lr: 1, steps: 4, min: 0.2 });
    expect(s(0)).toBe(1);
    expect(s(2)).toBeCloseTo(0.6, 14);
    expect(s(1)).toBeCloseTo(0.2 + 0.8 * (1 + Math.SQRT1_2) / 2, 14);
    expect(s(4)).toBeCloseTo(0.2, 14);
    expect(s(100)).toBeCloseTo(0.2, 14);
  });

  it("warmup rises linearly to the wrapped schedule's first rate, then runs it from its step 0", () => {
    const s = warmup(4, cosine({ lr: 0.8, steps: 10 }));
    expect([0, 1, 2, 3].map(s)).toEqual([0.2, 0.4, 0.6000000000000001, 0.8]);
    expect(s(4)).toBe(0.8);
    expect(s(9)).toBeCloseTo(cosine({ lr: 0.8, steps: 10 })(5), 15);
    expect(warmup(2, 0.5)(0)).toBe(0.25);
  });

  it("refuses bad options and a schedule that returns NaN or < 0 (MP4012)", () => {
    expect(code(() => stepDecay({ lr: -1, every: 2 }))).toBe("MP4012");
    expect(code(() => stepDecay({ lr: 1, every: 1.5 }))).toBe("MP4012");
    expect(code(() => cosine({ lr: 1, steps: 0 }))).toBe("MP4012");
    expect(code(() => warmup(0, 1))).toBe("MP4012");
    expect(code(() => rateAt(() => NaN, 3))).toBe("MP4012");
    expect(code(() => rateAt(() => -1, 3))).toBe("MP4012");
  });
});

describe("batches", () => {
  const n = 10;
  const X = Array.from({ length: n }, (_, i) => [i, 10 * i]);
  const y = { shape: [n], data: Int32Array.from({ length: n }, (_, i) => i) };

  it("visits every example once per epoch, rows of X and y together, in a seeded order", () => {
    const b = batches({ X, y }, { batchSize: 4, seed: 7 });
    expect([b.size, b.length]).toEqual([10, 3]);
    const e0 = b.epoch(0);
    expect(e0.map((x) => x.X.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    const labels = e0.flatMap((x) => [...x.y.data]);
    expect([...labels].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labels).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const x of e0) for (let r = 0; r < x.y.shape[0]; r++) expect([x.X.data[2 * r], x.X.data[2 * r + 1]]).toEqual([x.y.data[r], 10 * x.y.data[r]]);
    // Same seed and epoch, same order; another epoch or seed, another order.
    expect(batches({ X, y }, { batchSize: 4, seed: 7 }).epoch(0)).toEqual(e0);
    expect(b.epoch(1).flatMap((x) => [...x.y.data])).not.toEqual(labels);
    expect(batches({ X, y }, { batchSize: 4, seed: 8 }).epoch(0).flatMap((x) => [...x.y.data])).not.toEqual(labels);
    // Iterating is epoch 0, then epoch 1, …
    expect([...b]).toEqual(e0);
    expect([...b]).toEqual(b.epoch(1));
  });

  it("dropLast keeps one batch shape; shuffle: false keeps the order", () => {
    expect(batches({ X }, { batchSize: 4, dropLast: true }).length).toBe(2);
    const plain = batches({ y }, { batchSize: 5, shuffle: false }).epoch(3);
    expect(plain.map((x) => [...x.y.data])).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  });

  it("refuses arrays of different lengths, scalars and bad sizes (MP4012)", () => {
    expect(code(() => batches({ X, z: [1, 2] }, { batchSize: 2 }))).toBe("MP4012");
    expect(code(() => batches({ s: 3 }, { batchSize: 2 }))).toBe("MP4012");
    expect(code(() => batches({ X }, { batchSize: 0 }))).toBe("MP4012");
    expect(code(() => batches({ X }, { batchSize: 11, dropLast: true }))).toBe("MP4012");
  });
});

describe("feeds", () => {
  it("take nested arrays or { shape, data } with any numeric typed array", () => {
    expect(toNDArray("X", [[1, 2], [3, 4]])).toEqual({ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) });
    expect(toNDArray("X", { shape: [2, 2], data: Float32Array.of(1, 2, 3, 4.5) })).toEqual({ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4.5) });
    expect(toNDArray("s", 3)).toEqual({ shape: [], data: Float64Array.of(3) });
    expect(toNDArray("s", { shape: [], data: [3] })).toEqual({ shape: [], data: Float64Array.of(3) });
  });

  it("name the feed for malformed data (MP4009) and refuse a non-object (MP4012)", () => {
    expect(code(() => toNDArray("X", { shape: [2, 2], data: Float32Array.of(1, 2, 3) }))).toBe("MP4009");
    expect(code(() => toNDArray("X", { shape: [2, -1], data: [] }))).toBe("MP4009");
    expect(code(() => toNDArray("X", { shape: [2], data: ["a", 1] }))).toBe("MP4009");
    expect(code(() => toNDArray("X", { rows: 2 }))).toBe("MP4009");
    expect(code(() => toNDArray("X", [[1, 2], [3]]))).toBe("MP4009");
    expect(code(() => toFeedMap([1, 2]))).toBe("MP4012");
  });
});

describe("safetensors for checkpoints", () => {
  it("keeps F64 tensors exactly next to F32 ones, with metadata", () => {
    const w = Float64Array.of(Math.PI, -1e-300, 1 / 3);
    const bytes = encodeSafetensors([{ name: "W", shape: [3], data: w }, { name: "b", shape: [], data: Float32Array.of(0.1) }], { producer: "test" });
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer).getUint32(0, true))));
    expect(header.W).toEqual({ dtype: "F64", shape: [3], data_offsets: [0, 24] });
    expect(header.b).toEqual({ dtype: "F32", shape: [], data_offsets: [24, 28] });
    const file = readSafetensors(bytes);
    expect(file.tensors.get("W")!.data).toEqual(w);
    expect(file.tensors.get("b")!.data[0]).toBe(Math.fround(0.1));
    expect(file.metadata).toEqual({ producer: "test" });
    // The bundle's f32 view rounds F64, and refuses what overflows f32.
    expect([...decodeSafetensors(bytes).get("W")!.data]).toEqual([...Float32Array.from(w)]);
    expect(code(() => decodeSafetensors(encodeSafetensors([{ name: "W", shape: [1], data: Float64Array.of(1e300) }])))).toBe("MP7005");
  });

  it("a checkpoint's params are those its metadata lists; any other file's are all its tensors", () => {
    const tensors = [
      { name: "W", shape: [1], data: Float64Array.of(1) },
      { name: "optim.step", shape: [], data: Float64Array.of(3) },
    ];
    const ckpt = readSafetensors(encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, params: JSON.stringify(["W"]) }));
    expect([...paramsOf(ckpt).keys()]).toEqual(["W"]);
    expect([...paramsOf(readSafetensors(encodeSafetensors(tensors))).keys()]).toEqual(["W", "optim.step"]);
    expect(code(() => paramsOf(readSafetensors(encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, params: "[\"V\"]" }))))).toBe("MP7005");
  });
});
