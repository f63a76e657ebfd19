/** Node attributes: small JSON-like values, printed and parsed by the text IR. */
import { fail } from "./diagnostics.js";

export type AttrValue = number | string | boolean | null | readonly AttrValue[];
export type Attrs = Readonly<Record<string, AttrValue>>;

function bad(op: string, key: string, want: string, got: AttrValue | undefined): never {
  return fail("MP2004", `${op}: attribute '${key}' must be ${want}, got ${JSON.stringify(got)}`);
}

export function intAttr(op: string, attrs: Attrs, key: string, min = -Infinity): number {
  const v = attrs[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) bad(op, key, min > -Infinity ? `an integer ≥ ${min}` : "an integer", v);
  return v;
}

export function numberAttr(op: string, attrs: Attrs, key: string): number {
  const v = attrs[key];
  if (typeof v !== "number" || !Number.isFinite(v)) bad(op, key, "a finite number", v);
  return v;
}

export function boolAttr(op: string, attrs: Attrs, key: string): boolean {
  const v = attrs[key];
  if (typeof v !== "boolean") bad(op, key, "true or false", v);
  return v;
}

export function stringAttr<T extends string>(op: string, attrs: Attrs, key: string, allowed?: readonly T[]): T {
  const v = attrs[key];
  if (typeof v !== "string" || (allowed && !allowed.includes(v as T))) {
    bad(op, key, allowed ? `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}` : "a string", v);
  }
  return v as T;
}

export function intListAttr(op: string, attrs: Attrs, key: string, length?: number, min = -Infinity): number[] {
  const v = attrs[key];
  const ok = Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x) && x >= min) && (length === undefined || v.length === length);
  if (!ok) bad(op, key, `a list of ${length ?? ""} integers${min > -Infinity ? ` ≥ ${min}` : ""}`.replace("  ", " "), v);
  return v as number[];
}

/** An optional list of axes (null = all). */
export function axesAttr(op: string, attrs: Attrs, key: string): number[] | null {
  const v = attrs[key];
  if (v === null || v === undefined) return null;
  return intListAttr(op, attrs, key);
}

/** A list of dims (numbers or named symbols), e.g. a declared or reshaped shape. */
export function dimListAttr(op: string, attrs: Attrs, key: string): (number | string)[] {
  const v = attrs[key];
  const ok = Array.isArray(v) && v.every((x) => (typeof x === "number" && Number.isInteger(x)) || (typeof x === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(x)));
  if (!ok) bad(op, key, "a list of integer or named dims", v);
  return v as (number | string)[];
}
