/** Option values shared by several commands, checked once. */
import { fail } from "../../ir/diagnostics.js";
import type { GradTargets } from "../passes/adjoint.js";

/** A seed in decimal digits, 0 … 2³²−1 (the generator keeps 32 bits; larger seeds would repeat smaller ones). */
export function parseSeed(text: string | undefined): number {
  // Number() would take "", " ", "0x10" and "1e3".
  const seed = text === undefined ? 0 : /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(seed <= 0xffffffff)) fail("MP4010", `--seed must be an integer from 0 to 4294967295, got '${text}'`);
  return seed;
}

export function parsePositive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!(x > 0) || !Number.isFinite(x)) fail("MP4010", `${name} must be a positive number, got '${text}'`);
  return x;
}

/** A positive integer in decimal digits (a limit: elements, seconds). */
export function parseLimit(name: string, text: string): number {
  const x = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(x >= 1)) fail("MP4010", `${name} must be a positive integer, got '${text}'`);
  return x;
}

/**
 * `--wrt`: the inputs and params a training step differentiates — "params" (the default: what
 * training updates), "all" (every float input and param) or comma-separated names.
 */
export function parseWrt(text: string | undefined): GradTargets {
  if (text === undefined || text === "params") return "params";
  if (text === "all") return "all";
  const names = text.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) fail("MP4010", `--wrt takes 'params', 'all' or comma-separated input and param names, got '${text}'`);
  return names;
}
