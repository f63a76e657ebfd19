/**
 * Simplification rules run on every derived graph before anyone reads it: identities (x + 0,
 * x·1, −(−x)), transpose and reshape folding, symmetric-transpose elimination, scalar constant
 * folding. CSE and dead-code elimination come with the rewrite engine.
 */
import type { Node, Value } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";
import { isFloat, isSymmetric, type Shape } from "../../ir/types.js";
import type { RewriteRule } from "./rewrite.js";

function constantValue(v: Value): number | undefined {
  return v.node.op === "constant" ? (v.node.attrs.value as number) : undefined;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `x` stands for the node's result when it already has the result's type. */
function keep(node: Node, x: Value): readonly Value[] | undefined {
  const out = node.outputs[0].type;
  return sameShape(x.type.shape, out.shape) && x.type.dtype === out.dtype ? [x] : undefined;
}

/**
 * x·c with the folded constant in the replaced node's dtype: (x·c₁)/c₂ with an f32 x and f64
 * constants is f64, and x·(c₁/c₂) must stay so (a constant in x's dtype would make it f32).
 */
function scaled(node: Node, e: Parameters<RewriteRule["match"]>[1], x: Value, c: number): readonly Value[] | undefined {
  const dtype = node.outputs[0].type.dtype;
  return isFloat(dtype) ? [e.op("mul", [x, e.constant(c, dtype)])] : undefined;
}

/** −x for `node` when that keeps its dtype (neg cannot promote an f32 x to the f64 of a constant). */
function negated(node: Node, e: Parameters<RewriteRule["match"]>[1], x: Value): readonly Value[] | undefined {
  return x.type.dtype === node.outputs[0].type.dtype && sameShape(x.type.shape, node.outputs[0].type.shape) ? [e.neg(x)] : undefined;
}

function rule(name: string, op: string, match: RewriteRule["match"]): RewriteRule {
  return { name, match: (node, e) => (node.op === op ? match(node, e) : undefined) };
}

export const SIMPLIFY_RULES: readonly RewriteRule[] = [
  rule("add-zero", "add", (n) => {
    const [a, b] = n.inputs;
    if (constantValue(b) === 0) return keep(n, a);
    if (constantValue(a) === 0) return keep(n, b);
  }),
  rule("add-self", "add", (n, e) => (n.inputs[0] === n.inputs[1] ? [e.mul(n.inputs[0], 2)] : undefined)),
  rule("sub-zero", "sub", (n, e) => {
    const [a, b] = n.inputs;
    if (constantValue(b) === 0) return keep(n, a);
    if (constantValue(a) === 0) return negated(n, e, b);
  }),
  rule("mul-one", "mul", (n) => {
    const [a, b] = n.inputs;
    if (constantValue(b) === 1) return keep(n, a);
    if (constantValue(a) === 1) return keep(n, b);
  }),
  rule("mul-constants", "mul", (n, e) => {
    // (x·c₁)·c₂ → x·(c₁c₂): collects the scalar factors the calculus rules spread around.
    const [a, b] = n.inputs;
    const c2 = constantValue(b);
    if (c2 === undefined || a.node.op !== "mul") return undefined;
    const c1 = constantValue(a.node.inputs[1]);
    if (c1 === undefined) return undefined;
    return scaled(n, e, a.node.inputs[0], c1 * c2);
  }),
  rule("mul-neg-one", "mul", (n, e) => (constantValue(n.inputs[1]) === -1 ? negated(n, e, n.inputs[0]) : undefined)),
  rule("div-of-scaled", "div", (n, e) => {
    // (x·c₁)/c₂ → x·(c₁/c₂)
    const [a, b] = n.inputs;
    const c2 = constantValue(b);
    const c1 = a.node.op === "mul" ? constantValue(a.node.inputs[1]) : undefined;
    return c1 !== undefined && c2 !== undefined && c2 !== 0 ? scaled(n, e, a.node.inputs[0], c1 / c2) : undefined;
  }),
  rule("div-one", "div", (n) => (constantValue(n.inputs[1]) === 1 ? keep(n, n.inputs[0]) : undefined)),
  rule("neg-neg", "neg", (n) => (n.inputs[0].node.op === "neg" ? [n.inputs[0].node.inputs[0]] : undefined)),
  rule("transpose-transpose", "transpose", (n) => (n.inputs[0].node.op === "transpose" ? [n.inputs[0].node.inputs[0]] : undefined)),
  rule("transpose-symmetric", "transpose", (n) => (isSymmetric(n.inputs[0].type.structure) ? [n.inputs[0]] : undefined)),
  rule("reshape-same", "reshape", (n) => keep(n, n.inputs[0])),
  rule("reshape-reshape", "reshape", (n, e) => (n.inputs[0].node.op === "reshape" ? [e.reshape(n.inputs[0].node.inputs[0], n.outputs[0].type.shape)] : undefined)),
  rule("broadcast-same", "broadcastTo", (n) => keep(n, n.inputs[0])),
  rule("broadcast-scalar-reshape", "broadcastTo", (n, e) => {
    // broadcastTo(reshape(c, [1, 1]), s) → broadcastTo(c, s): the unit dims add nothing. Only
    // when c has no more dims than s: broadcasting never drops dims, so c [1, 1] cannot go to [3]
    // (a reshape of sum(x [3], axis 0) into a product with W [2, 2] made that before).
    const x = n.inputs[0];
    const c = x.node.op === "reshape" ? x.node.inputs[0] : undefined;
    const out = n.outputs[0].type.shape;
    if (!c || !c.type.shape.every((d) => d === 1) || c.type.shape.length > out.length) return undefined;
    return [e.broadcastTo(c, out)];
  }),
  rule("mul-broadcast-scalar", "mul", (n, e) => {
    // x · broadcastTo(c) → x · c when x alone has the result's shape (NumPy broadcasts the scalar).
    const [a, b] = n.inputs;
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (y.node.op === "broadcastTo" && y.node.inputs[0].node.op === "constant" && keep(n, x)) {
        const c = constantValue(y.node.inputs[0])!;
        return c === 1 ? keep(n, x) : scaled(n, e, x, c);
      }
    }
    return undefined;
  }),
  {
    name: "fold-scalar-constants",
    match(node, e) {
      if (node.op === "constant" || node.op === "dimSize" || node.inputs.length === 0) return undefined;
      if (node.outputs.length !== 1 || node.outputs[0].type.shape.length !== 0) return undefined;
      if (!node.inputs.every((v) => v.node.op === "constant")) return undefined;
      const inputs = node.inputs.map((v) => ({ shape: [], data: Float64Array.of(constantValue(v)!) }));
      const [out] = getOp(node.op).evalCPU(inputs, node.attrs, { dim: (d) => d as number });
      return Number.isFinite(out.data[0]) ? [e.constant(out.data[0], node.outputs[0].type.dtype)] : undefined;
    },
  },
];
