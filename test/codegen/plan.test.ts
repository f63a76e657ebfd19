/**
 * The memory plan on its own: lifetimes from reads and writes told apart (a read never starts a
 * lifetime, an input lives from the start, an output to the end), and buffers shared only by
 * values whose lifetimes do not overlap — never by a value read in the step that writes another.
 */
import { describe, expect, it } from "vitest";
import { FOREVER, lifetimesOf, planBuffers } from "../../codegen/plan.js";
import type { KernelSource } from "../../codegen/kernel.js";

/** A step reading `reads` and writing `writes` (4 elements each). */
function step(reads: number[], writes: number[]): { kernel: KernelSource; values: number[] } {
  const bindings = [...reads.map((_, i) => ({ name: `in${i}`, access: "read" as const, elements: 4 })), ...writes.map((_, i) => ({ name: `out${i}`, access: "read_write" as const, elements: 4 }))];
  return { kernel: { name: "k", wgsl: "", workgroupSize: [1, 1, 1], dispatch: [1, 1, 1], bindings, covers: [] }, values: [...reads, ...writes] };
}

describe("memory planning", () => {
  it("starts a lifetime at the write, not at an earlier read, and ends it at the last read", () => {
    // Step 0 reads 5 before step 1 writes it: a lowering bug the verifier reports; the plan keeps 5
    // alive from that read on rather than letting another value take its buffer meanwhile.
    const lifetimes = lifetimesOf([step([1], [2]), step([2], [3]), step([2, 3], [4])], new Map([[1, 4]]), new Map([[4, 4]]));
    const by = new Map(lifetimes.map((l) => [l.id, l]));
    expect(by.get(1)).toMatchObject({ first: -1, last: 0 });
    expect(by.get(2)).toMatchObject({ first: 0, last: 2 });
    expect(by.get(3)).toMatchObject({ first: 1, last: 2 });
    expect(by.get(4)).toMatchObject({ first: 2, last: FOREVER });
    const early = new Map(lifetimesOf([step([1, 5], [2]), step([1], [5])], new Map([[1, 4]]), new Map()).map((l) => [l.id, l]));
    expect(early.get(5)).toMatchObject({ first: 0, last: 1 });
  });

  it("shares a buffer only after the last read of its previous value", () => {
    const steps = [step([1], [2]), step([2], [3]), step([3], [4]), step([4], [5])];
    const plan = planBuffers(lifetimesOf(steps, new Map([[1, 4]]), new Map([[5, 4]])));
    const b = (v: number) => plan.bufferOf.get(v);
    // 2 is read by step 1, which writes 3: they must not share. 4 (written at step 2) may take 2's buffer.
    expect(b(2)).not.toBe(b(3));
    expect(b(3)).not.toBe(b(4));
    expect(b(4)).toBe(b(2));
    expect(plan.buffers.length).toBeLessThan(5);
  });

  it("keeps inputs and outputs apart from everything live at the same time", () => {
    const steps = [step([1], [2]), step([2], [3])];
    const plan = planBuffers(lifetimesOf(steps, new Map([[1, 4], [9, 4]]), new Map([[3, 4], [9, 4]])));
    const b = (v: number) => plan.bufferOf.get(v);
    expect(new Set([b(1), b(9), b(2)]).size).toBe(3);
    expect(b(3)).not.toBe(b(9));
    expect(b(3)).not.toBe(b(2));
  });
});
