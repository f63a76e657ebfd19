/**
 * Readers of one field of an untrusted manifest (JSON a bundle's user may have edited): each checks
 * the value's kind and range and returns it typed, or fails with MP7001 naming where in the
 * manifest it is ("programs.forward.steps[3].kernel"). No reader allocates by a size it reads.
 */
import { bundleFail } from "./errors.js";

export const MAX_ITEMS = 100_000;
const MAX_STRING = 1024;

export type Obj = Record<string, unknown>;

export const bad = (at: string, what: string): never => bundleFail("MP7001", `manifest ${at}: ${what}`);

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? "a long string" : JSON.stringify(v);
  if (typeof v === "number") return String(v);
  return typeof v;
}

export function object(v: unknown, at: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) bad(at, `expected an object, got ${describe(v)}`);
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) bad(at, `unknown field '${k.slice(0, 40)}'`);
  for (const k of required) if (!Object.prototype.hasOwnProperty.call(o, k)) bad(at, `missing field '${k}'`);
  return o;
}

export function array(v: unknown, at: string, max = MAX_ITEMS): unknown[] {
  if (!Array.isArray(v)) bad(at, `expected an array, got ${describe(v)}`);
  const a = v as unknown[];
  if (a.length > max) bad(at, `has ${a.length} entries; at most ${max} are allowed`);
  return a;
}

export function int(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) bad(at, `expected an integer from ${min} to ${max}, got ${describe(v)}`);
  return v as number;
}

export function string(v: unknown, at: string, max = MAX_STRING): string {
  if (typeof v !== "string" || v.length > max) bad(at, typeof v === "string" ? `string longer than ${max} characters` : `expected a string, got ${describe(v)}`);
  return v as string;
}

export function oneOf<T extends string>(v: unknown, at: string, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) bad(at, `expected one of ${allowed.join(", ")}, got ${describe(v)}`);
  return v as T;
}
