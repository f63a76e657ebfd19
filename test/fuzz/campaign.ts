/**
 * Running random programs: one spec end to end (build, compare both backends), shrinking a failing
 * spec with fast-check to the smallest one that still fails the same way, and the tallies a
 * campaign reports. Shared by the CI test (test/fuzz/fuzz.test.ts) and `npm run fuzz`.
 */
import fc from "fast-check";
import { compareProgram, type Outcome, type ProgramOutcome } from "./compare.js";
import { checkGradients, type GradientOutcome } from "./gradients.js";
import { print } from "../../ir/index.js";
import { buildProgram, describeProgram, programArb, type Program, type ProgramSpec } from "./program.js";

export interface Checked {
  readonly spec: ProgramSpec;
  readonly program: Program;
  /** WebGPU against the CPU (absent in a CPU-only check). */
  readonly outcome?: ProgramOutcome;
  /** The float64 gradients against finite differences. */
  readonly gradients: GradientOutcome;
}

/** Builds and checks one program: its gradients on the CPU, and both backends unless `gpu` is false. */
export async function checkSpec(spec: ProgramSpec, gpu = true): Promise<Checked> {
  const program = buildProgram(spec);
  const gradients = checkGradients(program.graph, program.feeds, spec.seed);
  return { spec, program, gradients, ...(gpu ? { outcome: await compareProgram(program, spec.seed) } : {}) };
}

/** What fails: any of "forward", "training" (WebGPU vs CPU), "gradients" (CPU vs finite differences). Empty when all pass. */
export function failureClass(c: Pick<Checked, "outcome" | "gradients">): string {
  const phases = c.outcome ? (["forward", "training"] as const).filter((k) => c.outcome![k].kind === "disagree") : [];
  return [...phases, ...(c.gradients.kind === "disagree" ? ["gradients"] : [])].join("+");
}

/**
 * The smallest spec fast-check finds that fails in the same phases as `spec` (so shrinking does
 * not wander off to a different failure), with at most `maxChecks` runs.
 */
export async function shrink(spec: ProgramSpec, cls: string, maxSteps: number, maxChecks = 400, gpu = true): Promise<Checked & { shrinks: number }> {
  let checks = 0;
  const run = await fc.check(
    fc.asyncProperty(programArb(maxSteps, spec.maxSize), async (s) => {
      if (++checks > maxChecks) return true;
      return failureClass(await checkSpec(s, gpu)) !== cls;
    }),
    { examples: [[spec]], numRuns: 1, endOnFailure: false },
  );
  const smallest = run.failed ? run.counterexample![0] : spec;
  return { ...(await checkSpec(smallest, gpu)), shrinks: run.numShrinks };
}

function outcomeText(name: string, o: Outcome): string {
  switch (o.kind) {
    case "agree":
      return `${name}: agree`;
    case "both-failed":
      return `${name}: both fail with ${o.code}`;
    default:
      return `${name}: ${o.kind}: ${o.why}`;
  }
}

function gradientText(g: GradientOutcome): string {
  return `float64 gradients vs finite differences: ${g.kind}${g.kind === "agree" ? "" : `: ${g.why}`}`;
}

/** A failing program as text: the verdicts, its IR with dims and input descriptors, its spec. */
export function report(c: Checked): string {
  const verdicts = c.outcome ? [outcomeText("forward", c.outcome.forward), outcomeText("training step", c.outcome.training)] : [];
  return [...verdicts, gradientText(c.gradients), describeProgram(c.program), `# spec: ${JSON.stringify(c.spec)}`].join("\n");
}

/** A program as an entry of regressions.ts, to paste there under a name that says what it was. */
export function regressionEntry(name: string, p: Pick<Program, "graph" | "inputs">): string {
  return [`  {`, `    name: ${JSON.stringify(name)},`, `    ir: \`${print(p.graph)}\`,`, `    inputs: ${JSON.stringify(p.inputs)},`, `  },`].join("\n");
}

/** Checks `runs` programs of up to `maxSteps` steps and dims up to `maxSize`; the first failure is shrunk (at most 60 checks) and thrown with its report. */
export async function boundedCampaign(runs: number, seed: number, gpu: boolean, maxSteps: number, maxSize: number, each: (c: Checked) => void): Promise<Tally> {
  const tally = new Tally();
  for (const spec of fc.sample(programArb(maxSteps, maxSize), { numRuns: runs, seed })) {
    const c = await checkSpec(spec, gpu);
    tally.add(c);
    const cls = failureClass(c);
    if (cls) throw new Error(`a random program fails (${cls}, seed ${seed}); shrunk:\n${report(await shrink(spec, cls, maxSteps, 60, gpu))}`);
    each(c);
  }
  return tally;
}

/** Counts of outcomes over a campaign. */
export class Tally {
  readonly kinds = new Map<string, number>();
  programs = 0;
  /** Outputs compared / set aside as uninformative (f32 cannot compute them). */
  compared = 0;
  uninformative = 0;
  /** The largest error/allowed of an agreeing output: how close legitimate f32 error comes to the tolerance. */
  closest = 0;
  /** Which program and output that was (its spec, to replay). */
  closestAt = "";

  add(c: Pick<Checked, "outcome" | "gradients" | "spec">): void {
    this.programs++;
    this.kinds.set(`gradients ${c.gradients.kind}`, this.count(`gradients ${c.gradients.kind}`) + 1);
    if (!c.outcome) return;
    const o = c.outcome;
    for (const [phase, out] of [["forward", o.forward], ["training", o.training]] as const) {
      const key = `${phase} ${out.kind}`;
      this.kinds.set(key, (this.kinds.get(key) ?? 0) + 1);
      if (out.kind === "agree") {
        for (const x of out.outputs) {
          if (!x.compared) this.uninformative++;
          else {
            this.compared++;
            const ratio = x.error === 0 ? 0 : x.error / x.allowed;
            if (ratio > this.closest) [this.closest, this.closestAt] = [ratio, `${phase} ${x.name} of ${JSON.stringify(c.spec)}`];
          }
        }
      }
    }
  }

  count(key: string): number {
    return this.kinds.get(key) ?? 0;
  }

  toString(): string {
    const kinds = [...this.kinds].sort().map(([k, n]) => `${k} ${n}`);
    return `${this.programs} programs: ${kinds.join(", ")}; outputs compared ${this.compared} (largest error/allowed ${this.closest.toFixed(3)}), uninformative ${this.uninformative}`;
  }
}
