/**
 * A compiled kernel program: what the runtime executes and what a bundle ships. Plain data
 * (JSON-serialisable): planned buffers, the kernels in dispatch order with the buffers they bind,
 * and where inputs are uploaded and outputs read back. Shapes are concrete.
 *
 * Every binding of a step also names the IR value it reads or writes (negative ids are a kernel's
 * temporaries), and every slot the value it uploads or reads back, so the program can be checked
 * on its own (verify-program.ts): which value each buffer holds at every step.
 *
 * A value may be a *view* of another (`views`): a reshape is the same elements in the same order,
 * so it needs no buffer and no copy kernel of its own — a buffer that holds the viewed value holds
 * the view too, from `offset` on. Steps read a view through the viewed value's buffer, and an
 * output that is a view is read back from there.
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
  /** Where the tensor starts in the buffer, in elements (a view's offset; absent: 0). */
  readonly offset?: number;
  /** The IR value uploaded here (inputs) or read back from here (outputs). */
  readonly value: number;
  readonly shape: readonly number[];
  readonly dtype: "f32" | "f64" | "i32" | "bool";
}

/**
 * A failure a step's kernel can report (word `word` of its status slice), and where it came from:
 * the runtime turns a set word into the same coded error and DSL source line the CPU executor
 * gives. `order` is the node's position in the graph's evaluation order: when several words are
 * set (a failure upstream makes a later one fail too), the earliest node is the one the float64
 * CPU executor would have stopped at.
 */
export interface CheckSite {
  readonly word: number;
  /** The diagnostic code (MP5001: numeric failure). */
  readonly code: string;
  /** What failed; `{i}` stands for the word's payload (see KernelCheck). */
  readonly message: string;
  /** The IR node: id, position in the graph's node order, op and "file:line:col". */
  readonly node: number;
  readonly order: number;
  readonly op: string;
  readonly loc?: string;
}

export interface Step {
  readonly kernel: KernelSource;
  /** Buffer ids, in the kernel's binding order. */
  readonly buffers: readonly number[];
  /**
   * The value each binding reads (access "read": the buffer must hold it) or writes (access
   * "read_write": the buffer holds it afterwards), in binding order.
   */
  readonly values: readonly number[];
  /** The IR nodes this kernel computes (ids and "file:line:col"), for messages and the inspector. */
  readonly nodes: readonly { id: number; op: string; loc?: string }[];
  /** One site per word of the kernel's status slice (absent or empty: the kernel reports nothing). */
  readonly checks?: readonly CheckSite[];
}

/** Value `value` is elements [offset, offset + its size) of value `of`, in order, without a copy. */
export interface ValueView {
  readonly value: number;
  readonly of: number;
  /** In elements. */
  readonly offset: number;
}

export interface Program {
  readonly name: string;
  readonly buffers: readonly PlannedBuffer[];
  /** Values that are views of another value's elements (absent: none). */
  readonly views?: readonly ValueView[];
  readonly inputs: readonly TensorSlot[];
  readonly outputs: readonly TensorSlot[];
  readonly steps: readonly Step[];
}

export function plannedBytes(p: Program): number {
  return p.buffers.reduce((s, b) => s + b.bytes, 0);
}
