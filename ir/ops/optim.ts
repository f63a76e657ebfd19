/**
 * Optimizer updates as ops, so a training step — forward, backward and the update of every param
 * and its optimizer state — is one graph that runs in one submission on the device (the update
 * reads the gradient as a fused expression; ir/optimizer.ts builds the graph). Each op maps a
 * param, its gradient, its state and the scalar learning rate (and step count) to the next param
 * and state; PyTorch's formulation (numeric/optim.ts). They are not differentiable.
 * Each binds at most 7 storage buffers with a single-buffer gradient (the portable kernel limit):
 * Adam's two moments are one stacked tensor.
 */
import { boolAttr, numberAttr, type Attrs } from "../attrs.js";
import { fail } from "../diagnostics.js";
import { OpTable } from "../op.js";
import { formatShape, isFloat, tensorType, type Shape, type TensorType } from "../types.js";
import { adamUpdate, momentumUpdate, sgdUpdate, type AdamRule, type MomentumRule, type SgdRule } from "../../numeric/optim.js";
import { ndarray } from "../../numeric/ndarray.js";

function nonNegative(op: string, attrs: Attrs, key: string): number {
  const x = numberAttr(op, attrs, key);
  if (x < 0) fail("MP2004", `${op}: attribute '${key}' must be ≥ 0, got ${x}`);
  return x;
}

function fraction(op: string, attrs: Attrs, key: string): number {
  const x = numberAttr(op, attrs, key);
  if (!(x >= 0 && x < 1)) fail("MP2004", `${op}: attribute '${key}' must be in [0, 1), got ${x}`);
  return x;
}

export function sgdRule(attrs: Attrs): SgdRule {
  return { weightDecay: nonNegative("sgdUpdate", attrs, "weightDecay") };
}

export function momentumRule(attrs: Attrs): MomentumRule {
  const op = "momentumUpdate";
  return { weightDecay: nonNegative(op, attrs, "weightDecay"), momentum: nonNegative(op, attrs, "momentum"), nesterov: boolAttr(op, attrs, "nesterov") };
}

export function adamRule(attrs: Attrs): AdamRule {
  const op = "adamUpdate";
  return { beta1: fraction(op, attrs, "beta1"), beta2: fraction(op, attrs, "beta2"), eps: nonNegative(op, attrs, "eps"), weightDecay: nonNegative(op, attrs, "weightDecay"), decoupled: boolAttr(op, attrs, "decoupled") };
}

/**
 * Checks `[p, g, state?, t?, lr]`: p and g of one float shape, the state of `stateShape(p)`, then
 * float scalars; the outputs are the next param and the next state.
 */
function updateTypes(op: string, inputs: readonly TensorType[], stateShape: ((p: Shape) => Shape) | null): TensorType[] {
  const p = inputs[0];
  const want: (Shape | null)[] = [p.shape, p.shape, ...(stateShape ? [stateShape(p.shape)] : [])];
  inputs.forEach((t, i) => {
    if (!isFloat(t.dtype)) fail("MP2006", `${op}: operand ${i} must be float, got ${t.dtype}`);
    const shape = want[i] ?? [];
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) fail("MP2001", `${op}: operand ${i} is ${formatShape(t.shape)}, it must be ${formatShape(shape)}`);
  });
  return [tensorType(p.dtype, p.shape), ...(stateShape ? [tensorType(p.dtype, stateShape(p.shape))] : [])];
}

/** Adam's two moments of a param, stacked: m at [0, …], v at [1, …] (one binding for both). */
export const momentsShape = (p: Shape): Shape => [2, ...p];

const fresh = (shape: readonly number[]) => ndarray(shape);

const table = new OpTable();
const NO_ADJOINT = "an optimizer update is applied to gradients, never differentiated";

table.define({
  name: "sgdUpdate",
  family: "optim",
  arity: 3,
  doc: "SGD step (p, g, lr) → p − lr·(g + weightDecay·p)",
  noAdjoint: NO_ADJOINT,
  infer: (inputs, attrs) => {
    sgdRule(attrs);
    return updateTypes("sgdUpdate", inputs, null);
  },
  evalCPU: ([p, g, lr], attrs) => {
    const out = fresh(p.shape);
    sgdUpdate(p.data, g.data, lr.data[0], sgdRule(attrs), out.data);
    return [out];
  },
});

table.define({
  name: "momentumUpdate",
  family: "optim",
  arity: 4,
  doc: "SGD with momentum (p, g, v, lr) → (p′, v′): v′ = μv + g, p′ = p − lr·(nesterov ? g + μv′ : v′)",
  noAdjoint: NO_ADJOINT,
  infer: (inputs, attrs) => {
    momentumRule(attrs);
    return updateTypes("momentumUpdate", inputs, (s) => s);
  },
  evalCPU: ([p, g, v, lr], attrs) => {
    const [pOut, vOut] = [fresh(p.shape), fresh(p.shape)];
    momentumUpdate(p.data, g.data, v.data, lr.data[0], momentumRule(attrs), pOut.data, vOut.data);
    return [pOut, vOut];
  },
});

table.define({
  name: "adamUpdate",
  family: "optim",
  arity: 5,
  doc: "Adam/AdamW step (p, g, moments, t, lr) → (p′, moments′): moments [2, …p] stacks m and v, t is the step number from 1",
  noAdjoint: NO_ADJOINT,
  infer: (inputs, attrs) => {
    adamRule(attrs);
    return updateTypes("adamUpdate", inputs, momentsShape);
  },
  evalCPU: ([p, g, mv, t, lr], attrs) => {
    const n = p.data.length;
    const [pOut, mvOut] = [fresh(p.shape), fresh(mv.shape)];
    const { data } = mvOut;
    adamUpdate(p.data, g.data, mv.data.subarray(0, n), mv.data.subarray(n), t.data[0], lr.data[0], adamRule(attrs), pOut.data, data.subarray(0, n), data.subarray(n));
    return [pOut, mvOut];
  },
});

export const OPTIM_OPS = table.ops;
