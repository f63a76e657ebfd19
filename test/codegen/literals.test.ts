/** WGSL float literals read as floats at every magnitude (codegen/wgsl-literal.ts). */
import { describe, expect, it } from "vitest";
import { floatLiteral } from "../../codegen/wgsl-literal.js";
import { f32 } from "../../codegen/expr.js";

describe("WGSL float literals", () => {
  it.each([
    [0, "0.0"], [3, "3.0"], [-3, "(-3.0)"], [0.5, "0.5"], [1e15, "1000000000000000.0"],
    [10293942465593344, "10293942465593344.0"], [-1e20, "(-100000000000000000000.0)"], [1e21, "1e+21"], [1.5e-7, "1.5e-7"],
  ])("%s → %s", (x, want) => {
    expect(floatLiteral(x)).toBe(want);
    expect(f32(x)).toBe(want);
  });
  it("has a point or an exponent, so WGSL never reads it as an integer", () => {
    for (let e = -30; e <= 38; e++) for (const m of [1, 7, 1.25]) expect(floatLiteral(m * 10 ** e)).toMatch(/[.e]/);
  });
  it("refuses what has no literal (expr.ts f32 writes NaN and ±∞ as expressions)", () => {
    expect(() => floatLiteral(Infinity)).toThrow(RangeError);
    expect(f32(Number.NaN)).toBe("(0.0 / 0.0)");
  });
});
