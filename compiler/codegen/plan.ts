/**
 * Memory planning: values (and kernel temporaries) share buffers when their lifetimes do not
 * overlap. Lifetime = [step that writes it, last step that reads it]; inputs live from the start
 * and outputs to the end. Greedy first-fit by definition order onto freed buffers of enough size.
 */
export interface Lifetime {
  readonly id: number;
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

export interface Plan {
  /** Buffer id for every value id. */
  readonly bufferOf: Map<number, number>;
  readonly buffers: { id: number; bytes: number }[];
  /** Bytes if every value had a buffer of its own. */
  readonly naiveBytes: number;
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
    best.freeAfter = v.last;
    bufferOf.set(v.id, best.id);
  }
  return {
    bufferOf,
    buffers: buffers.map(({ id, bytes }) => ({ id, bytes })),
    naiveBytes: lifetimes.reduce((s, v) => s + v.bytes, 0),
  };
}
