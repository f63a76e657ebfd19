/**
 * The optimizer update as one kernel per param: one invocation per element reads the param, the
 * gradient (a fused expression: a transposed or reshaped gradient is read in place), the state and
 * the scalar step count and learning rate, and writes the next param and state. The f32 twin of
 * numeric/optim.ts; the hyperparameters other than the learning rate are literals.
 */
import { f32, unravel, type Expr } from "../expr.js";
import { type BuiltKernel, KernelScaffold, perElement } from "./scaffold.js";
import type { Attrs } from "../../ir/attrs.js";

/**
 * Adam's bias correction 1 − βᵗ for a literal β ∈ [0, 1) and the f32 step count t ≥ 1, as
 * −expm1(t·ln β) with ln β taken in float64: 1 − pow(β, t) in f32 cancels (β = 0.999 is stored as
 * 0.99900001, already 1.3e-5 off in 1 − β).
 */
const biasCorrection = (beta: number, t: string) => (beta === 0 ? "1.0" : `(-mp_expm1(${t} * ${f32(Math.log(beta))}))`);

/**
 * `op` (sgdUpdate, momentumUpdate or adamUpdate) over `operands` ([p, g, state?, t?, lr] as
 * expressions at p's shape, scalars at []), writing `outs` ([p′, state′?]).
 */
export function optimKernel(name: string, op: string, attrs: Attrs, operands: readonly Expr[], outs: readonly number[]): BuiltKernel {
  const shape = operands[0].shape;
  const n = shape.reduce((a, d) => a * d, 1);
  const k = new KernelScaffold(name);
  const { lines, coords } = unravel("idx", shape);
  const at = (i: number) => k.emitter.emit(operands[i], operands[i].shape.length ? coords : []);
  const wd = f32(attrs.weightDecay as number);
  const body: string[] = [];
  if (op === "sgdUpdate") {
    const [p, g, lr] = [at(0), at(1), at(2)];
    body.push(`out0[idx] = ${p} - ${lr} * (${g} + ${wd} * ${p});`);
  } else if (op === "momentumUpdate") {
    const [p, g, v, lr] = [at(0), at(1), at(2), at(3)];
    const mu = f32(attrs.momentum as number);
    body.push(`let gi = ${g} + ${wd} * ${p};`, `let vi = ${mu} * ${v} + gi;`, `out1[idx] = vi;`, `out0[idx] = ${p} - ${lr} * (${attrs.nesterov ? `gi + ${mu} * vi` : "vi"});`);
  } else if (op === "adamUpdate") {
    const [p, g] = [at(0), at(1)];
    const moments = k.load((operands[2] as { value: number }).value, 2 * n);
    const [t, lr] = [at(3), at(4)];
    const [b1, b2, eps] = [attrs.beta1 as number, attrs.beta2 as number, f32(attrs.eps as number)];
    const decoupled = attrs.decoupled === true;
    body.push(
      `let pi = ${decoupled ? `${p} * (1.0 - ${lr} * ${wd})` : p};`,
      `let gi = ${decoupled ? g : `${g} + ${wd} * ${p}`};`,
      `let mi = ${f32(b1)} * ${moments}[idx] + ${f32(1 - b1)} * gi;`,
      `let vi = ${f32(b2)} * ${moments}[idx + ${n}u] + ${f32(1 - b2)} * gi * gi;`,
      `out1[idx] = mi;`,
      `out1[idx + ${n}u] = vi;`,
      `out0[idx] = pi - (${lr} * (mi / ${biasCorrection(b1, t)})) / (sqrt(vi / ${biasCorrection(b2, t)}) + ${eps});`,
    );
  } else throw new Error(`optimKernel: unknown update '${op}'`);
  const [out0, out1] = outs.map((value, i) => k.write(`out${i}`, value, i === 1 && op === "adamUpdate" ? 2 * n : n));
  const e = perElement(n);
  const main = [e.head, ...[...lines, ...k.emitter.take(), ...body].map((l) => "  " + l)].join("\n");
  // Each output is covered as n-element rows (Adam's moments: [2, n], both rows per invocation).
  const covers = [out0, out1].filter((b) => b !== undefined).map((binding, i) => (i === 1 && op === "adamUpdate" ? { binding, shape: [2, n], tile: [2, e.tile[0]] } : { binding, shape: [n], tile: e.tile }));
  return k.finish({ main, workgroupSize: e.workgroupSize, dispatch: e.dispatch, covers });
}
