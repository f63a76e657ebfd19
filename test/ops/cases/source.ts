/** Known values for the source ops: input, param, constant, eye. */
import { model, ops } from "../../../index.js";
import { F64, type CaseTable } from "./types.js";

export const SOURCE_CASES: CaseTable = {
  input: [
    {
      name: "an input is passed through unchanged",
      model: model("input-identity", ({ input }) => ({ y: input("X", [2, 3], F64) })),
      inputs: { X: [[1, -2, 3.5], [0, 1e-300, -1e300]] },
      expected: { y: [[1, -2, 3.5], [0, 1e-300, -1e300]] },
    },
    {
      name: "named dims are bound by the data (B = 3)",
      model: model("input-named", ({ input }) => ({ y: ops.sum(input("X", ["B", 2], F64), { axis: 1 }) })),
      inputs: { X: [[1, 2], [3, 4], [5, 6]] },
      // Row sums 1+2, 3+4, 5+6.
      expected: { y: [3, 7, 11] },
    },
  ],
  param: [
    {
      name: "params not given take their init (ones, zeros, identity)",
      model: model("param-inits", ({ param }) => ({
        ones: param("A", [2, 3], { init: "ones", dtype: "f64" }),
        zeros: param("Z", [2], { init: "zeros", dtype: "f64" }),
        eye: param("I", [2, 3, 3], { init: "identity", dtype: "f64" }),
      })),
      inputs: {},
      expected: {
        ones: [[1, 1, 1], [1, 1, 1]],
        zeros: [0, 0],
        eye: [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]],
      },
    },
    {
      name: "a param given in the run is used as given",
      model: model("param-given", ({ input, param }) => ({ y: ops.mul(input("x", [2], F64), param("w", [2], { init: "normal", dtype: "f64" })) })),
      inputs: { x: [2, 3], w: [0.5, -4] },
      // [2·0.5, 3·(−4)].
      expected: { y: [1, -12] },
    },
  ],
  constant: [
    {
      name: "plain numbers become scalar constants",
      model: model("constant-add", ({ input }) => ({ y: ops.add(input("x", [3], F64), 2.5) })),
      inputs: { x: [1, -1, 0] },
      expected: { y: [3.5, 1.5, 2.5] },
    },
  ],
  eye: [
    {
      name: "eye(n) is the identity; X + 2·I adds 2 on the diagonal",
      model: model("eye", ({ input }) => ({ I: ops.eye(3, { dtype: "f64" }), y: ops.add(input("X", [2, 2], F64), ops.mul(ops.eye(2, { dtype: "f64" }), 2)) })),
      inputs: { X: [[1, 2], [3, 4]] },
      expected: { I: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], y: [[3, 2], [3, 6]] },
    },
    {
      name: "eye with a named dim takes its size from the run",
      model: model("eye-named", ({ input }) => ({ y: ops.matmul(input("X", ["n", "n"], F64), ops.eye("n", { dtype: "f64" })) })),
      inputs: { X: [[1, 2], [3, 4]] },
      expected: { y: [[1, 2], [3, 4]] },
    },
  ],
};
