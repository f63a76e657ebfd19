/**
 * Memory planning, the fourth pass of the lowering: values (and kernel temporaries) share buffers
 * when their lifetimes do not overlap. A value lives from the step that writes it to the last step
 * that reads it — reads and writes told apart by each binding's access, so a read never starts a
 * lifetime; inputs live from the start and outputs to the end. Greedy best fit in order of first
 * write onto buffers freed strictly before.
 */
import type { KernelSource } from "./kernel.js";

export interface Lifetime {
  readonly id: number;
  readonly bytes: number;
  /** The step that writes it (−1: uploaded before the first step). */
  readonly first: number;
  /** The last step that reads it (Number.MAX_SAFE_INTEGER: read back after the last step). */
  readonly last: number;
}

export interface Plan {
  /** Buffer id for every value id. */
  readonly bufferOf: Map<number, number>;
  readonly buffers: { id: number; bytes: number }[];
  /** Bytes if every value had a buffer of its own. */
  readonly naiveBytes: number;
}

export const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * Lifetimes of every value the steps bind, plus `sources` (uploaded first) and `outputs` (read
 * back last), each given with its element count. A view (`views`: view id → the id whose buffer
 * holds it) has no lifetime of its own: its reads, and its being an output, extend the lifetime
 * of the value it views.
 */
export function lifetimesOf(
  steps: readonly { readonly kernel: KernelSource; readonly values: readonly number[] }[],
  sources: ReadonlyMap<number, number>,
  outputs: ReadonlyMap<number, number>,
  views: ReadonlyMap<number, number> = new Map(),
): Lifetime[] {
  const root = (v: number) => views.get(v) ?? v;
  const elements = new Map<number, number>(sources);
  for (const [v, n] of outputs) if (!views.has(v)) elements.set(v, n);
  const forever = new Set([...outputs.keys()].map(root));
  const write = new Map<number, number>();
  const firstRead = new Map<number, number>();
  const last = new Map<number, number>();
  steps.forEach((s, i) =>
    s.kernel.bindings.forEach((b, j) => {
      const v = root(s.values[j]);
      if (!elements.has(v) && v === s.values[j]) elements.set(v, b.elements);
      if (b.access === "read_write" && !write.has(v)) write.set(v, i);
      if (b.access === "read" && !firstRead.has(v)) firstRead.set(v, i);
      last.set(v, i);
    }),
  );
  return [...elements].map(([id, n]) => ({
    id,
    bytes: Math.max(4, n * 4),
    // A value read before any write is a lowering bug the verifier reports; plan it conservatively.
    first: sources.has(id) ? -1 : Math.min(write.get(id) ?? FOREVER, firstRead.get(id) ?? FOREVER),
    last: forever.has(id) ? FOREVER : (last.get(id) ?? -1),
  }));
}

export function planBuffers(lifetimes: readonly Lifetime[]): Plan {
  const sorted = [...lifetimes].sort((a, b) => a.first - b.first || b.bytes - a.bytes);
  const buffers: { id: number; bytes: number; freeAfter: number }[] = [];
  const bufferOf = new Map<number, number>();
  for (const v of sorted) {
    // Reuse the smallest buffer that is free before this value is written and large enough.
    let best: (typeof buffers)[number] | undefined;
    for (const b of buffers) {
      if (b.freeAfter < v.first && b.bytes >= v.bytes && (!best || b.bytes < best.bytes)) best = b;
    }
    if (!best) {
      best = { id: buffers.length, bytes: v.bytes, freeAfter: -1 };
      buffers.push(best);
    }
    best.freeAfter = Math.max(v.first, v.last);
    bufferOf.set(v.id, best.id);
  }
  return {
    bufferOf,
    buffers: buffers.map(({ id, bytes }) => ({ id, bytes })),
    naiveBytes: lifetimes.reduce((s, v) => s + v.bytes, 0),
  };
}
