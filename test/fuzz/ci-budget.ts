/**
 * What CI's random-program campaigns (gradients.test.ts, webgpu.test.ts) may spend: the whole
 * `npm test` must stay under 5 minutes on a 2-core machine, so the campaigns are sized by measured
 * CPU time (user + sys, which a shared machine does not inflate the way it does wall time):
 * a WebGPU program costs ≈ 0.5 s of CPU on SwiftShader, nearly all of it compiling its kernels (the
 * same program run again: ≈ 0.02 s); a CPU-only program ≈ 0.03 s. The three files of test/fuzz/
 * together (100 WebGPU programs, 300 CPU programs, the regression cases): 74–97 s user + sys
 * (`/usr/bin/time -v npx vitest run test/fuzz`, two runs on a loaded machine) — about 40–50 s of
 * the suite's wall time on 2 cores.
 * Longer campaigns: `npm run fuzz -- --runs N --seed S`.
 */
/**
 * The WebGPU campaign's seed (the CPU campaign takes the next one). The coverage lint asks these
 * 100 programs to reach every registered op; a seed whose sample misses one (a new recipe shifts
 * every sample) is replaced by one that does not — the programs are a fixed test set.
 * 30 since the comparison/where recipe (`select`): seed 4's sample then missed greater, equal,
 * argmax, softmaxCrossEntropy, maxPool2dBackward and oneHot; of seeds 4–60, 30 and 35 generate
 * every op in both campaigns, and 30 passes both (WebGPU 99 agree + 1 both-failed; CPU 293 agree).
 */
export const CI_SEED = Number(process.env.FUZZ_SEED ?? 30);
export const CI_MAX_STEPS = 4;
/** Past every tile boundary but short of the global-memory kernels (sizes 47, 65: a third of the time; campaigns keep them). */
export const CI_MAX_SIZE = 33;
