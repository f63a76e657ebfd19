/** Training charts: axes with round ticks at both ends (linear and log), the EMA, and the figure's parts. */
import { describe, expect, it } from "vitest";
import { linearAxis, logAxis, tickLabel } from "../../compiler/train/chart-axis.js";
import { chartsSvg, ema, emaBeta } from "../../compiler/train/index.js";
import { Random } from "../../numeric/random.js";

/** Bounded random ranges [lo, hi] over many magnitudes, seeded. */
function ranges(count: number, positive: boolean): [number, number][] {
  const rng = new Random(11);
  return Array.from({ length: count }, () => {
    const a = 10 ** (rng.uniform() * 8 - 4) * (positive || rng.uniform() < 0.7 ? 1 : -1);
    const b = a + Math.abs(a) * 10 ** (rng.uniform() * 3 - 2);
    return [a, b];
  });
}

describe("axes", () => {
  it("linear: the ends are ticks, the data lies inside, at most one step of slack at either end", () => {
    for (const [lo, hi] of ranges(300, false)) {
      const a = linearAxis(lo, hi);
      const step = a.ticks[1] - a.ticks[0];
      expect(a.ticks[0]).toBe(a.lo);
      expect(a.ticks.at(-1)).toBeCloseTo(a.hi, 9);
      expect(a.lo).toBeLessThanOrEqual(lo);
      expect(a.hi).toBeGreaterThanOrEqual(hi * (1 - 1e-12) - 1e-300);
      expect(lo - a.lo).toBeLessThan(step * (1 + 1e-9));
      expect(a.hi - hi).toBeLessThan(step * (1 + 1e-9));
      expect(a.ticks.length).toBeGreaterThanOrEqual(3);
      expect(a.ticks.length).toBeLessThanOrEqual(12);
    }
    expect(linearAxis(0.43, 3.59).ticks).toEqual([0, 1, 2, 3, 4]);
    expect(linearAxis(0, 1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("log: 1-2-5 ticks from the largest at or below the data to the smallest at or above it", () => {
    for (const [lo, hi] of ranges(300, true)) {
      const a = logAxis(lo, hi);
      expect(a.lo).toBeLessThanOrEqual(lo * (1 + 1e-12));
      expect(a.lo).toBeGreaterThan(lo / 2.5 - 1e-300); // a tick near the bottom: within one 1-2-5 step
      expect(a.hi).toBeGreaterThanOrEqual(hi * (1 - 1e-12));
      expect(a.hi).toBeLessThan(hi * 2.5 + 1e-300);
      expect(a.ticks[0]).toBe(a.lo);
      expect(a.ticks.at(-1)).toBe(a.hi);
      for (const t of a.ticks) expect([1, 2, 5]).toContain(Number(t.toExponential(0).split("e")[0]));
      expect(a.at(a.lo)).toBe(0);
      expect(a.at(a.hi)).toBeCloseTo(1, 12);
    }
    expect(logAxis(0.43, 3.59).ticks).toEqual([0.2, 0.5, 1, 2, 5]);
    expect(() => logAxis(0, 1)).toThrow(RangeError);
  });

  it("labels ticks without float noise", () => {
    expect([0.30000000000000004, 0, 1e-5, 25000, 0.2].map((v) => tickLabel(v))).toEqual(["0.3", "0", "1e-5", "25k", "0.2"]);
    expect(tickLabel(0.1, true)).toBe("10%");
  });
});

describe("ema", () => {
  it("is bias-corrected: a constant stays constant from the first step", () => {
    expect(ema([3, 3, 3, 3], 0.9).map(([, y]) => y).every((y) => Math.abs(y - 3) < 1e-12)).toBe(true);
  });

  it("follows a step with time constant 1/(1−β), and numbers steps from 1", () => {
    const s = ema([...Array(50).fill(0), ...Array(200).fill(1)], 0.9);
    expect(s[0][0]).toBe(1);
    expect(s[49][1]).toBe(0);
    // Ten steps into the ones (step 60): (1 − β¹⁰), divided by the bias correction 1 − β⁶⁰.
    expect(s[50 + 9][1]).toBeCloseTo((1 - 0.9 ** 10) / (1 - 0.9 ** 60), 12);
    expect(s.at(-1)![1]).toBeGreaterThan(0.999);
  });

  it("β from the run length: about 1/20 of the steps, at least 5", () => {
    expect(emaBeta(100)).toBeCloseTo(0.8, 12);
    expect(emaBeta(1000)).toBeCloseTo(0.98, 12);
    expect(emaBeta(10)).toBeCloseTo(0.8, 12);
  });
});

describe("chartsSvg", () => {
  const svg = chartsSvg(
    [
      {
        series: [
          { name: "A", points: [[1, 3], [2, 0], [3, 1]], faint: true },
          { name: "A", points: [[1, 3], [2, 2], [3, 1]] },
          { name: "B", points: [[1, 2.5], [2, 2], [3, NaN]] },
        ],
        opts: { title: "loss", yScale: "log" },
      },
      { series: [{ name: "A", points: [[0, 0.1], [3, 0.5]], style: "markers" }, { name: "B", points: [[0, 0.12], [3, 0.3]], style: "markers" }], opts: { title: "accuracy", yRange: [0, 1], yPercent: true, references: [{ y: 0.1, label: "chance & more" }] } },
    ],
    { title: "both models", note: "thin: raw" },
  );

  it("one legend entry per model across panels, in the models' colours", () => {
    expect(svg.match(/stroke-width="2.5"/g)).toHaveLength(2);
    expect(svg).toContain(">A</text>");
    expect(svg).toContain(">B</text>");
  });

  it("skips what a log axis cannot show and NaN; draws a marker per evaluation", () => {
    expect(svg).not.toContain("NaN");
    // faint A keeps 2 of 3 points (0 is off a log axis), A 3, B 2: three polylines.
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg.match(/<circle/g)).toHaveLength(4);
  });

  it("labels the reference line and percent ticks, escaped", () => {
    expect(svg).toContain("chance &amp; more");
    expect(svg).toContain(">100%</text>");
    expect(svg).toContain(">thin: raw</text>");
  });
});
