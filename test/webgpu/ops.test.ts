/**
 * Every op's forward and backward on WebGPU against the f64 CPU executor, over the gradient-check
 * table (test/adjoint/cases): each case is differentiated, run on both backends, and every output
 * (the forward outputs and every gradient) must agree within the case's f32 tolerance (`gpuTol`).
 * The coverage test fails for any registered op that no case lowers to WebGPU.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { allOps } from "../../ir/registry.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { runWebGPU } from "../../compiler/backend/webgpu.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { Random } from "../../numeric/random.js";
import { fromNested } from "../../runtime/cpu/nested.js";
import { GRAD_CASES } from "../adjoint/cases/index.js";
import { OPTIM_CASES } from "../ops/cases/optim.js";
import { GPU_TOL } from "../adjoint/cases/types.js";
import { normwise } from "./compare.js";
import { hasGPU } from "./gpu.js";

const rows = Object.entries(GRAD_CASES).flatMap(([op, cases]) => cases.map((c, i) => ({ op, c, seed: 1000 + i })));
const lowered = new Set<string>();

describe.runIf(hasGPU)("WebGPU vs CPU, forward and backward", () => {
  it.each(rows.map((r) => [`${r.op}: ${r.c.name}`, r] as const))("%s", async (_, { c, seed }) => {
    const forward = c.model.build();
    const declared = new Set(forward.sources().map((s) => s.attrs.name as string));
    const feeds = new Map(Object.entries(c.inputs(new Random(seed))).filter(([k]) => declared.has(k)));
    const tol = c.gpuTol ?? GPU_TOL;
    // The forward graph as written (logm stays logm), then the training step (forward + backward).
    for (const graph of [forward, differentiate(forward).graph]) {
      const cpu = executeCPU(graph, feeds, { seed });
      const gpu = await runWebGPU(graph, feeds, { seed });
      for (const s of gpu.lowered.program.steps) for (const n of s.nodes) lowered.add(n.op);
      // Sources and constants are uploads and literals, not kernels.
      for (const n of graph.nodes) if (["input", "param", "constant", "dimSize"].includes(n.op)) lowered.add(n.op);
      const errors = [...cpu.outputs].map(([name, v]) => [name, normwise(v.data, gpu.outputs.get(name)!.data)] as const);
      for (const [name, err] of errors) expect(err, `${name}: ${errors.map(([n, e]) => `${n} ${e.toExponential(1)}`).join(", ")}`).toBeLessThanOrEqual(tol);
    }
  });

  // The optimizer updates are not differentiable: their known-value cases (test/ops/cases/optim.ts) run here.
  it.each(Object.entries(OPTIM_CASES).flatMap(([op, cases]) => cases.map((c) => [`${op}: ${c.name}`, c] as const)))("%s", async (_, c) => {
    const graph = c.model.build();
    const feeds = new Map(Object.entries(c.inputs).map(([k, v]) => [k, fromNested(k, v)]));
    const cpu = executeCPU(graph, feeds);
    const gpu = await runWebGPU(graph, feeds);
    for (const s of gpu.lowered.program.steps) for (const n of s.nodes) lowered.add(n.op);
    for (const [name, v] of cpu.outputs) expect(normwise(v.data, gpu.outputs.get(name)!.data), name).toBeLessThanOrEqual(GPU_TOL);
  });

  it("lowers every registered op in some case", () => {
    const missing = allOps().map((o) => o.name).filter((n) => !lowered.has(n));
    expect(missing, "ops no WebGPU case runs").toEqual([]);
  });
});
