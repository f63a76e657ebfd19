/**
 * The shrunk counterexamples the random-program campaigns found, kept as named cases
 * (test/fuzz/regressions.ts): each must agree between WebGPU and the float64 CPU, forward and
 * training step, and must stay a real comparison (not set aside as borderline).
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { hasGPU } from "../webgpu/gpu.js";
import { failureClass } from "./campaign.js";
import { compareProgram, type Outcome } from "./compare.js";
import { programFromText } from "./program.js";
import { REGRESSIONS } from "./regressions.js";

const verdict = (o: Outcome) => (o.kind === "agree" ? "agree" : o.kind === "both-failed" ? `both fail with ${o.code}` : `${o.kind}: ${o.why}`);

describe.runIf(hasGPU)("random-program regressions: WebGPU against the float64 CPU", () => {
  it.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", async (_, r) => {
    const outcome = await compareProgram(programFromText(r.ir, r.inputs), 1);
    const text = `forward: ${verdict(outcome.forward)}\ntraining step: ${verdict(outcome.training)}`;
    expect(failureClass(outcome), text).toBe("");
    expect([outcome.forward.kind, outcome.training.kind], text).toEqual(r.expect ?? ["agree", "agree"]);
  });
});
