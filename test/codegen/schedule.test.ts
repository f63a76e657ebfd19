/**
 * The scheduling pass on its own: a topological order over the kernels' true dependencies, the
 * graph order among kernels that are ready, and refusals (MP9001) for a read nothing writes, a
 * value written twice and a dependency cycle — fusion bugs that must never turn into a wrong order.
 */
import { describe, expect, it } from "vitest";
import { model, ops } from "../../index.js";
import { fuseGraph } from "../../codegen/fuse.js";
import { scheduleKernels } from "../../codegen/schedule.js";
import { MatpropError } from "../../ir/diagnostics.js";
import { twoProducts } from "../models/lowering.js";

const k = (name: string, reads: number[], writes: number[]) => ({ name, reads: new Set(reads), writes, nodes: [] });
const names = (ks: readonly { name: string }[]) => ks.map((x) => x.name);

function code(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof MatpropError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

describe("scheduling", () => {
  it("runs a kernel after every kernel that writes what it reads, keeping graph order otherwise", () => {
    // a reads 10 (written by c, listed later), b is independent, c reads input 1.
    const order = scheduleKernels([k("a", [1, 10], [11]), k("b", [1], [12]), k("c", [1], [10])], [1]);
    expect(names(order)).toEqual(["b", "c", "a"]);
    expect(names(scheduleKernels([k("x", [1], [2]), k("y", [2], [3]), k("z", [1], [4])], [1]))).toEqual(["x", "y", "z"]);
  });

  it("schedules the epilogue kernel of y = X·W + A·B after the A·B kernel it reads (issue 9 repro 1)", () => {
    const g = twoProducts(16).build();
    const { kernels } = fuseGraph(g, new Map());
    expect(kernels[0].epilogue).toBeDefined();
    const order = scheduleKernels(kernels, g.sources().map((n) => n.outputs[0].id));
    expect(order.map((x) => x.root.id)).toEqual([kernels[1].root.id, kernels[0].root.id, kernels[2].root.id]);
  });

  it("refuses a read nothing writes, a value written twice, a kernel reading its own output, and a cycle", () => {
    expect(code(() => scheduleKernels([k("a", [7], [8])], [1]))).toMatch(/^MP9001: .*reads %7, which no kernel writes/);
    expect(code(() => scheduleKernels([k("a", [1], [8]), k("b", [1], [8])], [1]))).toMatch(/^MP9001: .*both write %8/);
    expect(code(() => scheduleKernels([k("a", [8], [8])], [1]))).toMatch(/^MP9001: .*reads %8, which it writes itself/);
    expect(code(() => scheduleKernels([k("a", [9], [8]), k("b", [8], [9])], [1]))).toMatch(/^MP9001: .*cycle/);
  });
});
