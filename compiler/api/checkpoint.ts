/**
 * Checkpoints: params and optimizer state in one safetensors file. The metadata says it is a
 * checkpoint, lists which tensors are params (so `build --params` and a bundle's `setParams` take
 * just those, runtime/bundle/safetensors.ts `paramsOf`), and records the optimizer (as JSON) and
 * the steps taken; the state tensors carry the device's names (`optim.moments.W`, `optim.step`).
 * Params trained on the float64 CPU are stored as F64, exactly; WebGPU's as F32.
 */
import { fail } from "../../ir/diagnostics.js";
import { optimizerRule, type OptimizerSpec } from "../../ir/optimizer.js";
import type { NDArray } from "../../numeric/ndarray.js";
import { CHECKPOINT_FORMAT, encodeSafetensors, paramsOf, readSafetensors } from "../../runtime/bundle/safetensors.js";

export interface Checkpoint {
  readonly params: Map<string, NDArray>;
  /** Optimizer state by the device's names; empty when none was saved. */
  readonly state: Map<string, NDArray>;
  readonly optimizer?: OptimizerSpec;
  /** Training steps taken (a learning-rate schedule continues from here). */
  readonly steps: number;
}

export function encodeCheckpoint(c: Checkpoint, precision: "f32" | "f64"): Uint8Array {
  const data = (v: NDArray) => (precision === "f64" ? Float64Array.from(v.data) : Float32Array.from(v.data));
  const tensors = [...c.params, ...c.state].map(([name, v]) => ({ name, shape: v.shape, data: data(v) }));
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    params: JSON.stringify([...c.params.keys()]),
    ...(c.optimizer ? { optimizer: JSON.stringify(c.optimizer) } : {}),
    steps: String(c.steps),
  });
}

/** A checkpoint, or any safetensors file (then every tensor is a param and there is no state). */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const file = readSafetensors(bytes);
  const asArray = (t: { shape: readonly number[]; data: Float64Array }): NDArray => ({ shape: [...t.shape], data: t.data });
  const params = new Map([...paramsOf(file)].map(([k, t]) => [k, asArray(t)]));
  const state = new Map([...file.tensors].filter(([k]) => !params.has(k)).map(([k, t]) => [k, asArray(t)]));
  let optimizer: OptimizerSpec | undefined;
  if (file.metadata.optimizer !== undefined) {
    let spec: unknown;
    try {
      spec = JSON.parse(file.metadata.optimizer);
    } catch {
      spec = undefined;
    }
    const rule = optimizerRule(spec);
    if (typeof rule === "string") fail("MP4012", `the checkpoint's optimizer is not valid: ${rule}`);
    optimizer = rule.spec;
  }
  const steps = Number(file.metadata.steps ?? 0);
  if (!Number.isInteger(steps) || steps < 0) fail("MP4012", `the checkpoint's step count is not an integer ≥ 0: ${file.metadata.steps}`);
  return { params, state, optimizer, steps };
}
