/**
 * Checking what a caller hands a bundle: every input present and no unknown one, each a typed
 * array of its dtype (Float32Array for f32; Float32Array or Float64Array for f64; Int32Array for
 * i32 labels) with the declared number of elements — or `{ data, shape }` whose shape must agree
 * with the declared one: equal fixed dims, and each named dim (`"B"`) one size across all the
 * tensors of a call (a tensor with named dims must come as `{ data, shape }`) — and no NaN or
 * Infinity, nor an f64 value beyond the f32 range. The result is what the GPU takes: f32 arrays
 * with their concrete shapes, by name.
 * A tensor declared symmetric, spd, diagonal, orthogonal or projector must be one (MP7016), checked
 * as the CPU executor checks its inputs (numeric/structure-check.ts) on the f32 values the GPU
 * takes, with the f32 tolerances of WebGPU's `assume`: a non-symmetric matrix handed to a symmetric
 * input would otherwise run through eigh as its symmetric part, silently. (Params a `step` has
 * updated are not checked again.)
 */
import { NumericError } from "../../numeric/numeric-error.js";
import { checkStructure, F32_STRUCTURE } from "../../numeric/structure-check.js";
import { bundleFail } from "./errors.js";
import { elementCount, type TensorSpec } from "./manifest.js";

/** A checked tensor: its concrete shape and its values as f32. */
export interface CheckedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const ACCEPTED: Record<TensorSpec["dtype"], readonly string[]> = {
  f32: ["Float32Array"],
  f64: ["Float32Array", "Float64Array"],
  i32: ["Int32Array"],
  // Only outputs are bool (comparison results); no input or param is declared so.
  bool: [],
};

function tagOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a plain array";
  if (typeof v !== "object") return typeof v;
  return Object.prototype.toString.call(v).slice(8, -1);
}

const shapeText = (s: readonly unknown[]) => `[${s.map(String).join(", ")}]`;

/** Sizes of named dims bound so far in a call, and which tensor bound each. */
export type DimBinding = Map<string, { size: number; by: string }>;

/** The concrete shape `given` for `spec`, checked against its declared dims (binding named ones in `dims`). */
function bindShape(spec: TensorSpec, given: unknown, what: string, dims: DimBinding): number[] {
  const named = spec.shape.some((d) => typeof d === "string");
  if (given === undefined) {
    if (named) bundleFail("MP7008", `${what} '${spec.name}' is declared ${shapeText(spec.shape)} with named dims: pass it as { data, shape }`);
    return spec.shape as number[];
  }
  if (!Array.isArray(given) || given.length !== spec.shape.length || given.some((d) => !Number.isInteger(d) || d < 1)) {
    bundleFail("MP7008", `${what} '${spec.name}' has shape ${Array.isArray(given) ? shapeText(given.slice(0, 10)) : tagOf(given)}; the bundle needs ${shapeText(spec.shape)}`);
  }
  const shape = given as number[];
  spec.shape.forEach((d, i) => {
    if (typeof d === "number") {
      if (shape[i] !== d) bundleFail("MP7008", `${what} '${spec.name}' has shape ${shapeText(shape)}; the bundle needs ${shapeText(spec.shape)}`);
      return;
    }
    const known = dims.get(d);
    if (known && known.size !== shape[i]) bundleFail("MP7008", `dim ${d} is ${known.size} in '${known.by}' but ${shape[i]} in ${what} '${spec.name}' ${shapeText(shape)}`);
    dims.set(d, { size: shape[i], by: spec.name });
  });
  return shape;
}

/** One tensor's value as f32 for the GPU; `what` is "input" or "param". */
export function tensorValue(spec: TensorSpec, value: unknown, what: string, dims: DimBinding = new Map()): CheckedTensor {
  let data = value;
  let given: unknown;
  if (typeof value === "object" && value !== null && !ArrayBuffer.isView(value) && !Array.isArray(value) && "data" in value) {
    given = (value as { shape?: unknown }).shape;
    data = (value as { data: unknown }).data;
  }
  const shape = bindShape(spec, given, what, dims);
  const tag = tagOf(data);
  if (!ACCEPTED[spec.dtype].includes(tag) || !ArrayBuffer.isView(data)) {
    bundleFail("MP7009", `${what} '${spec.name}' is declared ${spec.dtype} and must be ${ACCEPTED[spec.dtype].map((a) => (/^[AEIOU]/.test(a) ? `an ${a}` : `a ${a}`)).join(" or ")}, not ${/^[AEIOU]/.test(tag) ? `an ${tag}` : /^[A-Z]/.test(tag) ? `a ${tag}` : tag}`);
  }
  const arr = data as unknown as Float32Array | Float64Array | Int32Array;
  const want = elementCount(shape);
  if (arr.length !== want) bundleFail("MP7008", `${what} '${spec.name}' has ${arr.length} values; ${shapeText(shape)} needs ${want}`);
  const out = new Float32Array(want);
  for (let i = 0; i < want; i++) {
    const x = arr[i];
    if (!Number.isFinite(x)) bundleFail("MP7010", `${what} '${spec.name}' holds ${x} at flat index ${i}`);
    out[i] = x;
    // An f64 value beyond ±3.4e38 would reach the GPU as ±Infinity.
    if (!Number.isFinite(out[i])) bundleFail("MP7010", `${what} '${spec.name}' holds ${x} at flat index ${i}, beyond the f32 range (±3.4e38) the GPU computes in`);
  }
  if (spec.structure) checkDeclared(spec, shape, out, what);
  return { shape, data: out };
}

function checkDeclared(spec: TensorSpec, shape: readonly number[], values: Float32Array, what: string): void {
  try {
    checkStructure({ shape: [...shape], data: Float64Array.from(values) }, spec.structure!, F32_STRUCTURE);
  } catch (e) {
    if (!(e instanceof NumericError)) throw e;
    // NumericError messages start with their kind ("not-spd: …"); the detail reads better alone.
    bundleFail("MP7016", `${what} '${spec.name}' (declared ${spec.structure}) is ${e.message.slice(e.kind.length + 2)}`);
  }
}

/** Every declared tensor of `specs` from `values` (an object by name), nothing else; named dims agree across them. */
export function tensorValues(specs: readonly TensorSpec[], values: unknown, what: string, opts: { partial?: boolean } = {}): Map<string, CheckedTensor> {
  if (typeof values !== "object" || values === null || Array.isArray(values) || ArrayBuffer.isView(values)) {
    bundleFail("MP7007", `${what}s must be an object mapping ${what} names to typed arrays, not ${tagOf(values)}`);
  }
  const given = Object.keys(values);
  const known = new Set(specs.map((s) => s.name));
  const unknown = given.filter((k) => !known.has(k));
  if (unknown.length) bundleFail("MP7007", `unknown ${what}${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).map((k) => `'${k.slice(0, 60)}'`).join(", ")}; the bundle takes ${specs.map((s) => `'${s.name}'`).join(", ") || "none"}`);
  const out = new Map<string, CheckedTensor>();
  const dims: DimBinding = new Map();
  for (const s of specs) {
    if (!Object.prototype.hasOwnProperty.call(values, s.name)) {
      if (opts.partial) continue;
      bundleFail("MP7007", `missing ${what} '${s.name}' (${s.dtype} ${shapeText(s.shape)})`);
    }
    out.set(s.name, tensorValue(s, (values as Record<string, unknown>)[s.name], what, dims));
  }
  return out;
}
