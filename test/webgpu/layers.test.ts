/**
 * The paper's two layers, forward and backward, on WebGPU against the f64 CPU executor; and the
 * repeated-eigenvalue gradients (X = I, diag(2, 2, 1, 3), a 5×5 matrix with equal top
 * eigenvalues) staying finite and equal to the CPU's — which test/adjoint checks against the
 * closed-form Daleckii–Krein values — when the eigensolver and the Loewner matrix run in f32.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import type { Graph } from "../../ir/graph.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { conjugateDiag, orthogonal, randn, uniform } from "../adjoint/cases/types.js";
import { ncuts, ncutsGaussian } from "../models/adjoint/ncuts.js";
import { o2p, o2pBatched } from "../models/adjoint/o2p.js";
import { handWritten, projectorLoss, spectralLoss, type SpectralOp } from "../models/adjoint/spectral-ties.js";
import { compareBoth } from "./compare.js";
import { hasGPU } from "./gpu.js";

const TOL = 2e-4;

/** The forward graph and the training step (forward + backward), each on both backends. */
const compare = (graph: Graph, feeds: Map<string, NDArray>, tol = TOL) => compareBoth(graph, feeds, tol);

const seg = [0, 0, 0, 1, 1, 1];
const projectorOf = (s: readonly number[]) => ndarray([6, 6], Array.from({ length: 36 }, (_, k) => (s[Math.floor(k / 6)] === s[k % 6] ? 1 / 3 : 0)));
function features(seed: number): NDArray {
  const F = uniform(new Random(seed), [6, 2], 0.1, 0.4);
  for (let i = 0; i < 6; i++) F.data[i * 2 + (seg[i] === 0 ? 0 : 1)] += 1;
  return F;
}

describe.runIf(hasGPU)("the paper's layers on WebGPU", () => {
  it("second-order pooling, F [6, 3]", () => compare(o2p.build(), new Map([["F", randn(new Random(21), [6, 3])]])));
  it("second-order pooling, batched F [2, 6, 3]", () => compare(o2pBatched.build(), new Map([["F", randn(new Random(22), [2, 6, 3])]])));
  it("normalized cuts, rangeProjector", () => compare(ncuts.build(), new Map([["F", features(31)], ["PiY", projectorOf(seg)]])));
  it("normalized cuts, Gaussian affinity and topEigenProjector", () => compare(ncutsGaussian.build(), new Map([["F", features(32)], ["PiY", projectorOf(seg)]])));
});

describe.runIf(hasGPU)("repeated eigenvalues on WebGPU", () => {
  const q5 = orthogonal(new Random(7), 5);
  const spectra: [string, NDArray][] = [
    ["X = I", ndarray([4, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])],
    ["X = diag(2, 2, 1, 3)", ndarray([4, 4], [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3])],
    ["Q diag(1, 2, 3, 5, 5) Qᵀ", ndarray([5, 5], conjugateDiag(q5, [1, 2, 3, 5, 5]))],
  ];
  const W = (n: number) => randn(new Random(40 + n), [n, n]);
  for (const [label, X] of spectra) {
    const n = X.shape[0];
    for (const op of ["logm", "sqrtm", "expm"] as SpectralOp[]) {
      it(`${op} at ${label}`, () => compare(spectralLoss(op, n).build(), new Map([["X", X], ["W", W(n)]])));
    }
    it(`hand-written U·diag(log w)·Uᵀ at ${label}`, () => compare(handWritten("log", "U·diagm(g(w))·Uᵀ", n).build(), new Map([["X", X], ["W", W(n)]])));
  }
  it("topEigenProjector(k = 2) with a tie inside the top block", () => {
    const X = ndarray([5, 5], conjugateDiag(q5, [1, 1, 3, 5, 5]));
    return compare(projectorLoss(5, 2).build(), new Map([["X", X], ["W", W(5)]]));
  });
});

describe.runIf(hasGPU)("every example model on WebGPU matches the CPU executor (forward and training step)", async () => {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { pathToFileURL } = await import("node:url");
  const { parseInputs } = await import("../../compiler/cli/inputs.js");
  const root = path.resolve(import.meta.dirname, "..", "..");
  const dirs = fs.readdirSync(path.join(root, "examples")).filter((d) => fs.existsSync(path.join(root, "examples", d, "model.ts")) && fs.existsSync(path.join(root, "examples", d, "inputs.json")));
  it("finds the examples", () => expect(dirs.length).toBeGreaterThanOrEqual(4));
  for (const d of dirs) {
    it(d, async () => {
      const m = (await import(pathToFileURL(path.join(root, "examples", d, "model.ts")).href)).default;
      const feeds = parseInputs(JSON.parse(fs.readFileSync(path.join(root, "examples", d, "inputs.json"), "utf8")));
      const g = m.build() as Graph;
      await compare(g, feeds, 1e-3);
    });
  }
});
