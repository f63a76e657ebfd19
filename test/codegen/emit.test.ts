/**
 * The emission pass on its own: kernels bound to value ids (temporaries negative, shared between
 * the dispatches of one kernel), and a kernel that binds a value fusion did not list — a schedule
 * built on the wrong dependencies — refused with MP9001 instead of emitted.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, ops } from "../../index.js";
import { emitKernels } from "../../codegen/emit.js";
import { fuseGraph } from "../../codegen/fuse.js";
import { scheduleKernels } from "../../codegen/schedule.js";
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { twoProducts } from "../models/lowering.js";

const opts = { workgroupStorageBytes: 16384 };

function emitted(g: Graph) {
  const fusion = fuseGraph(g, new Map());
  return { fusion, steps: emitKernels(scheduleKernels(fusion.kernels, g.sources().map((n) => n.outputs[0].id)), fusion, opts) };
}

describe("emission", () => {
  it("logm is an eigensolver writing temporaries and one product reading them", () => {
    const g = model("logm", ({ input }) => ({ y: linalg.logm(input("X", [4, 4], { structure: "spd" })) })).build();
    const { steps } = emitted(g);
    expect(steps.map((s) => s.kernel.name)).toEqual(["eigh_jacobi_1x4x4", "spectral_log"]);
    const [eigh, product] = steps;
    const temps = eigh.values.filter((v, j) => v < 0 && eigh.kernel.bindings[j].access === "read_write");
    expect(temps).toHaveLength(2);
    expect(product.values.filter((v, j) => product.kernel.bindings[j].access === "read").sort()).toEqual([...temps].sort());
    expect(product.values[product.values.length - 1]).toBe(g.outputs[0].value.id);
  });

  it("gives a solve-like kernel in global memory its scratch temporary, at the storage limit the lowering is told", () => {
    const g = model("solves", ({ input }) => {
      const X = input("X", [12, 12], { structure: "spd" });
      return { loss: ops.add(ops.sum(linalg.inv(X)), ops.add(ops.sum(linalg.solve(X, input("B", [12, 2]))), ops.sum(linalg.cholesky(X)))) };
    }).build();
    const fusion = fuseGraph(g, new Map());
    const order = scheduleKernels(fusion.kernels, g.sources().map((n) => n.outputs[0].id));
    const small = emitKernels(order, fusion, { workgroupStorageBytes: 512 });
    expect(small.map((s) => s.kernel.name).filter((n) => /^(inv|solve|cholesky)/.test(n)).sort()).toEqual(["cholesky_1x12x12_global", "inv_1x12x12_global", "solve_1x12x2_global"]);
    for (const s of small.filter((x) => /^(inv|solve)/.test(x.kernel.name))) {
      const work = s.kernel.bindings.findIndex((b) => b.name === "work");
      expect(s.values[work]).toBeLessThan(0);
    }
    const roomy = emitKernels(order, fusion, opts);
    expect(roomy.map((s) => s.kernel.name).filter((n) => n.endsWith("_global"))).toEqual([]);
  });

  it("binds each binding with the element count of its value", () => {
    const g = model("mm", ({ input }) => ({ y: ops.matmul(input("A", [9, 4]), input("B", [4, 17])) })).build();
    const { steps, fusion } = emitted(g);
    const values = new Map(g.nodes.flatMap((n) => n.outputs).map((v) => [v.id, v]));
    for (const s of steps) s.values.forEach((id, j) => expect(s.kernel.bindings[j].elements).toBe(fusion.shape(values.get(id)!).reduce((p, d) => p * d, 1)));
  });

  it("refuses a kernel that reads a value fusion did not list among its reads", () => {
    const g = twoProducts(16).build();
    const fusion = fuseGraph(g, new Map());
    // The epilogue kernel as a fusion that forgot the epilogue's operand.
    const forgetful = fusion.kernels.map((k) => (k.epilogue ? { ...k, reads: new Set([...k.reads].filter((v) => fusion.kernels.every((o) => !o.writes.includes(v)))) } : k));
    let err: unknown;
    try {
      emitKernels(forgetful, fusion, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MatpropError);
    expect((err as MatpropError).code).toBe("MP9001");
    expect((err as Error).message).toMatch(/the kernel of matmul %\d+ at .* \(with add %\d+ .*\) binds %\d+ to 'in\d' \(read\) of 'matmul', which fusion did not list among its reads/);
  });
});
