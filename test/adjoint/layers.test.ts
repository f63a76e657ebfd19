/**
 * The paper's two structured layers, end to end through the gradient check (f64 central
 * differences against the adjoint pass, ≤ 1e-7 normwise relative for every input and param).
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { randn, uniform } from "./cases/types.js";
import { o2p, o2pBatched } from "../models/adjoint/o2p.js";
import { ncuts, ncutsGaussian } from "../models/adjoint/ncuts.js";
import type { Graph } from "../../ir/graph.js";

const TOL = 1e-7;

function check(graph: Graph, feeds: Map<string, NDArray>, names: string[]): void {
  const r = gradcheck(graph, feeds, { seed: 1 });
  expect(r.inputs.map((i) => i.name).sort()).toEqual([...names].sort());
  for (const i of r.inputs) expect(i.relError, `${i.name} (abs ${i.maxAbsError})`).toBeLessThanOrEqual(TOL);
  for (const g of r.grads.values()) expect(g.data.every(Number.isFinite)).toBe(true);
}

/** Π_Y = Y (YᵀY)⁻¹ Yᵀ for the indicator Y of segments `seg` (per position), by hand: 1/|S| within a segment. */
function segmentationProjector(seg: readonly number[]): NDArray {
  const n = seg.length;
  const count = (s: number) => seg.filter((x) => x === s).length;
  return ndarray([n, n], Array.from({ length: n * n }, (_, k) => (seg[Math.floor(k / n)] === seg[k % n] ? 1 / count(seg[k % n]) : 0)));
}

describe("second-order pooling: loss = ⟨logm(cov(F, ε = 1e-3)), W⟩", () => {
  it("F [6, 3], W a param", () => {
    check(o2p.build(), new Map([["F", randn(new Random(21), [6, 3])]]), ["F", "W"]);
  });
  it("batched F [2, 6, 3], W [3, 3] shared", () => {
    check(o2pBatched.build(), new Map([["F", randn(new Random(22), [2, 6, 3])]]), ["F", "W"]);
  });
});

describe("normalized cuts: J = ½‖Π_W − Π_Y‖²", () => {
  const seg = [0, 0, 0, 1, 1, 1];
  /** Two clusters of positive features (every affinity, hence every degree, is positive). */
  function features(seed: number): NDArray {
    const r = new Random(seed);
    const F = uniform(r, [6, 2], 0.1, 0.4);
    for (let i = 0; i < 6; i++) F.data[i * 2 + (seg[i] === 0 ? 0 : 1)] += 1;
    return F;
  }

  it("Π_W = rangeProjector(D^{-1/2} F), affinity F Fᵀ", () => {
    check(ncuts.build(), new Map([["F", features(31)], ["PiY", segmentationProjector(seg)]]), ["F", "PiY"]);
  });

  it("Gaussian affinity, Π_W = topEigenProjector(D^{-1/2} A D^{-1/2}, 2)", () => {
    check(ncutsGaussian.build(), new Map([["F", features(32)], ["PiY", segmentationProjector(seg)]]), ["F", "PiY"]);
  });
});
