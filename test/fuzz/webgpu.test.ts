/**
 * CI's bounded campaign of random programs on WebGPU (f32) against the float64 CPU, forward pass
 * and training step (compare.ts), each program's float64 gradients checked on the way. Seeded, so
 * every run sees the same programs; FUZZ_SEED / FUZZ_RUNS explore others, and
 * `npm run fuzz -- --runs N --seed S` runs longer ones (the ≥ 2,000-program campaign is quoted in
 * the README). A failure is shrunk and printed as text IR with its spec
 * (`npm run fuzz -- --replay '<spec>'`). The campaign must stay meaningful: nearly every program
 * really compared (not set aside as borderline), and every registered op run and compared on
 * WebGPU by some program (coverage.ts).
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { hasGPU } from "../webgpu/gpu.js";
import { boundedCampaign, type Tally } from "./campaign.js";
import { CI_MAX_SIZE, CI_MAX_STEPS, CI_SEED } from "./ci-budget.js";
import { missingOps, opsOf } from "./coverage.js";

/** ≈ 0.5 s of CPU each on SwiftShader, almost all of it compiling and running kernels (see ci-budget.ts). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = CI_SEED;

/** Programs that fail on purpose (recipes/failing.ts) count as compared when both sides fail alike. */
const comparedShare = (t: Tally, phase: string) => (t.count(`${phase} agree`) + t.count(`${phase} both-failed`)) / t.programs;

describe.runIf(hasGPU)("random programs: WebGPU (f32) against the float64 CPU", () => {
  it(`${RUNS} programs (seed ${SEED}) agree, forward and training step`, { timeout: 600_000 }, async () => {
    const seen = new Set<string>();
    const tally = await boundedCampaign(RUNS, SEED, true, CI_MAX_STEPS, CI_MAX_SIZE, (c) => {
      if (c.outcome!.forward.kind === "agree") for (const op of opsOf(c.program.graph)) seen.add(op);
      if (c.outcome!.training.kind === "agree") for (const op of opsOf(differentiate(c.program.graph).graph)) seen.add(op);
    });
    console.log(`fuzz WebGPU, seed ${SEED}: ${tally}`);
    expect(comparedShare(tally, "forward"), `${tally}`).toBeGreaterThanOrEqual(0.9);
    expect(comparedShare(tally, "training"), `${tally}`).toBeGreaterThanOrEqual(0.9);
    if (RUNS >= 100) expect(missingOps(seen), "registered ops no compared program ran").toEqual([]);
  });
});
