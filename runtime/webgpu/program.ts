/**
 * A compiled kernel program: what the runtime executes and what a bundle ships. Plain data
 * (JSON-serialisable): planned buffers, the kernels in dispatch order with the buffers they bind,
 * and where inputs are uploaded and outputs read back. Shapes are concrete.
 */
import type { KernelSource } from "./kernel.js";

export interface PlannedBuffer {
  readonly id: number;
  /** Size in bytes (f32 elements × 4, at least 4). */
  readonly bytes: number;
}

export interface TensorSlot {
  readonly name: string;
  readonly buffer: number;
  readonly shape: readonly number[];
  readonly dtype: "f32" | "f64" | "i32";
}

export interface Step {
  readonly kernel: KernelSource;
  /** Buffer ids, in the kernel's binding order. */
  readonly buffers: readonly number[];
  /** The IR nodes this kernel computes (ids and "file:line:col"), for messages and the inspector. */
  readonly nodes: readonly { id: number; op: string; loc?: string }[];
}

export interface Program {
  readonly name: string;
  readonly buffers: readonly PlannedBuffer[];
  readonly inputs: readonly TensorSlot[];
  readonly outputs: readonly TensorSlot[];
  readonly steps: readonly Step[];
}

export function plannedBytes(p: Program): number {
  return p.buffers.reduce((s, b) => s + b.bytes, 0);
}
