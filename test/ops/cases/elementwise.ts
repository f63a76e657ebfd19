/**
 * Known values for the elementwise ops, with NumPy broadcasting: a row vector against a matrix, a
 * column against a matrix, plain numbers on either side, and batch dims that broadcast ([2,1,3]
 * against [2,3] gives [2,2,3]).
 */
import { model, nn, ops } from "../../../index.js";
import { E, F64, LN2, type CaseTable } from "./types.js";

const A = [[1, 2, 3], [4, 5, 6]];

export const ELEMENTWISE_CASES: CaseTable = {
  add: [
    {
      name: "matrix + row vector broadcasts over rows",
      model: model("add-row", ({ input }) => ({ y: ops.add(input("A", [2, 3], F64), input("r", [3], F64)) })),
      inputs: { A, r: [10, 20, 30] },
      expected: { y: [[11, 22, 33], [14, 25, 36]] },
    },
    {
      name: "batch dims broadcast: [2,1,3] + [2,3] → [2,2,3]",
      model: model("add-batch", ({ input }) => ({ y: ops.add(input("P", [2, 1, 3], F64), input("Q", [2, 3], F64)) })),
      inputs: { P: [[[0, 0, 0]], [[100, 200, 300]]], Q: A },
      // y[b, i, j] = P[b, 0, j] + Q[i, j].
      expected: { y: [[[1, 2, 3], [4, 5, 6]], [[101, 202, 303], [104, 205, 306]]] },
    },
    {
      name: "a number on the left",
      model: model("add-number", ({ input }) => ({ y: ops.add(1, input("x", [2], F64)) })),
      inputs: { x: [-1, 0.5] },
      expected: { y: [0, 1.5] },
    },
  ],
  sub: [
    {
      name: "matrix − column vector [2,1] broadcasts over columns",
      model: model("sub-col", ({ input }) => ({ y: ops.sub(input("A", [2, 3], F64), input("c", [2, 1], F64)) })),
      inputs: { A, c: [[1], [4]] },
      expected: { y: [[0, 1, 2], [0, 1, 2]] },
    },
    {
      name: "numbers on either side: 10 − x and x − 10",
      model: model("sub-number", ({ input }) => {
        const x = input("x", [3], F64);
        return { l: ops.sub(10, x), r: ops.sub(x, 10) };
      }),
      inputs: { x: [1, 2, 12] },
      expected: { l: [9, 8, -2], r: [-9, -8, 2] },
    },
  ],
  mul: [
    {
      name: "Hadamard product with a row vector scales columns",
      model: model("mul-row", ({ input }) => ({ y: ops.mul(input("A", [2, 3], F64), input("r", [3], F64)) })),
      inputs: { A, r: [1, 0, -2] },
      expected: { y: [[1, 0, -6], [4, 0, -12]] },
    },
    {
      name: "[2,1] ∘ [3] is the outer product [2,3]",
      model: model("mul-outer", ({ input }) => ({ y: ops.mul(input("c", [2, 1], F64), input("r", [3], F64)) })),
      inputs: { c: [[2], [-1]], r: [1, 2, 3] },
      expected: { y: [[2, 4, 6], [-1, -2, -3]] },
    },
  ],
  div: [
    {
      name: "matrix / row vector, and a number over a tensor",
      model: model("div", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { y: ops.div(a, input("r", [3], F64)), inv: ops.div(1, a) };
      }),
      inputs: { A, r: [2, 4, -8] },
      expected: { y: [[0.5, 0.5, -0.375], [2, 1.25, -0.75]], inv: [[1, 0.5, 1 / 3], [0.25, 0.2, 1 / 6]] },
    },
  ],
  neg: [
    {
      name: "−x",
      model: model("neg", ({ input }) => ({ y: ops.neg(input("x", [2, 2], F64)) })),
      inputs: { x: [[1, -2], [0, 3.25]] },
      expected: { y: [[-1, 2], [-0, -3.25]] },
    },
  ],
  exp: [
    {
      name: "e^0 = 1, e^1 = e, e^(ln 2) = 2, e^(−1) = 1/e",
      model: model("exp", ({ input }) => ({ y: ops.exp(input("x", [4], F64)) })),
      inputs: { x: [0, 1, LN2, -1] },
      expected: { y: [1, E, 2, 1 / E] },
    },
  ],
  log: [
    {
      name: "ln 1 = 0, ln e = 1, ln e² = 2, ln ½ = −ln 2",
      model: model("log", ({ input }) => ({ y: ops.log(input("x", [2, 2], F64)) })),
      inputs: { x: [[1, E], [E * E, 0.5]] },
      expected: { y: [[0, 1], [2, -LN2]] },
    },
  ],
  sqrt: [
    {
      name: "√4 = 2, √9 = 3, √2, √0 = 0",
      model: model("sqrt", ({ input }) => ({ y: ops.sqrt(input("x", [4], F64)) })),
      inputs: { x: [4, 9, 2, 0] },
      expected: { y: [2, 3, Math.SQRT2, 0] },
    },
  ],
  pow: [
    {
      name: "cubes, square roots and reciprocals",
      model: model("pow", ({ input }) => {
        const x = input("x", [3], F64);
        return { cube: ops.pow(x, 3), half: ops.pow(x, 0.5), recip: ops.pow(x, -1) };
      }),
      inputs: { x: [2, 16, 0.5] },
      expected: { cube: [8, 4096, 0.125], half: [Math.SQRT2, 4, Math.SQRT1_2], recip: [0.5, 0.0625, 2] },
    },
  ],
  abs: [
    {
      name: "|x|",
      model: model("abs", ({ input }) => ({ y: ops.abs(input("x", [4], F64)) })),
      inputs: { x: [-3, 0, 2.5, -1e-10] },
      expected: { y: [3, 0, 2.5, 1e-10] },
    },
  ],
  maximum: [
    {
      name: "maximum with a number (ReLU) and with a broadcast row",
      model: model("maximum", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { relu: ops.maximum(ops.sub(a, 3), 0), row: ops.maximum(a, input("r", [3], F64)) };
      }),
      inputs: { A, r: [3, 3, 7] },
      expected: { relu: [[0, 0, 0], [1, 2, 3]], row: [[3, 3, 7], [4, 5, 7]] },
    },
  ],
  minimum: [
    {
      name: "minimum with a number and with a broadcast row; min(−0, +0) = −0 as NumPy",
      model: model("minimum", ({ input }) => {
        const a = input("A", [2, 3], F64);
        return { cap: ops.minimum(a, 4), row: ops.minimum(input("r", [3], F64), a), zero: ops.minimum(input("z", [2], F64), 0) };
      }),
      inputs: { A, r: [3, 3, 7], z: [-0, 0] },
      expected: { cap: [[1, 2, 3], [4, 4, 4]], row: [[1, 2, 3], [3, 3, 6]], zero: [-0, 0] },
      check: (out) => {
        if (!Object.is(out.get("zero")!.data[0], -0)) throw new Error("minimum(−0, 0) must be −0");
      },
    },
  ],
  tanh: [
    {
      name: "tanh 0 = 0, tanh(ln 2) = 3/5, tanh(−ln 3) = −4/5, tanh 20 = 1 − 2e⁻⁴⁰ (rounds to 1)",
      model: model("tanh", ({ input }) => ({ y: ops.tanh(input("x", [2, 2], F64)), tiny: ops.tanh(input("t", [1], F64)) })),
      // tanh x = (e²ˣ − 1)/(e²ˣ + 1): e^(2 ln 2) = 4 gives 3/5, e^(−2 ln 3) = 1/9 gives −8/10.
      inputs: { x: [[0, LN2], [-Math.log(3), 20]], t: [1e-10] },
      expected: { y: [[0, 0.6], [-0.8, 1]], tiny: [1e-10] },
    },
  ],
  sigmoid: [
    {
      name: "σ(0) = ½, σ(ln 3) = ¾, σ(−ln 3) = ¼; the lower tail σ(−40) = 1/(1 + e⁴⁰) keeps its digits",
      model: model("sigmoid", ({ input }) => ({ y: nn.sigmoid(input("x", [3], F64)), tail: nn.sigmoid(input("t", [2], F64)) })),
      inputs: { x: [0, Math.log(3), -Math.log(3)], t: [-40, 40] },
      // σ(ln 3) = 1/(1 + 1/3) = 3/4. σ(−40) ≈ 4.25e-18: 1 − σ(40) would round it to 0.
      expected: { y: [0.5, 0.75, 0.25], tail: [1 / (1 + Math.exp(40)), 1] },
      check: (out) => {
        const t = out.get("tail")!.data[0];
        const want = 1 / (1 + Math.exp(40));
        if (Math.abs(t - want) > 1e-15 * want) throw new Error(`σ(−40) = ${t}, want ${want}`);
      },
    },
  ],
  "dsl:ops.square": [
    {
      name: "x ∘ x, and an SPD matrix's Hadamard square is typed SPD",
      model: model("square", ({ input }) => ({ y: ops.square(input("x", [2, 2], F64)), s: ops.square(input("S", [2, 2], { dtype: "f64", structure: "spd" })) })),
      inputs: { x: [[1, -2], [3, 0.5]], S: [[2, 1], [1, 2]] },
      expected: { y: [[1, 4], [9, 0.25]], s: [[4, 1], [1, 4]] },
      check: () => {
        const g = model("square-type", ({ input }) => ({ s: ops.square(input("S", [2, 2], { structure: "spd" })) })).build();
        if (g.outputs[0].value.type.structure !== "spd") throw new Error("square of an SPD matrix should be typed spd");
      },
    },
  ],
  "dsl:ops.clip": [
    {
      name: "numbers as bounds, a row of lower bounds, and lo > hi gives hi (numpy.clip)",
      model: model("clip", ({ input }) => {
        const x = input("x", [5], F64);
        return {
          y: ops.clip(x, -1, 2),
          row: ops.clip(input("M", [2, 3], F64), input("lo", [3], F64), 4),
          crossed: ops.clip(x, 3, 1),
        };
      }),
      inputs: { x: [-3, -1, 0, 2.5, 5], M: A, lo: [2, 0, 5] },
      // row: max(A, lo) = [[2, 2, 5], [4, 5, 6]], then capped at 4.
      expected: { y: [-1, -1, 0, 2, 2], row: [[2, 2, 4], [4, 4, 4]], crossed: [1, 1, 1, 1, 1] },
    },
  ],
  "dsl:nn.gelu": [
    {
      name: "tanh-form GELU (jax.nn.gelu's default): gelu(0) = 0 and float64 values of x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))",
      model: model("gelu", ({ input }) => ({ y: nn.gelu(input("x", [5], F64)) })),
      inputs: { x: [0, 1, -1, 2, -3] },
      // The formula in float64 (Python: 0.5*x*(1 + math.tanh(math.sqrt(2/math.pi)*(x + 0.044715*x**3)))).
      // gelu(1) − gelu(−1) = 1: the odd part of gelu is x/2.
      expected: { y: [0, 0.8411919906082768, -0.15880800939172324, 1.954597694087775, -0.0036373920817729943] },
    },
  ],
};
