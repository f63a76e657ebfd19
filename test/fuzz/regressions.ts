/**
 * Shrunk counterexamples of the random-program campaigns, each named for what it was: the program
 * as text IR, its input descriptors (distribution + seed, inputs.ts), and the verdicts it must
 * reach now (default: both phases agree). Run by regressions.test.ts.
 */
import type { InputSpec } from "./inputs.js";

export interface Regression {
  readonly name: string;
  readonly ir: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  /** Expected outcome kinds of [forward, training step] when not both "agree" (e.g. "both-failed"). */
  readonly expect?: readonly [string, string];
}

export const REGRESSIONS: readonly Regression[] = [];
