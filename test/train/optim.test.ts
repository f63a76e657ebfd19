/** Adam and SGD on the quadratic f(p) = ½ Σ a_i p_i², gradient a ∘ p: first steps worked out by hand. */
import { describe, expect, it } from "vitest";
import { Adam, SGD } from "../../compiler/train/index.js";

const a = Float64Array.of(1, 4);
const grad = (p: Float64Array) => Float64Array.from(p, (x, i) => a[i] * x);

function run(opt: { step(p: Map<string, Float64Array>, g: Map<string, Float64Array>): void }, steps: number): Float64Array[] {
  const p = Float64Array.of(1, -2);
  const trace = [Float64Array.from(p)];
  for (let s = 0; s < steps; s++) {
    opt.step(new Map([["p", p]]), new Map([["p", grad(p)]]));
    trace.push(Float64Array.from(p));
  }
  return trace;
}

describe("SGD", () => {
  it("without momentum: p ← p − lr g", () => {
    // g0 = (1, −8) → p1 = (1 − 0.1, −2 + 0.8) = (0.9, −1.2)
    const [, p1, p2] = run(new SGD({ lr: 0.1 }), 2);
    expect([...p1]).toEqual([0.9, expect.closeTo(-1.2, 12)]);
    // g1 = (0.9, −4.8) → p2 = (0.81, −0.72)
    expect(p2[0]).toBeCloseTo(0.81, 12);
    expect(p2[1]).toBeCloseTo(-0.72, 12);
  });

  it("momentum 0.9: v ← 0.9 v + g, p ← p − lr v", () => {
    const [, p1, p2] = run(new SGD({ lr: 0.1, momentum: 0.9 }), 2);
    // v1 = g0 = (1, −8): p1 = (0.9, −1.2) as plain SGD
    expect(p1[0]).toBeCloseTo(0.9, 12);
    expect(p1[1]).toBeCloseTo(-1.2, 12);
    // g1 = (0.9, −4.8), v2 = (0.9 + 0.9, −7.2 − 4.8) = (1.8, −12): p2 = (0.72, 0)
    expect(p2[0]).toBeCloseTo(0.72, 12);
    expect(p2[1]).toBeCloseTo(0, 12);
  });

  it("converges on the quadratic", () => {
    const trace = run(new SGD({ lr: 0.1, momentum: 0.5 }), 200);
    expect(Math.hypot(...trace.at(-1)!)).toBeLessThan(1e-8);
  });
});

describe("Adam", () => {
  it("first step moves every coordinate by lr against the sign of its gradient", () => {
    // m̂1 = g, v̂1 = g², so Δ = −lr g / (|g| + ε) ≈ −lr sign(g).
    const [, p1] = run(new Adam({ lr: 0.1, eps: 0 }), 1);
    expect(p1[0]).toBeCloseTo(0.9, 12);
    expect(p1[1]).toBeCloseTo(-1.9, 12);
  });

  it("second step by hand (β1 = 0.9, β2 = 0.999, ε = 0)", () => {
    const [, , p2] = run(new Adam({ lr: 0.1, eps: 0 }), 2);
    // Coordinate 0: g0 = 1, g1 = 0.9. m2 = 0.9·0.1·1 + 0.1·0.9 = 0.18, m̂ = 0.18/0.19;
    // v2 = 0.999·0.001·1 + 0.001·0.81 = 0.001809, v̂ = 0.001809/0.001999.
    const m0 = 0.18 / 0.19;
    const v0 = 0.001809 / (1 - 0.999 ** 2);
    expect(p2[0]).toBeCloseTo(0.9 - (0.1 * m0) / Math.sqrt(v0), 12);
    // Coordinate 1: g0 = −8, g1 = 4·(−1.9) = −7.6.
    const m1 = (0.9 * 0.1 * -8 + 0.1 * -7.6) / 0.19;
    const v1 = (0.999 * 0.001 * 64 + 0.001 * 57.76) / (1 - 0.999 ** 2);
    expect(p2[1]).toBeCloseTo(-1.9 - (0.1 * m1) / Math.sqrt(v1), 12);
  });

  it("converges on the quadratic and counts its steps", () => {
    const opt = new Adam({ lr: 0.05 });
    const trace = run(opt, 500);
    expect(opt.steps).toBe(500);
    expect(Math.hypot(...trace.at(-1)!)).toBeLessThan(1e-2);
  });

  it("rejects a gradient of the wrong length", () => {
    expect(() => new Adam({ lr: 1 }).step(new Map([["p", new Float64Array(2)]]), new Map([["p", new Float64Array(3)]]))).toThrow(/has 2 values but its gradient 3/);
  });
});
