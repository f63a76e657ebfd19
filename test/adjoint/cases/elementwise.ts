/**
 * Elementwise ops, each with broadcasting (a row vector against a matrix, batch dims against a
 * matrix, a scalar input, a scalar constant) and inputs inside the op's smooth domain: maximum away
 * from ties, abs and sign away from 0, log/sqrt/negative powers on positive values.
 */
import { model, ops, type Tensor } from "../../../index.js";
import { ndarray } from "../../../runtime/cpu/ndarray.js";
import { awayFromZero, F64, randn, uniform, type GradCase, type GradTable } from "./types.js";

type Binary = "add" | "sub" | "mul" | "div" | "maximum";
const apply = (op: Binary, a: Tensor | number, b: Tensor | number): Tensor => (ops[op] as (x: unknown, y: unknown) => Tensor)(a, b);
const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

/** Right operands of div must stay away from 0; the others take normal entries. */
const rhs = (op: Binary) => (op === "div" ? (r: Parameters<GradCase["inputs"]>[0], s: number[]) => uniform(r, s, 0.5, 2) : (r: Parameters<GradCase["inputs"]>[0], s: number[]) => randn(r, s));

function binaryCases(op: Binary): GradCase[] {
  const right = rhs(op);
  // maximum: b is a shifted by ±(0.2..1) so no entry is near a tie.
  const tieFree = (a: Float64Array, b: Float64Array, bIndex: (i: number) => number) => {
    if (op !== "maximum") return;
    for (let i = 0; i < a.length; i++) {
      const j = bIndex(i);
      if (Math.abs(a[i] - b[j]) < 0.2) a[i] = b[j] + (a[i] >= b[j] ? 0.3 : -0.3);
    }
  };
  return [
    {
      name: `${op}: matrix [3, 4] with row vector [4]`,
      model: model(`${op}-row`, ({ input }) => {
        const X = input("X", [3, 4], F64);
        const v = input("v", [4], F64);
        return { loss: dot(apply(op, X, v), input("W", [3, 4], F64)) };
      }),
      inputs: (r) => {
        const X = randn(r, [3, 4]);
        const v = right(r, [4]);
        tieFree(X.data, v.data, (i) => i % 4);
        return { X, v, W: randn(r, [3, 4]) };
      },
    },
    {
      name: `${op}: column [3, 1] with batch [2, 3, 4] (operands swapped)`,
      model: model(`${op}-batch`, ({ input }) => {
        const c = input("c", [3, 1], F64);
        const X = input("X", [2, 3, 4], F64);
        return { loss: dot(apply(op, X, c), input("W", [2, 3, 4], F64)) };
      }),
      inputs: (r) => {
        const c = right(r, [3, 1]);
        const X = randn(r, [2, 3, 4]);
        tieFree(X.data, c.data, (i) => Math.floor(i / 4) % 3);
        return { c, X, W: randn(r, [2, 3, 4]) };
      },
    },
    {
      name: `${op}: [2, 1, 4] with [3, 1] (both broadcast) and a scalar input`,
      model: model(`${op}-both`, ({ input }) => {
        const A = input("A", [2, 1, 4], F64);
        const B = input("B", [3, 1], F64);
        const s = input("s", [], F64);
        return { loss: dot(apply(op, apply(op, A, B), s), input("W", [2, 3, 4], F64)) };
      }),
      inputs: (r) => {
        const A = op === "maximum" ? ndarray([2, 1, 4], [3, -3, 3.5, -3.5, 4, -4, 2.5, -2.5]) : randn(r, [2, 1, 4]);
        const B = op === "maximum" ? ndarray([3, 1], [-1, 0.5, 1]) : right(r, [3, 1]);
        // maximum(A, B) takes A where |A| ≥ 2.5 > 0, else B; s = 0.2 ties with nothing.
        const s = op === "maximum" ? ndarray([], [0.2]) : op === "div" ? ndarray([], [1.7]) : ndarray([], [0.7]);
        return { A, B, s, W: randn(r, [2, 3, 4]) };
      },
    },
    {
      name: `${op}: with scalar constants on either side`,
      model: model(`${op}-const`, ({ input }) => {
        const X = input("X", [2, 3], F64);
        return { loss: dot(apply(op, op === "div" ? 2.5 : apply(op, 1.5, X), op === "div" ? apply(op, X, 0.75) : 0.25), input("W", [2, 3], F64)) };
      }),
      inputs: (r) => ({ X: op === "div" ? uniform(r, [2, 3], 0.5, 2) : op === "maximum" ? awayFromZero(r, [2, 3], 1.8) : randn(r, [2, 3]), W: randn(r, [2, 3]) }),
    },
  ];
}

type Unary = "neg" | "exp" | "log" | "sqrt" | "abs";
function unaryCases(op: Unary): GradCase[] {
  const sample = (r: Parameters<GradCase["inputs"]>[0], s: number[]) =>
    op === "log" || op === "sqrt" ? uniform(r, s, 0.3, 2.5) : op === "abs" ? awayFromZero(r, s) : randn(r, s, op === "exp" ? 0.7 : 1);
  return [
    {
      name: `${op}: batch [2, 3, 4]`,
      model: model(`${op}-batch`, ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        return { loss: dot(ops[op](X), input("W", [2, 3, 4], F64)) };
      }),
      inputs: (r) => ({ X: sample(r, [2, 3, 4]), W: randn(r, [2, 3, 4]) }),
    },
  ];
}

function powCase(p: number): GradCase {
  return {
    name: `pow: p = ${p} on [3, 4]`,
    model: model(`pow-${p}`, ({ input }) => {
      const X = input("X", [3, 4], F64);
      return { loss: dot(ops.pow(X, p), input("W", [3, 4], F64)) };
    }),
    inputs: (r) => ({ X: Number.isInteger(p) && p > 0 ? randn(r, [3, 4]) : uniform(r, [3, 4], 0.4, 2.5), W: randn(r, [3, 4]) }),
  };
}

export const ELEMENTWISE_GRAD_CASES: GradTable = {
  add: binaryCases("add"),
  sub: binaryCases("sub"),
  mul: binaryCases("mul"),
  div: binaryCases("div"),
  maximum: binaryCases("maximum"),
  neg: unaryCases("neg"),
  exp: unaryCases("exp"),
  log: unaryCases("log"),
  sqrt: unaryCases("sqrt"),
  abs: unaryCases("abs"),
  pow: [2, 0.5, -1, 3, 1, -0.5].map(powCase),
};
