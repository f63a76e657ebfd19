import { describe, expect, it } from "vitest";
import { tensorType } from "../../ir/types.js";
import { MatpropError } from "../../ir/diagnostics.js";
import { arr, expectClose } from "../runtime/cpu/helpers.js";
import { infer, run } from "./helpers.js";

describe("sign", () => {
  it("is −1, 0, 1 as NumPy's, with −0 giving 0", () => {
    const y = run("sign", [arr([[-2.5, 0, 3], [-0, 1e-300, -1e-300]])]);
    expect(Array.from(y.data)).toEqual([-1, 0, 1, 0, 1, -1]);
    expect(Object.is(y.data[3], -0)).toBe(false);
    expect(y.shape).toEqual([2, 3]);
  });
  it("keeps symmetry, drops other structure", () => {
    expect(infer("sign", [tensorType("f64", [3, 3], "spd")]).structure).toBe("symmetric");
    expect(infer("sign", [tensorType("f64", [3, 3], "orthogonal")]).structure).toBe("general");
    expect(infer("sign", [tensorType("f32", ["B", 4])])).toEqual(tensorType("f32", ["B", 4]));
  });
});

describe("broadcastTo", () => {
  it("repeats along new leading dims and size-1 dims", () => {
    const y = run("broadcastTo", [arr([[1], [2]])], { shape: [3, 2, 2] });
    expect(y.shape).toEqual([3, 2, 2]);
    expect(Array.from(y.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2]);
  });
  it("resolves named dims and broadcasts scalars", () => {
    const y = run("broadcastTo", [arr(7)], { shape: ["B", 2] }, { B: 2 });
    expectClose(y, arr([[7, 7], [7, 7]]), 0);
    const t = infer("broadcastTo", [tensorType("f64", [])], { shape: ["B", 2] });
    expect(t).toEqual(tensorType("f64", ["B", 2]));
    expect(infer("broadcastTo", [tensorType("f64", [])], { shape: [3, 3] }).structure).toBe("general");
  });
  it("refuses shapes that do not broadcast to exactly the target", () => {
    const bad = (from: (number | string)[], to: (number | string)[]) => () => infer("broadcastTo", [tensorType("f64", from)], { shape: to });
    expect(bad([3], [2])).toThrow(MatpropError);
    expect(bad([3], [1])).toThrow(/cannot broadcast/); // would need a reduction, not a broadcast
    expect(bad([2, 3], [3])).toThrow(/cannot broadcast/);
    expect(bad(["B"], ["C"])).toThrow(MatpropError);
    expect(() => run("broadcastTo", [arr([1, 2, 3])], { shape: [1] })).toThrow(RangeError);
  });
});

describe("dimSize", () => {
  it("holds the size of a dim as a scalar", () => {
    expect(run("dimSize", [], { dim: "N", dtype: "f64" }, { N: 17 }).data[0]).toBe(17);
    const y = run("dimSize", [], { dim: 5, dtype: "f32" });
    expect(y.shape).toEqual([]);
    expect(y.data[0]).toBe(5);
    expect(infer("dimSize", [], { dim: "N", dtype: "f32" })).toEqual(tensorType("f32", []));
    expect(() => infer("dimSize", [], { dim: 1.5, dtype: "f32" })).toThrow(/'dim'/);
    expect(() => infer("dimSize", [], { dim: "N", dtype: "f16" })).toThrow(/dtype/);
  });
});
