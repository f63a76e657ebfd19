/**
 * The per-element formula of each elementwise op as JavaScript source, for the fused loops the CPU
 * executor generates (fusion/kernel.ts) — the CPU twin of the WGSL expression templates.
 *
 * The contract: wherever the arguments and the op's `evalCPU` result are finite, a template gives
 * bit for bit that result. Where they are not, it may give anything non-finite or finite: the fused
 * loop flags every non-finite value it computes and the executor then re-runs the group through
 * `evalCPU`, so a template never has to reproduce NaN/∞ behaviour. That is what lets `sign` and
 * `maximum` be branch-free (a compare-and-select branch mispredicts on half of a ReLU's inputs,
 * 3–4× the time of the whole loop body). test/runtime/cpu/fusion.test.ts checks every entry
 * against `evalCPU` on ordinary and special finite values (±0, subnormals, the largest doubles) and
 * that every elementwise op of the registry has an entry.
 *
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
  // (a > 0) − (a < 0): 1, −1, or +0 for ±0, as NumPy's sign (NaN gives 0: flagged before it matters).
  sign: ([a]) => `((${a} > 0) - (${a} < 0))`,
  add: ([a, b]) => `(${a} + ${b})`,
  sub: ([a, b]) => `(${a} - ${b})`,
  mul: ([a, b]) => `(${a} * ${b})`,
  div: ([a, b]) => `(${a} / ${b})`,
  // The selected operand plus a signed zero: exact for finite a, b, including max(−0, +0) = +0.
  maximum: ([a, b]) => `((${a} > ${b}) * ${a} + (${a} <= ${b}) * ${b})`,
  // maximum's selection on −a, −b, negated: min(−0, +0) = −0 as Math.min.
  minimum: ([a, b]) => `(-((-${a} > -${b}) * -${a} + (-${a} <= -${b}) * -${b}))`,
  tanh: ([a]) => `Math.tanh(${a})`,
  // ir/ops/elementwise.ts sigmoid, inlined.
  sigmoid: ([a]) => `(${a} >= 0 ? 1 / (1 + Math.exp(-Math.abs(${a}))) : Math.exp(-Math.abs(${a})) / (1 + Math.exp(-Math.abs(${a}))))`,
};

export function isFusable(op: string): boolean {
  return Object.hasOwn(TEMPLATES, op);
}
