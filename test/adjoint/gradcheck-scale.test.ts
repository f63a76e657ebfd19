/**
 * gradcheck's own rules: errors relative to the scale of the gradients (an exactly zero gradient
 * passes, a wrong one fails however small the others are) and perturbations that keep the
 * structure an input is declared or asserted to have downstream.
 */
import { describe, expect, it } from "vitest";
import { linalg, model, ops } from "../../index.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { registerOp } from "../../ir/registry.js";
import { map } from "../../numeric/elementwise.js";
import { ndarray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { F64, graphModel, orthogonal, randn, spd } from "./cases/types.js";

const f64 = (rows: number[][]) => ndarray([rows.length, rows[0].length], rows.flat());
const Z = f64([[2, 1, 0], [0, 3, 1], [1, 0, 4]]);
const W = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

// x³ with the derivative off by 1 % (3.03x²): gradcheck must catch a gradient this close.
registerOp({
  name: "test.cubeWrongGrad",
  family: "elementwise",
  arity: 1,
  doc: "x³, with a wrong derivative (tests gradcheck)",
  infer: ([x]) => [x],
  evalCPU: ([x]) => [map(x, (v) => v * v * v)],
  adjoint: ({ inputs: [x], cotangents: [g], e }) => [e.mul(e.mul(g!, e.mul(x, x)), 3.03)],
});

describe("gradcheck: errors relative to the scale of the gradients", () => {
  it("an exactly zero gradient passes: rangeProjector of a square full-rank Z is I (loss ×1000)", () => {
    // Was: rel 1.00 for Z — finite-difference round-off (~5e-7) over an absolute floor of 1e-8.
    const m = model("zero-grad", ({ input }) => ({ loss: ops.mul(ops.sum(ops.mul(linalg.rangeProjector(input("Z", [3, 3], F64)), input("W", [3, 3], F64))), 1000) }));
    const r = gradcheck(m.build(), new Map([["Z", Z], ["W", W]]));
    const z = r.inputs.find((i) => i.name === "Z")!;
    expect(r.grads.get("Z")!.data.every((v) => Math.abs(v) < 1e-9)).toBe(true);
    expect(z.maxAbsError).toBeGreaterThan(0); // the differences do see round-off
    expect(r.worst).toBeLessThanOrEqual(1e-6);
  });

  it.each([
    [1, 1e-2],
    [1e2, 1e-2],
    [1e4, 1e-4],
  ])("a 1 %% wrong gradient fails next to a gradient %s times larger (relative error ≥ %s)", (factor, least) => {
    const m = graphModel(`wrong-grad-${factor}`, (b) => {
      const x = b.input("x", [3]);
      const big = b.op("mul", [b.dot(b.input("y", [3]), "Wy"), b.op("constant", [], { value: factor, dtype: "f64" })]);
      return { loss: b.op("add", [b.dot(b.op("test.cubeWrongGrad", [x]), "Wx"), big]) };
    });
    const r = new Random(3);
    const res = gradcheck(m.build(), new Map([["x", randn(r, [3])], ["Wx", randn(r, [3])], ["y", randn(r, [3])], ["Wy", randn(r, [3])]]));
    const x = res.inputs.find((i) => i.name === "x")!;
    expect(x.relError).toBeGreaterThan(least / 4);
    expect(res.worst).toBeGreaterThan(1e-6); // the default --tol
    expect(res.inputs.filter((i) => i.name !== "x").every((i) => i.relError < 1e-7)).toBe(true);
  });
});

describe("gradcheck: perturbations keep the structure asserted downstream", () => {
  it("a general input asserted SPD downstream (assume(2X, spd) → logm) moves in symmetric directions", () => {
    // Was: MP5001 assume failed: not symmetric — X[0, 1] was moved alone.
    const m = model("assumed-spd", ({ input }) => {
      const S = ops.assume(ops.mul(input("X", [3, 3], F64), 2), "spd");
      return { loss: ops.sum(ops.mul(linalg.logm(S), input("W", [3, 3], F64))) };
    });
    const r = gradcheck(m.build(), new Map([["X", spd(new Random(4), 3)], ["W", W]]));
    const x = r.inputs.find((i) => i.name === "X")!;
    expect(x.directions).toBe("symmetric");
    expect(x.checked).toBe(6);
    expect(r.worst).toBeLessThanOrEqual(1e-7);
  });

  it("an input asserted diagonal downstream moves on its diagonal only", () => {
    const m = model("assumed-diagonal", ({ input }) => {
      const D = ops.assume(ops.mul(input("X", [3, 3], F64), 3), "diagonal");
      return { loss: ops.sum(ops.mul(ops.mul(D, D), input("W", [3, 3], F64))) };
    });
    const X = f64([[0.5, 0, 0], [0, 0.2, 0], [0, 0, -0.3]]);
    const r = gradcheck(m.build(), new Map([["X", X], ["W", W]]));
    const x = r.inputs.find((i) => i.name === "X")!;
    expect(x.directions).toBe("diagonal");
    expect(x.checked).toBe(3);
    expect(r.worst).toBeLessThanOrEqual(1e-7);
  });

  it("an orthogonal input is not perturbed, and says so", () => {
    const m = model("orthogonal-input", ({ input }) => {
      const Q = input("Q", [3, 3], { dtype: "f64", structure: "orthogonal" });
      return { loss: ops.sum(ops.mul(ops.matmul(Q, input("A", [3, 3], F64)), input("W", [3, 3], F64))) };
    });
    const r = gradcheck(m.build(), new Map([["Q", ndarray([3, 3], orthogonal(new Random(5), 3))], ["A", Z], ["W", W]]));
    const q = r.inputs.find((i) => i.name === "Q")!;
    expect(q.directions).toBe("none");
    expect(q.checked).toBe(0);
    expect(r.worst).toBeLessThanOrEqual(1e-7);
  });
});
