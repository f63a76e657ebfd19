/**
 * Running random programs: one spec end to end (build, compare both backends), shrinking a failing
 * spec with fast-check to the smallest one that still fails the same way, and the tallies a
 * campaign reports. Shared by the CI test (test/fuzz/fuzz.test.ts) and `npm run fuzz`.
 */
import fc from "fast-check";
import { compareProgram, type Outcome, type ProgramOutcome } from "./compare.js";
import { buildProgram, describeProgram, programArb, type Program, type ProgramSpec } from "./program.js";

export interface Checked {
  readonly spec: ProgramSpec;
  readonly program: Program;
  readonly outcome: ProgramOutcome;
}

export async function checkSpec(spec: ProgramSpec): Promise<Checked> {
  const program = buildProgram(spec);
  return { spec, program, outcome: await compareProgram(program, spec.seed) };
}

/** Which phases disagree ("forward", "training"), e.g. "training". Empty when the program passes. */
export function failureClass(o: ProgramOutcome): string {
  return (["forward", "training"] as const).filter((k) => o[k].kind === "disagree").join("+");
}

/**
 * The smallest spec fast-check finds that fails in the same phases as `spec` (so shrinking does
 * not wander off to a different failure), with at most `maxChecks` runs.
 */
export async function shrink(spec: ProgramSpec, cls: string, maxSteps: number, maxChecks = 400): Promise<Checked & { shrinks: number }> {
  let checks = 0;
  const run = await fc.check(
    fc.asyncProperty(programArb(maxSteps), async (s) => {
      if (++checks > maxChecks) return true;
      return failureClass((await checkSpec(s)).outcome) !== cls;
    }),
    { examples: [[spec]], numRuns: 1, endOnFailure: false },
  );
  const smallest = run.failed ? run.counterexample![0] : spec;
  return { ...(await checkSpec(smallest)), shrinks: run.numShrinks };
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

/** A failing program as text: the verdicts, its IR with dims and input descriptors, its spec. */
export function report(c: Checked): string {
  return [
    outcomeText("forward", c.outcome.forward),
    outcomeText("training step", c.outcome.training),
    describeProgram(c.program),
    `# spec: ${JSON.stringify(c.spec)}`,
  ].join("\n");
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

  add(o: ProgramOutcome): void {
    this.programs++;
    for (const [phase, out] of [["forward", o.forward], ["training", o.training]] as const) {
      const key = `${phase} ${out.kind}`;
      this.kinds.set(key, (this.kinds.get(key) ?? 0) + 1);
      if (out.kind === "agree") {
        for (const x of out.outputs) {
          if (!x.compared) this.uninformative++;
          else {
            this.compared++;
            this.closest = Math.max(this.closest, x.error / x.allowed);
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
