/** Adjoint rules of the elementwise ops; broadcast operands get their cotangent summed back to shape. */
import type { AdjointRule } from "../op.js";

export const ELEMENTWISE_ADJOINTS: Record<string, AdjointRule> = {
  add: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(g!, a.type.shape), e.sumTo(g!, b.type.shape)],
  sub: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(g!, a.type.shape), e.sumTo(e.neg(g!), b.type.shape)],
  mul: ({ inputs: [a, b], cotangents: [g], e }) => [e.sumTo(e.mul(g!, b), a.type.shape), e.sumTo(e.mul(g!, a), b.type.shape)],
  // d(a/b) = da/b − (a/b)·db/b
  div: ({ inputs: [a, b], outputs: [y], cotangents: [g], e }) => {
    const gb = e.div(g!, b);
    return [e.sumTo(gb, a.type.shape), e.sumTo(e.neg(e.mul(gb, y)), b.type.shape)];
  },
  // Ties split the cotangent evenly (as JAX does): mask = (1 + sign(a − b)) / 2.
  maximum: ({ inputs: [a, b], cotangents: [g], e }) => {
    const mask = e.mul(e.add(e.op("sign", [e.sub(a, b)]), 1), 0.5);
    const ga = e.mul(g!, mask);
    return [e.sumTo(ga, a.type.shape), e.sumTo(e.sub(g!, ga), b.type.shape)];
  },
  // Ties split the cotangent evenly, as for maximum: mask = (1 − sign(a − b)) / 2.
  minimum: ({ inputs: [a, b], cotangents: [g], e }) => {
    const mask = e.mul(e.sub(1, e.op("sign", [e.sub(a, b)])), 0.5);
    const ga = e.mul(g!, mask);
    return [e.sumTo(ga, a.type.shape), e.sumTo(e.sub(g!, ga), b.type.shape)];
  },
  neg: ({ cotangents: [g], e }) => [e.neg(g!)],
  exp: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, y)],
  log: ({ inputs: [x], cotangents: [g], e }) => [e.div(g!, x)],
  // d√x = dx / (2√x)
  sqrt: ({ outputs: [y], cotangents: [g], e }) => [e.div(e.mul(g!, 0.5), y)],
  // d tanh x = (1 − tanh² x) dx
  tanh: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, e.sub(1, e.mul(y, y)))],
  // dσ = σ (1 − σ) dx
  sigmoid: ({ outputs: [y], cotangents: [g], e }) => [e.mul(g!, e.mul(y, e.sub(1, y)))],
  abs: ({ inputs: [x], cotangents: [g], e }) => [e.mul(g!, e.op("sign", [x]))],
  pow: ({ inputs: [x], attrs, cotangents: [g], e }) => {
    const p = attrs.p as number;
    if (p === 1) return [g];
    const dx = p === 2 ? e.mul(x, 2) : e.mul(e.op("pow", [x], { p: p - 1 }), p);
    return [e.mul(g!, dx)];
  },
  // sign is piecewise constant: its derivative is zero wherever it exists.
  sign: () => [null],
};
