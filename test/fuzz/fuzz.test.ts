/**
 * The bounded random-program campaigns of CI (seeded, so every run sees the same programs;
 * FUZZ_SEED/FUZZ_RUNS explore others; `npm run fuzz -- --runs N --seed S` runs longer ones):
 * - on the CPU, the float64 gradients of random programs against finite differences (gradients.ts);
 * - on WebGPU, random programs forward and as a training step against the float64 CPU (compare.ts).
 * A failure is shrunk and printed as text IR with its spec (`npm run fuzz -- --replay '<spec>'`).
 * Each campaign must also stay meaningful: nearly every program really compared (not set aside as
 * borderline), and on WebGPU every registered op run and compared by some program (coverage.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../index.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { hasGPU } from "../webgpu/gpu.js";
import { checkSpec, failureClass, report, shrink, Tally, type Checked } from "./campaign.js";
import { missingOps, opsOf } from "./coverage.js";
import { programArb } from "./program.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20250609);
const RUNS = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
const MAX_STEPS = 4;
/** Past every tile boundary but short of the global-memory kernels (their sizes cost CI a third of its time; campaigns keep them). */
const MAX_SIZE = 33;

/** Checks `runs` programs; the first failure is shrunk and fails the test with its report. */
async function campaign(runs: number, seed: number, gpu: boolean, each: (c: Checked) => void): Promise<Tally> {
  const tally = new Tally();
  for (const spec of fc.sample(programArb(MAX_STEPS, MAX_SIZE), { numRuns: runs, seed })) {
    const c = await checkSpec(spec, gpu);
    tally.add(c);
    const cls = failureClass(c);
    if (cls) expect.fail(`a random program fails (${cls}, seed ${seed}); shrunk:\n${report(await shrink(spec, cls, MAX_STEPS, 60, gpu))}`);
    each(c);
  }
  return tally;
}

/** Programs that fail on purpose (recipes/failing.ts) count as compared when both sides fail alike. */
const comparedShare = (t: Tally, phase: string) => (t.count(`${phase} agree`) + t.count(`${phase} both-failed`)) / t.programs;

describe("random programs: float64 gradients against finite differences", () => {
  const runs = RUNS ?? 400;
  it(`${runs} programs (seed ${SEED + 1})`, { timeout: 600_000 }, async () => {
    const seen = new Set<string>();
    const tally = await campaign(runs, SEED + 1, false, (c) => {
      if (c.gradients.kind === "agree") for (const op of [...opsOf(c.program.graph), ...opsOf(differentiate(c.program.graph).graph)]) seen.add(op);
    });
    console.log(`fuzz gradients, seed ${SEED + 1}: ${tally}`);
    expect(tally.count("gradients agree") / runs, `${tally}`).toBeGreaterThanOrEqual(0.85);
    if (runs >= 400) expect(missingOps(seen), "registered ops no checked program ran").toEqual([]);
  });
});

describe.runIf(hasGPU)("random programs: WebGPU (f32) against the float64 CPU", () => {
  const runs = RUNS ?? 200;
  it(`${runs} programs (seed ${SEED}) agree, forward and training step`, { timeout: 900_000 }, async () => {
    const seen = new Set<string>();
    const tally = await campaign(runs, SEED, true, (c) => {
      if (c.outcome!.forward.kind === "agree") for (const op of opsOf(c.program.graph)) seen.add(op);
      if (c.outcome!.training.kind === "agree") for (const op of opsOf(differentiate(c.program.graph).graph)) seen.add(op);
    });
    console.log(`fuzz WebGPU, seed ${SEED}: ${tally}`);
    expect(comparedShare(tally, "forward"), `${tally}`).toBeGreaterThanOrEqual(0.9);
    expect(comparedShare(tally, "training"), `${tally}`).toBeGreaterThanOrEqual(0.9);
    if (runs >= 200) expect(missingOps(seen), "registered ops no compared program ran").toEqual([]);
  });
});
