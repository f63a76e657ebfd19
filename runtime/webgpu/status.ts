/**
 * The status buffer: how kernels report failures they cannot throw (a Cholesky of a matrix that is
 * not positive definite, a singular solve, the log of a negative number, a Jacobi solver at its
 * sweep cap). It lives outside the planned buffers: every step whose kernel has checks gets a slice
 * of its own, bound at @group(1) @binding(0), so kernels stay position-independent (one WGSL text,
 * one pipeline, wherever the step sits). The buffer starts zeroed (WebGPU zero-initialises new
 * buffers) and is read back with the outputs, in the same submission.
 *
 * A failing invocation stores `~payload` with atomicMax, on the failing path only: a word is 0 until
 * something fails, and the smallest payload (the first failing element or matrix) wins. The WGSL
 * side (the binding and `mp_fail`) is codegen/status-wgsl.ts.
 */
import type { CheckSite, Step, TensorSlot } from "../../codegen/program.js";

/** Where each step's slice starts (undefined: the step reports nothing) and the buffer's size. */
export interface StatusLayout {
  readonly offsets: readonly (number | undefined)[];
  readonly bytes: number;
}

/** Slices for steps with `words[i]` status words each, at offsets aligned for a storage binding. */
export function statusLayout(words: readonly number[], alignment: number): StatusLayout {
  let bytes = 0;
  const offsets = words.map((w) => {
    if (!w) return undefined;
    const at = Math.ceil(bytes / alignment) * alignment;
    bytes = at + 4 * w;
    return at;
  });
  return { offsets, bytes };
}

/** A failure a kernel reported: the site, the payload, and the step it happened in. */
export interface DeviceFailure {
  readonly site: CheckSite;
  readonly payload: number;
  readonly step: number;
}

/**
 * The failure the float64 CPU executor would stop at: of all set words, the one whose node comes
 * first in the graph's order (a NaN a failed Cholesky writes can make a later solve fail too).
 */
export function firstFailure(status: Uint32Array, steps: readonly Step[], layout: StatusLayout): DeviceFailure | undefined {
  let first: DeviceFailure | undefined;
  steps.forEach((s, i) => {
    const at = layout.offsets[i];
    if (at === undefined || !s.checks) return;
    for (const site of s.checks) {
      const word = status[at / 4 + site.word];
      if (word === 0) continue;
      const payload = ~word >>> 0;
      if (!first || site.order < first.site.order || (site.order === first.site.order && payload < first.payload)) first = { site, payload, step: i };
    }
  });
  return first;
}

/** The failure's message with its payload filled in (the source line is added by whoever reports it). */
export function failureMessage(f: DeviceFailure): string {
  return f.site.message.replaceAll("{i}", String(f.payload));
}

/** A non-finite value in an output: where, and what. */
export interface NonFiniteOutput {
  readonly output: string;
  readonly index: number;
  readonly value: number;
}

/** The first NaN or ±Infinity among the outputs read back, if any. */
export function firstNonFinite(outputs: readonly (readonly [TensorSlot, Float32Array])[]): NonFiniteOutput | undefined {
  for (const [slot, data] of outputs) {
    const index = data.findIndex((x) => !Number.isFinite(x));
    if (index >= 0) return { output: slot.name, index, value: data[index] };
  }
  return undefined;
}
