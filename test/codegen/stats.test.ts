/**
 * The fusion and memory-planning promises, checked on the lowering itself (no device needed): the
 * second-order-pooling training step needs at most half the dispatches of the unfused lowering,
 * and the planned buffers take fewer bytes than one buffer per value.
 */
import { describe, expect, it } from "vitest";
import { model, nn, ops } from "../../index.js";
import { lowerGraph } from "../../codegen/lower.js";
import { statsOf } from "../../compiler/cli/commands/stats.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { o2p, o2pBatched } from "../models/adjoint/o2p.js";
import { ncuts } from "../models/adjoint/ncuts.js";

describe("fusion", () => {
  it("runs an elementwise epilogue inside the matmul that feeds it: relu(X W + b)·2 is one dispatch", () => {
    const m = model("epilogue", ({ input, param }) => {
      const X = input("X", [16, 24]);
      const W = param("W", [24, 16]);
      const b = param("b", [16]);
      return { y: ops.mul(nn.relu(ops.add(ops.matmul(X, W), b)), 2) };
    });
    const { program } = lowerGraph(m.build(), new Map());
    expect(program.steps.map((s) => s.kernel.name)).toEqual(["matmul"]);
    expect(program.steps[0].nodes.map((n) => n.op).sort()).toEqual(["add", "matmul", "maximum", "mul"]);
  });

  it("folds transposes into index arithmetic: (Xᵀ)ᵀ + Xᵀ·… dispatches no transpose", () => {
    const m = model("transposes", ({ input }) => {
      const X = input("X", [16, 16]);
      return { y: ops.matmul(ops.transpose(X), ops.exp(X)) };
    });
    const { program } = lowerGraph(m.build(), new Map());
    expect(program.steps.map((s) => s.kernel.name)).toEqual(["matmul"]);
  });
});

describe("lowering statistics", () => {
  for (const m of [o2p, o2pBatched, ncuts]) {
    it(`${m.name}: training step`, () => {
      const s = statsOf("training step", differentiate(m.build()).graph, new Map());
      expect(s.dispatches * 2).toBeLessThanOrEqual(s.unfusedDispatches);
      expect(s.plannedBytes).toBeLessThan(s.naiveBytes);
    });
  }
});
