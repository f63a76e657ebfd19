/**
 * The safetensors format (Hugging Face), written and read here without a dependency: it is the
 * common interchange format for weights, so a bundle's params open in PyTorch, JAX, candle, … and
 * params trained elsewhere drop in. Layout: an 8-byte little-endian header length N, N bytes of a
 * JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {…}}` (padded
 * with spaces to a multiple of 8), then the raw little-endian tensor data, offsets relative to its
 * start. F32 and F64 tensors are read and written: bundles compute in f32 (`decodeSafetensors`
 * gives f32), while a checkpoint of params trained on the float64 CPU keeps them exactly in F64.
 */
import { bundleFail } from "./errors.js";

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A tensor as stored: F64 data stays float64, F32 data is widened exactly. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: "F32" | "F64";
  readonly data: Float64Array;
}

/** A tensor to write: a Float64Array is stored as F64, a Float32Array as F32. */
export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

const MAX_HEADER = 100 * 1024 * 1024;

export function encodeSafetensors(tensors: readonly TensorToWrite[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const width = t.data instanceof Float64Array ? 8 : 4;
    header[t.name] = { dtype: width === 8 ? "F64" : "F32", shape: [...t.shape], data_offsets: [offset, offset + t.data.length * width] };
    offset += t.data.length * width;
  }
  let json = JSON.stringify(header);
  const bytesOf = (s: string) => new TextEncoder().encode(s);
  json += " ".repeat((8 - (bytesOf(json).length % 8)) % 8);
  const head = bytesOf(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  view.setUint32(4, 0, true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    if (t.data instanceof Float64Array) for (let i = 0; i < t.data.length; i++) view.setFloat64(at + 8 * i, t.data[i], true);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    at += t.data.byteLength;
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every tensor of the file as f32 (F64 data rounded); throws BundleError MP7005 for anything malformed. */
export function decodeSafetensors(bytes: Uint8Array): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of readSafetensors(bytes).tensors) {
    const data = Float32Array.from(t.data);
    const bad = data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) bundleFail("MP7005", `params file: tensor '${name.slice(0, 60)}' holds ${t.data[bad]} at flat index ${bad}, beyond the f32 range`);
    out.set(name, { name, shape: t.shape, data });
  }
  return out;
}

/**
 * Every tensor of the file (F32 or F64) and its `__metadata__` strings; throws BundleError MP7005
 * for anything malformed (overlaps, holes, other dtypes, non-finite values).
 */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, StoredTensor>; metadata: Record<string, string> } {
  const fail = (why: string): never => bundleFail("MP7005", `params file: ${why}`);
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 0x100000000;
  if (n > MAX_HEADER || n > bytes.length - 8) fail(`header length ${n} exceeds the file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    fail("the header is not valid UTF-8 JSON");
  }
  if (!isObj(header)) return fail("the header is not a JSON object");
  const dataStart = 8 + n;
  const dataBytes = bytes.length - dataStart;
  const out = new Map<string, StoredTensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (!isObj(entry) || (entry.dtype !== "F32" && entry.dtype !== "F64")) fail(`tensor '${name.slice(0, 60)}' is not an F32 or F64 tensor entry`);
    const e = entry as Record<string, unknown>;
    const dtype = e.dtype as "F32" | "F64";
    const width = dtype === "F64" ? 8 : 4;
    const shape = e.shape;
    const offsets = e.data_offsets;
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d < 2 ** 31)) fail(`tensor '${name.slice(0, 60)}' has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((x) => Number.isInteger(x) && x >= 0)) fail(`tensor '${name.slice(0, 60)}' has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((p, d) => p * d, 1);
    if (end < begin || end > dataBytes || end - begin !== count * width) fail(`tensor '${name.slice(0, 60)}' has data_offsets [${begin}, ${end}] that do not match its shape or the file`);
    ranges.push([begin, end, name]);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const at = dataStart + begin + width * i;
      data[i] = width === 8 ? view.getFloat64(at, true) : view.getFloat32(at, true);
      // A NaN or infinite param would only show up as `loss: NaN` in the first run.
      if (!Number.isFinite(data[i])) fail(`tensor '${name.slice(0, 60)}' holds ${data[i]} at flat index ${i}; params must be finite`);
    }
    out.set(name, { name, shape: shape as number[], dtype, data });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== covered) fail(`tensor '${name.slice(0, 60)}' ${begin < covered ? "overlaps another" : "leaves a hole before it"}`);
    covered = end;
  }
  if (covered !== dataBytes) fail(`${dataBytes - covered} bytes after the last tensor`);
  const meta = (header as Record<string, unknown>).__metadata__;
  if (meta !== undefined && (!isObj(meta) || !Object.values(meta).every((v) => typeof v === "string"))) fail("__metadata__ must map names to strings");
  return { tensors: out, metadata: (meta ?? {}) as Record<string, string> };
}

/** `__metadata__.format` of a checkpoint (params and optimizer state) written by the programmatic API. */
export const CHECKPOINT_FORMAT = "matprop.checkpoint";

/**
 * The params in a safetensors file: in a checkpoint, the tensors its metadata lists as params (its
 * optimizer state is left out); in any other file, every tensor.
 */
export function paramsOf(file: { tensors: ReadonlyMap<string, StoredTensor>; metadata: Readonly<Record<string, string>> }): Map<string, StoredTensor> {
  if (file.metadata.format !== CHECKPOINT_FORMAT) return new Map(file.tensors);
  let names: unknown;
  try {
    names = JSON.parse(file.metadata.params ?? "");
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && file.tensors.has(n))) bundleFail("MP7005", "params file: a checkpoint whose metadata does not list its params");
  return new Map((names as string[]).map((n) => [n, file.tensors.get(n)!]));
}
