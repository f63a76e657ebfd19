/**
 * The bounded random-program campaign of CI: PROGRAMS random programs (seeded, so every run sees
 * the same ones; FUZZ_SEED/FUZZ_RUNS explore others), each run forward and as a training step on
 * WebGPU and on the float64 CPU, and required to agree (compare.ts). A failure is shrunk and
 * printed as text IR with its spec (`npm run fuzz -- --replay '<spec>'` replays it). The campaign
 * must also stay meaningful: nearly every program compared (not set aside as borderline), and every
 * registered op run on WebGPU and compared by some program (coverage.ts).
 * Longer campaigns: `npm run fuzz -- --runs N --seed S`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../index.js";
import { hasGPU } from "../webgpu/gpu.js";
import { checkSpec, failureClass, report, shrink, Tally } from "./campaign.js";
import { missingOps, opsOf } from "./coverage.js";
import { programArb } from "./program.js";
import { differentiate } from "../../compiler/passes/differentiate.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20250609);
const PROGRAMS = Number(process.env.FUZZ_RUNS ?? 200);
const MAX_STEPS = 4;

describe.runIf(hasGPU)("random programs: WebGPU (f32) against the float64 CPU", () => {
  it(`${PROGRAMS} programs (seed ${SEED}) agree, forward and training step`, { timeout: 900_000 }, async () => {
    const tally = new Tally();
    const seen = new Set<string>();
    for (const spec of fc.sample(programArb(MAX_STEPS), { numRuns: PROGRAMS, seed: SEED })) {
      const c = await checkSpec(spec);
      tally.add(c.outcome);
      const cls = failureClass(c.outcome);
      if (cls) {
        const small = await shrink(spec, cls, MAX_STEPS, 60);
        expect.fail(`a random program disagrees (seed ${SEED}); shrunk:\n${report(small)}`);
      }
      if (c.outcome.forward.kind === "agree") for (const op of opsOf(c.program.graph)) seen.add(op);
      if (c.outcome.training.kind === "agree") for (const op of opsOf(differentiate(c.program.graph).graph)) seen.add(op);
    }
    console.log(`fuzz seed ${SEED}: ${tally}`);
    const compared = tally.count("forward agree") + tally.count("forward both-failed") + tally.count("training agree") + tally.count("training both-failed");
    expect(compared, `${tally}`).toBeGreaterThanOrEqual(0.9 * 2 * PROGRAMS);
    if (PROGRAMS >= 200) expect(missingOps(seen), "registered ops no compared program ran").toEqual([]);
  });
});
