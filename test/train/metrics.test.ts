/** Adjusted Rand index, effective rank, k-means and the SVG chart on cases with known answers. */
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, effectiveRank, kMeans, lineChartSvg, singularValues } from "../../compiler/train/index.js";

describe("adjusted Rand index", () => {
  it("is 1 for identical partitions, whatever the label names", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [0, 0, 1, 1, 2])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, 3, 3, 5])).toBe(1);
  });

  it("a hand-computed case: [0,0,0,1,1,1] vs [0,0,1,1,2,2]", () => {
    // Contingency n_ij: row 0 → (2, 1, 0), row 1 → (0, 1, 2). Σ C(n_ij, 2) = 1 + 1 = 2.
    // Rows: C(3,2)·2 = 6; columns: C(2,2)·3 = 3; C(6,2) = 15; expected = 6·3/15 = 1.2;
    // max = (6 + 3)/2 = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 0.8/3.3.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.8 / 3.3, 14);
  });

  it("is negative for a partition that splits every pair the other joins", () => {
    // [0,0,1,1] vs [0,1,0,1]: Σ C(n_ij,2) = 0, expected = 2·2/6, max = 2 → ARI = −(2/3)/(4/3) = −0.5.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
  });

  it("is symmetric", () => {
    const a = [0, 1, 1, 2, 2, 2, 0, 1];
    const b = [1, 1, 0, 0, 2, 2, 2, 1];
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 14);
  });
});

describe("effective rank", () => {
  it("of the identity is n (entropy) and n (numerical)", () => {
    const I = new Float64Array(16);
    for (let i = 0; i < 4; i++) I[i * 5] = 1;
    const r = effectiveRank(I, 4, 4);
    expect(r.entropy).toBeCloseTo(4, 12);
    expect(r.numerical).toBe(4);
  });

  it("of a rank-one matrix is 1", () => {
    const u = [1, 2, 3];
    const v = [4, -1];
    const A = u.flatMap((x) => v.map((y) => x * y));
    const r = effectiveRank(A, 3, 2);
    expect(r.entropy).toBeCloseTo(1, 6);
    expect(r.numerical).toBe(1);
  });

  it("of diag(3, 1): singular values (3, 1), entropy of (3/4, 1/4)", () => {
    const r = effectiveRank([3, 0, 0, 1], 2, 2);
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(r.entropy).toBeCloseTo(Math.exp(h), 12);
    expect(r.numerical).toBe(2);
  });

  it("counts singular values above 1e-3·σmax only", () => {
    expect(effectiveRank([1, 0, 0, 1e-4], 2, 2).numerical).toBe(1);
    expect(singularValues([0, 2, 0, 0, 0, 5], 2, 3)).toEqual([5, 2]);
  });
});

describe("k-means", () => {
  it("separates two well-separated blobs", () => {
    const pts = [0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.1];
    const labels = kMeans(pts, 6, 2, 2, { seed: 3 });
    expect(adjustedRandIndex(labels, [0, 0, 0, 1, 1, 1])).toBe(1);
  });
});

describe("line chart", () => {
  it("is an SVG with one polyline per series and escaped names", () => {
    const svg = lineChartSvg(
      [
        { name: "a<b", points: [[0, 1], [1, 0.5], [2, NaN], [3, 0.25]] },
        { name: "c", points: [[0, 0], [3, 1]] },
      ],
      { title: "loss & more" },
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain("a&lt;b");
    expect(svg).toContain("loss &amp; more");
    expect(svg).not.toContain("NaN");
  });
});
