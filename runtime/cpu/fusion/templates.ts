/**
 * The per-element formula of each elementwise op as JavaScript source, for the fused loops the CPU
 * executor generates (fusion/kernel.ts) — the CPU twin of the WGSL expression templates. Each must
 * compute bit for bit what the op's float64 evaluation (`evalCPU`) computes: a table-driven test
 * (test/runtime/cpu/fusion.test.ts) checks every entry against it on ordinary and special values
 * (±0, ±∞, NaN, subnormals, huge), and that every elementwise op of the registry has an entry.
 * Arguments are local variable names; attribute values reach the code only as `param(value)`, an
 * index into a number array, never as source text.
 */
import type { Attrs } from "../../../ir/attrs.js";

export type Template = (args: readonly string[], attrs: Attrs, param: (value: number) => string) => string;

export const TEMPLATES: Readonly<Record<string, Template>> = {
  neg: ([a]) => `(-${a})`,
  exp: ([a]) => `Math.exp(${a})`,
  log: ([a]) => `Math.log(${a})`,
  sqrt: ([a]) => `Math.sqrt(${a})`,
  abs: ([a]) => `Math.abs(${a})`,
  pow: ([a], attrs, param) => `Math.pow(${a}, ${param(attrs.p as number)})`,
  sign: ([a]) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a} === 0 ? 0 : NaN)`,
  add: ([a, b]) => `(${a} + ${b})`,
  sub: ([a, b]) => `(${a} - ${b})`,
  mul: ([a, b]) => `(${a} * ${b})`,
  div: ([a, b]) => `(${a} / ${b})`,
  maximum: ([a, b]) => `Math.max(${a}, ${b})`,
};

export function isFusable(op: string): boolean {
  return Object.hasOwn(TEMPLATES, op);
}
