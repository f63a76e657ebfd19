/**
 * The shrunk counterexamples the random-program campaigns found, kept as named cases
 * (test/fuzz/regressions.ts): each must pass its checks now — its float64 gradients against finite
 * differences, and on WebGPU the forward pass and training step against the CPU — and must stay a
 * real comparison (the verdicts it is expected to reach, not "borderline").
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { hasGPU } from "../webgpu/gpu.js";
import { compareProgram, type Outcome } from "./compare.js";
import { checkGradients } from "./gradients.js";
import { programFromText } from "./program.js";
import { REGRESSIONS } from "./regressions.js";

const verdict = (o: Outcome) => (o.kind === "agree" ? "agree" : o.kind === "both-failed" ? `both fail with ${o.code}` : `${o.kind}: ${o.why}`);

describe("random-program regressions", () => {
  describe("float64 gradients against finite differences", () => {
    it.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", (_, r) => {
      const p = programFromText(r.ir, r.inputs);
      const g = checkGradients(p.graph, p.feeds, 1);
      expect(g.kind, g.kind === "agree" ? "" : g.why).toBe(r.gradients ?? "agree");
    });
  });

  describe.runIf(hasGPU)("WebGPU against the float64 CPU", () => {
    it.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", async (_, r) => {
      const outcome = await compareProgram(programFromText(r.ir, r.inputs), 1);
      const text = `forward: ${verdict(outcome.forward)}\ntraining step: ${verdict(outcome.training)}`;
      expect([outcome.forward.kind, outcome.training.kind], text).toEqual(r.webgpu ?? ["agree", "agree"]);
    });
  });
});
