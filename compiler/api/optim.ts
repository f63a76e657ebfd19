/**
 * `optim`: the optimizers a trainer takes — `sgd` (momentum, Nesterov), `adam`, `adamw`, in
 * PyTorch's formulation and defaults — and learning-rate schedules. Each returns plain options,
 * checked here (MP4012); `prog.trainer(...)` turns them into the update that runs on the host (CPU)
 * or as kernels on the device (WebGPU), see compiler/train/optim.ts and ir/optimizer.ts.
 *
 * @module
 */
import { fail } from "../../ir/diagnostics.js";
import { optimizerRule, type OptimizerSpec } from "../../ir/optimizer.js";
import type { Optimizer } from "../train/optim.js";
import { rateAt, toSchedule, type LearningRate, type Schedule } from "./schedules.js";

export { cosine, stepDecay, warmup, type CosineOptions, type LearningRate, type Schedule, type StepDecayOptions } from "./schedules.js";

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Learning rate: a number or a schedule (`optim.cosine(...)`). */
  lr: LearningRate;
  /** Heavy-ball momentum μ: v ← μ v + g, p ← p − lr v. Default 0. */
  momentum?: number;
  /** Nesterov momentum: p ← p − lr (g + μ v). Needs momentum > 0. Default false. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
}

/** Options of {@link adam} and {@link adamw}. */
export interface AdamOptions {
  /** Learning rate: a number or a schedule (`optim.cosine(...)`). */
  lr: LearningRate;
  /** Decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to √v̂. Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay p ← p (1 − lr·wd) (default 0.01). */
  weightDecay?: number;
}

/** An optimizer as `prog.trainer` takes it: which update, its options, and its learning-rate schedule. */
export interface OptimizerChoice {
  /** The update with its options (the learning rate of the first step). */
  readonly spec: OptimizerSpec;
  /** The learning rate by step. */
  readonly schedule: Schedule;
}

function choice(kind: OptimizerSpec["kind"], opts: SgdOptions | AdamOptions): OptimizerChoice {
  if (typeof opts !== "object" || opts === null) fail("MP4012", `optim.${kind} takes an options object such as { lr: 0.01 }`);
  const { lr, ...rest } = opts;
  if (lr === undefined) fail("MP4012", `optim.${kind}: give a learning rate, e.g. { lr: 0.01 }`);
  const schedule = toSchedule(lr, `optim.${kind}`);
  const spec = { kind, lr: rateAt(schedule, 0), ...rest } as OptimizerSpec;
  const rule = optimizerRule(spec);
  if (typeof rule === "string") fail("MP4012", `optim.${kind}: ${rule}`);
  return { spec: rule.spec, schedule };
}

/** Stochastic gradient descent, with optional momentum, Nesterov momentum and L2 weight decay (`torch.optim.SGD`). */
export function sgd(opts: SgdOptions): OptimizerChoice {
  return choice("sgd", opts);
}

/** Adam: bias-corrected first and second moments, p ← p − lr m̂ / (√v̂ + ε) (`torch.optim.Adam`). */
export function adam(opts: AdamOptions): OptimizerChoice {
  return choice("adam", opts);
}

/** AdamW: Adam with decoupled weight decay (`torch.optim.AdamW`, default decay 0.01). */
export function adamw(opts: AdamOptions): OptimizerChoice {
  return choice("adamw", opts);
}

/** A choice made by `sgd`, `adam` or `adamw`, or MP4012. */
export function checkChoice(c: unknown): asserts c is OptimizerChoice {
  const ok = typeof c === "object" && c !== null && typeof (c as OptimizerChoice).schedule === "function" && typeof optimizerRule((c as OptimizerChoice).spec) !== "string";
  if (!ok) fail("MP4012", "trainer(optimizer): give an optimizer from optim.sgd, optim.adam or optim.adamw");
}

/** The host optimizer that applies a choice (its state starts at zero); loaded when a trainer starts. */
export async function optimizerOf(c: OptimizerChoice): Promise<Optimizer> {
  const { Adam, AdamW, SGD } = await import("../train/optim.js");
  const { kind, ...opts } = c.spec;
  return kind === "sgd" ? new SGD(opts as ConstructorParameters<typeof SGD>[0]) : kind === "adam" ? new Adam(opts) : new AdamW(opts);
}
