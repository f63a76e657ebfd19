/**
 * CI's bounded campaign of random programs on the CPU: the float64 training step against finite
 * differences (gradients.ts), the part two backends cannot check against each other. Seeded, so
 * every run sees the same programs; FUZZ_SEED / FUZZ_CPU_RUNS explore others, and
 * `npm run fuzz -- --cpu-only --runs N --seed S` runs longer ones. A failure is shrunk and printed
 * as text IR with its spec (`npm run fuzz -- --replay '<spec>'`). The campaign must stay meaningful:
 * nearly every program really checked, and every registered op reached (coverage.ts).
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { boundedCampaign } from "./campaign.js";
import { CI_MAX_SIZE, CI_MAX_STEPS, CI_SEED } from "./ci-budget.js";
import { missingOps, opsOf } from "./coverage.js";

/** ≈ 0.04 s of CPU each (measured: see ci-budget.ts). */
const RUNS = Number(process.env.FUZZ_CPU_RUNS ?? 300);
const SEED = CI_SEED + 1;

describe("random programs: float64 gradients against finite differences", () => {
  it(`${RUNS} programs (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const seen = new Set<string>();
    const tally = await boundedCampaign(RUNS, SEED, false, CI_MAX_STEPS, CI_MAX_SIZE, (c) => {
      if (c.gradients.kind === "agree") for (const op of [...opsOf(c.program.graph), ...opsOf(differentiate(c.program.graph).graph)]) seen.add(op);
    });
    console.log(`fuzz gradients, seed ${SEED}: ${tally}`);
    expect(tally.count("gradients agree") / RUNS, `${tally}`).toBeGreaterThanOrEqual(0.85);
    if (RUNS >= 300) expect(missingOps(seen), "registered ops no checked program ran").toEqual([]);
  });
});
