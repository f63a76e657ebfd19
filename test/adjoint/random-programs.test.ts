/**
 * The CPU gradient sweep: seeded random small programs (./random-program.ts) differentiated end to
 * end. Each must (1) go through the canonical forms, the adjoint pass and the simplifier without
 * error, (2) give the same gradients simplified and unsimplified (the rewrites keep values), and
 * (3) agree with central differences (gradcheck, ≤ 1e-5 relative to the gradients' scale).
 * CI runs SWEEP_PROGRAMS programs (a few seconds); `MATPROP_SWEEP=5000 npx vitest run
 * test/adjoint/random-programs.test.ts` runs a longer campaign.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { randomProgram } from "./random-program.js";

const SWEEP_PROGRAMS = Number(process.env.MATPROP_SWEEP ?? 300);
const FD_TOL = 1e-5;
const REWRITE_TOL = 1e-9;

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale > 0 ? err / scale : err;
}

describe("random programs differentiate correctly on the CPU", () => {
  const seeds = Array.from({ length: SWEEP_PROGRAMS }, (_, i) => i);

  it("covers every step kind of the generator", () => {
    const kinds = new Set(seeds.flatMap((s) => randomProgram(s).steps.map((x) => x.split(" ")[0])));
    expect([...kinds].sort()).toEqual(
      ["add", "broadcastTo", "crossEntropy", "diag", "diagm", "div", "eigh-spectral", "exp", "expm", "inv", "log", "logm", "matmul", "mean", "mul", "neg", "pow", "reshape", "sqrt", "sqrtm", "sub", "sum", "symmetric", "trace", "transpose"].sort(),
    );
  });

  it.each(seeds)("program %i", (seed) => {
    const p = randomProgram(seed);
    const context = `steps: ${p.steps.join(" | ")}`;
    const { graph, unsimplified } = differentiate(p.graph);
    const sources = executeCPU(p.graph, p.feeds, { seed }).sources;
    const simplified = executeCPU(graph, sources, { seed }).outputs;
    const raw = executeCPU(unsimplified, sources, { seed }).outputs;
    for (const [name, v] of raw) expect(maxRelDiff(simplified.get(name)!.data, v.data), `${name}; ${context}`).toBeLessThanOrEqual(REWRITE_TOL);
    const r = gradcheck(p.graph, p.feeds, { seed });
    for (const i of r.inputs) expect(i.relError, `${i.name}; ${context}`).toBeLessThanOrEqual(FD_TOL);
  });
});
