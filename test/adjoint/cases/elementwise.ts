/**
 * Elementwise ops, each with broadcasting (a row vector against a matrix, batch dims against a
 * matrix, a scalar input, a scalar constant) and inputs inside the op's smooth domain: maximum away
 * from ties, abs and sign away from 0, log/sqrt/negative powers on positive values.
 */
import { model, nn, ops, type Tensor } from "../../../index.js";
import { ndarray } from "../../../numeric/ndarray.js";
import { awayFromZero, F64, randn, uniform, type GradCase, type GradTable } from "./types.js";

type Binary = "add" | "sub" | "mul" | "div" | "maximum" | "minimum";
const apply = (op: Binary, a: Tensor | number, b: Tensor | number): Tensor => (ops[op] as (x: unknown, y: unknown) => Tensor)(a, b);
const dot = (y: Tensor, w: Tensor): Tensor => ops.sum(ops.mul(y as never, w as never));

/** Right operands of div must stay away from 0; the others take normal entries. */
const rhs = (op: Binary) => (op === "div" ? (r: Parameters<GradCase["inputs"]>[0], s: number[]) => uniform(r, s, 0.5, 2) : (r: Parameters<GradCase["inputs"]>[0], s: number[]) => randn(r, s));

function binaryCases(op: Binary): GradCase[] {
  const right = rhs(op);
  // maximum: b is a shifted by ±(0.2..1) so no entry is near a tie.
  const tieFree = (a: Float64Array, b: Float64Array, bIndex: (i: number) => number) => {
    if (op !== "maximum" && op !== "minimum") return;
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
        const minmax = op === "maximum" || op === "minimum";
        const A = minmax ? ndarray([2, 1, 4], [3, -3, 3.5, -3.5, 4, -4, 2.5, -2.5]) : randn(r, [2, 1, 4]);
        const B = minmax ? ndarray([3, 1], [-1, 0.5, 1]) : right(r, [3, 1]);
        // maximum(A, B) takes A where |A| ≥ 2.5 > 0, else B; s = 0.2 ties with nothing.
        const s = minmax ? ndarray([], [0.2]) : op === "div" ? ndarray([], [1.7]) : ndarray([], [0.7]);
        return { A, B, s, W: randn(r, [2, 3, 4]) };
      },
    },
    {
      name: `${op}: with scalar constants on either side`,
      model: model(`${op}-const`, ({ input }) => {
        const X = input("X", [2, 3], F64);
        return { loss: dot(apply(op, op === "div" ? 2.5 : apply(op, 1.5, X), op === "div" ? apply(op, X, 0.75) : 0.25), input("W", [2, 3], F64)) };
      }),
      inputs: (r) => ({ X: op === "div" ? uniform(r, [2, 3], 0.5, 2) : op === "maximum" || op === "minimum" ? awayFromZero(r, [2, 3], 1.8) : randn(r, [2, 3]), W: randn(r, [2, 3]) }),
    },
  ];
}

type Unary = "neg" | "exp" | "log" | "sqrt" | "abs" | "tanh" | "sigmoid";
const unary = (op: Unary, x: Tensor): Tensor => (op === "sigmoid" ? nn.sigmoid(x) : ops[op](x));
function unaryCases(op: Unary): GradCase[] {
  const sample = (r: Parameters<GradCase["inputs"]>[0], s: number[]) =>
    op === "log" || op === "sqrt" ? uniform(r, s, 0.3, 2.5) : op === "abs" ? awayFromZero(r, s) : randn(r, s, op === "exp" ? 0.7 : op === "tanh" || op === "sigmoid" ? 2 : 1);
  return [
    {
      name: `${op}: batch [2, 3, 4]`,
      model: model(`${op}-batch`, ({ input }) => {
        const X = input("X", [2, 3, 4], F64);
        return { loss: dot(unary(op, X), input("W", [2, 3, 4], F64)) };
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
  minimum: binaryCases("minimum"),
  tanh: unaryCases("tanh"),
  sigmoid: unaryCases("sigmoid"),
  "dsl:square": [
    {
      name: "ops.square: [3, 4]",
      model: model("square", ({ input }) => ({ loss: dot(ops.square(input("X", [3, 4], F64)), input("W", [3, 4], F64)) })),
      inputs: (r) => ({ X: randn(r, [3, 4]), W: randn(r, [3, 4]) }),
    },
  ],
  "dsl:clip": [
    {
      name: "ops.clip: numbers and a row of lower bounds, entries away from the bounds",
      model: model("clip", ({ input }) => {
        const X = input("X", [3, 4], F64);
        const y = ops.add(ops.clip(X, -0.5, 0.5), ops.clip(X, input("lo", [4], F64), 1.5));
        return { loss: dot(y as Tensor, input("W", [3, 4], F64)) };
      }),
      inputs: (r) => {
        // Entries drawn from values ≥ 0.1 away from every bound (±0.5, 1.5, and lo's entries).
        const grid = [-2.1, -1, -0.6, -0.3, 0.1, 0.3, 0.65, 1.1, 1.6, 2];
        const X = ndarray([3, 4], Array.from({ length: 12 }, () => grid[Math.floor(r.uniform() * grid.length)]));
        return { X, lo: ndarray([4], [-1.25, -0.75, 0.75, 1.75]), W: randn(r, [3, 4]) };
      },
    },
  ],
  "dsl:gelu": [
    {
      name: "nn.gelu: [2, 3, 4]",
      model: model("gelu", ({ input }) => ({ loss: dot(nn.gelu(input("X", [2, 3, 4], F64)), input("W", [2, 3, 4], F64)) })),
      inputs: (r) => ({ X: randn(r, [2, 3, 4], 2), W: randn(r, [2, 3, 4]) }),
    },
  ],
};
