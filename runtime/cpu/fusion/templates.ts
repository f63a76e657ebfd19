/**
 * The per-element formula of each elementwise op as JavaScript source, for the fused loops the CPU
 * executor generates (fusion/kernel.ts) — the `js` form of the op's row in ir/ops/elementwise.ts,
 * next to its WGSL form.
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
import type { Pointwise } from "../../../ir/op.js";
import { allOps } from "../../../ir/registry.js";

export type Template = Pointwise["js"];

/** Each elementwise op's `pointwise.js`, written next to its float64 and WGSL forms (ir/ops/elementwise.ts). */
export const TEMPLATES: Readonly<Record<string, Template>> = Object.fromEntries(allOps().flatMap((d) => (d.pointwise ? [[d.name, d.pointwise.js]] : [])));

export function isFusable(op: string): boolean {
  return Object.hasOwn(TEMPLATES, op);
}
