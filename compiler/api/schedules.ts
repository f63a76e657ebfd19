/**
 * Learning-rate schedules: plain functions from the number of steps already taken (0 for the first
 * step) to the learning rate of the next one, so they compose (`warmup` wraps any schedule) and a
 * trainer only has to set its optimizer's rate before each step — on WebGPU that is a 4-byte upload,
 * the program stays the same. Formulas follow PyTorch's `StepLR` and `CosineAnnealingLR` and optax's
 * linear warm-up.
 */
import { fail } from "../../ir/diagnostics.js";

/** A learning rate per step: `schedule(t)` is the rate of the step taken after `t` steps. */
export type Schedule = (step: number) => number;

/** A learning rate: a constant, or a {@link Schedule}. */
export type LearningRate = number | Schedule;

function positive(what: string, x: unknown, integer = false): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
    fail("MP4012", `${what} must be a ${integer ? "positive integer" : "finite number > 0"}, got ${String(x)}`);
  }
  return x;
}

function rate(what: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0) fail("MP4012", `${what} must be a finite number ≥ 0, got ${String(x)}`);
  return x;
}

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** The rate of the first `every` steps. */
  lr: number;
  /** Steps between two decays. */
  every: number;
  /** The factor applied at each decay. Default 0.1. */
  gamma?: number;
}

/** `lr · gamma^⌊t / every⌋` (PyTorch's `StepLR`). */
export function stepDecay(opts: StepDecayOptions): Schedule {
  const lr = rate("stepDecay: lr", opts.lr);
  const every = positive("stepDecay: every", opts.every, true);
  const gamma = rate("stepDecay: gamma", opts.gamma ?? 0.1);
  return (t) => lr * gamma ** Math.floor(t / every);
}

/** Options of {@link cosine}. */
export interface CosineOptions {
  /** The rate at step 0. */
  lr: number;
  /** Steps from `lr` down to `min`; later steps keep `min`. */
  steps: number;
  /** The final rate. Default 0. */
  min?: number;
}

/** `min + (lr − min)·(1 + cos(π·min(t, steps)/steps))/2` (PyTorch's `CosineAnnealingLR`, one half period). */
export function cosine(opts: CosineOptions): Schedule {
  const lr = rate("cosine: lr", opts.lr);
  const steps = positive("cosine: steps", opts.steps, true);
  const min = rate("cosine: min", opts.min ?? 0);
  return (t) => min + ((lr - min) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps))) / 2;
}

/**
 * A linear warm-up over the first `steps` steps to `then`'s first rate (step t gets
 * `then(0)·(t + 1)/steps`), then `then` from its own step 0: `warmup(100, cosine({ lr, steps: 900 }))`.
 */
export function warmup(steps: number, then: LearningRate): Schedule {
  const n = positive("warmup: steps", steps, true);
  const after = toSchedule(then, "warmup");
  return (t) => (t < n ? (after(0) * (t + 1)) / n : after(t - n));
}

/** A learning rate as a schedule (a constant is one too); refuses anything else. */
export function toSchedule(lr: LearningRate, what: string): Schedule {
  if (typeof lr === "function") return lr;
  const r = rate(`${what}: lr`, lr);
  return () => r;
}

/** The rate `schedule` gives after `t` steps, checked (a schedule that returns NaN or < 0 is refused). */
export function rateAt(schedule: Schedule, t: number): number {
  const r = schedule(t);
  if (typeof r !== "number" || !Number.isFinite(r) || r < 0) fail("MP4012", `the learning-rate schedule returned ${String(r)} at step ${t}; a rate must be a finite number ≥ 0`);
  return r;
}
