/**
 * Gradients at exactly repeated eigenvalues. The Daleckii–Krein rule (docs/architecture.md, rule 2) is finite
 * there; so is the top-k projector rule (rule 3) as long as the k-th and (k+1)-th eigenvalues
 * differ. Expected values are computed here from the closed form
 *   X̄ = Q (L ∘ (Qᵀ sym(W) Q)) Qᵀ,  L_ij = (f(λ_i) − f(λ_j))/(λ_i − λ_j),  L_ii = f′(λ_i)
 * (for the projector, L → G with G_ij = G_ji = 1/(λ_i − λ_j), i in the top block, j outside),
 * using the eigenbasis Q the test built X from — no matprop kernel or adjoint is involved.
 *
 * Where the derivative does not exist — eigenvectors at a repeated eigenvalue, the projector with no
 * gap — matprop stops with MP5001 naming the DSL line of the eigh / topEigenProjector call. PyTorch
 * documents the opposite choice: torch.linalg.eigh's backward "will only be finite when A has
 * distinct eigenvalues" and otherwise returns inf/NaN gradients silently (the eigenvector term
 * divides by λ_j − λ_i = 0), and torch has no Daleckii–Krein path for a hand-written U diag(g(w)) Uᵀ.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectCloseToClosedForm } from "./closed-form.js";
import "../../index.js";
import { MatpropError } from "../../ir/diagnostics.js";
import type { Graph } from "../../ir/graph.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { conjugateDiag, orthogonal, randn } from "./cases/types.js";
import { eigenvectorLoss, handWritten, paramInG, powmLoss, projectorLoss, spectralLoss, twoBases, type Elementwise, type Spelling } from "../models/adjoint/spectral-ties.js";

const TOL = 1e-8;
const MODEL_FILE = path.resolve(import.meta.dirname, "../models/adjoint/spectral-ties.ts");

// ---- the closed form, in plain arithmetic ---------------------------------------------------

type Fn = Elementwise;
const f: Record<Fn, (x: number) => number> = { log: Math.log, sqrt: Math.sqrt, exp: Math.exp };
const df: Record<Fn, (x: number) => number> = { log: (x) => 1 / x, sqrt: (x) => 0.5 / Math.sqrt(x), exp: Math.exp };
const OP_OF: Record<Fn, "logm" | "sqrtm" | "expm"> = { log: "logm", sqrt: "sqrtm", exp: "expm" };

/** Q (K ∘ (Qᵀ sym(W) Q)) Qᵀ for row-major n×n Q (eigenvectors as columns) and W. */
function conjugateKernel(q: Float64Array, w: Float64Array, kernel: (i: number, j: number) => number): Float64Array {
  const n = Math.round(Math.sqrt(q.length));
  const s = (i: number, j: number) => 0.5 * (w[i * n + j] + w[j * n + i]);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) x += q[a * n + i] * s(a, b) * q[b * n + j];
      m[i * n + j] = kernel(i, j) * x;
    }
  }
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let x = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x += q[a * n + i] * m[i * n + j] * q[b * n + j];
      out[a * n + b] = x;
    }
  }
  return out;
}

function loewner(fn: Fn, lam: readonly number[]) {
  return (i: number, j: number) => (lam[i] === lam[j] ? df[fn](lam[i]) : (f[fn](lam[i]) - f[fn](lam[j])) / (lam[i] - lam[j]));
}

/** G for the top-k projector: 1/(λ_i − λ_j) between the k largest and the rest, 0 elsewhere. */
function projectorKernel(lam: readonly number[], k: number) {
  const order = lam.map((_, i) => i).sort((a, b) => lam[b] - lam[a]);
  const top = new Set(order.slice(0, k));
  if (lam[order[k - 1]] === lam[order[k]]) throw new Error("test setup: no gap at k");
  // Symmetric: 1/(λ_top − λ_bottom) on both sides of the diagonal.
  return (i: number, j: number) => (top.has(i) === top.has(j) ? 0 : top.has(i) ? 1 / (lam[i] - lam[j]) : 1 / (lam[j] - lam[i]));
}

// ---- the matrices -------------------------------------------------------------------------------

interface Spectrum {
  readonly name: string;
  readonly q: Float64Array;
  readonly lam: readonly number[];
}

const identity = (n: number) => Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
const Q5 = orthogonal(new Random(7), 5);

const I4: Spectrum = { name: "X = I (4×4)", q: identity(4), lam: [1, 1, 1, 1] };
const D4: Spectrum = { name: "X = diag(2, 2, 1, 3)", q: identity(4), lam: [2, 2, 1, 3] };
const R5: Spectrum = { name: "X = Q diag(1, 2, 3, 5, 5) Qᵀ", q: Q5, lam: [1, 2, 3, 5, 5] };
const R5b: Spectrum = { name: "X = Q diag(1, 1, 3, 5, 5) Qᵀ", q: Q5, lam: [1, 1, 3, 5, 5] };

function feedsFor(s: Spectrum, extra: Record<string, NDArray> = {}): Map<string, NDArray> {
  const n = s.lam.length;
  const W = randn(new Random(11 + n), [n, n]);
  return new Map<string, NDArray>([["X", ndarray([n, n], conjugateDiag(s.q, s.lam))], ["W", W], ...Object.entries(extra)]);
}

function gradX(graph: Graph, feeds: Map<string, NDArray>): Float64Array {
  const g = executeCPU(graph, feeds).outputs.get("grad.X")!.data;
  expect(g.every(Number.isFinite), "grad.X is finite").toBe(true);
  return g;
}

const expectClose = (got: Float64Array, want: Float64Array) => expectCloseToClosedForm(got, want, TOL);

/** The line of the first `needle` after `export function <fn>` in the model file (1-based). */
function lineOf(fn: string, needle: string): number {
  const lines = fs.readFileSync(MODEL_FILE, "utf8").split("\n");
  const start = lines.findIndex((l) => l.includes(`export function ${fn}(`));
  const at = lines.findIndex((l, i) => i > start && l.includes(needle));
  if (start < 0 || at < 0) throw new Error(`test setup: '${needle}' not found in ${fn}`);
  return at + 1;
}

function expectMP5001At(run: () => unknown, fn: string, needle: string, message: RegExp): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err, "a coded error, not a number").toBeInstanceOf(MatpropError);
  const m = err as MatpropError;
  expect(m.code).toBe("MP5001");
  expect(m.message).toMatch(message);
  expect(m.loc?.file).toMatch(/test\/models\/adjoint\/spectral-ties\.ts$/);
  expect(m.loc?.line, `error at the ${needle} call`).toBe(lineOf(fn, needle));
}

// ---- the tests ------------------------------------------------------------------------------------

describe("spectral functions at repeated eigenvalues equal the Daleckii–Krein closed form", () => {
  for (const s of [I4, D4, R5]) {
    for (const fn of ["log", "sqrt", "exp"] as const) {
      it(`${OP_OF[fn]}: ${s.name}`, () => {
        const n = s.lam.length;
        const forward = spectralLoss(OP_OF[fn], n).build();
        const feeds = feedsFor(s);
        const got = gradX(differentiate(forward).graph, feeds);
        expectClose(got, conjugateKernel(s.q, feeds.get("W")!.data, loewner(fn, s.lam)));
        // Finite differences agree too: f is smooth across the tie even though eigh is not.
        expect(gradcheck(forward, feeds).worst).toBeLessThanOrEqual(1e-7);
      });
    }
  }
});

describe("powm (X^p) at repeated eigenvalues equals the Daleckii–Krein closed form", () => {
  // L_ij = (λᵢ^p − λⱼ^p)/(λᵢ − λⱼ), and p λᵢ^(p−1) where λᵢ = λⱼ: what the rule's limit is.
  const powKernel = (p: number, lam: readonly number[]) => (i: number, j: number) => (lam[i] === lam[j] ? p * lam[i] ** (p - 1) : (lam[i] ** p - lam[j] ** p) / (lam[i] - lam[j]));
  for (const s of [I4, D4, R5, R5b]) {
    for (const p of [0.5, -0.5, 1.7, 0.25]) {
      it(`p = ${p}: ${s.name}`, () => {
        const forward = powmLoss(p, s.lam.length).build();
        const feeds = feedsFor(s);
        const got = gradX(differentiate(forward).graph, feeds);
        expectClose(got, conjugateKernel(s.q, feeds.get("W")!.data, powKernel(p, s.lam)));
        expect(gradcheck(forward, feeds).worst).toBeLessThanOrEqual(1e-7);
      });
    }
  }
});

describe("topEigenProjector with ties inside a block (nonzero gap between the blocks)", () => {
  const cases: [Spectrum, number][] = [
    [R5b, 2], // top {5, 5}, bottom {1, 1, 3}: ties in both blocks
    [R5b, 3], // top {3, 5, 5}, bottom {1, 1}
    [R5, 2], // top {5, 5}
    [D4, 1], // top {3}, bottom {1, 2, 2}
    [D4, 3], // top {2, 2, 3}, bottom {1}
  ];
  for (const [s, k] of cases) {
    it(`${s.name}, k = ${k}`, () => {
      const forward = projectorLoss(s.lam.length, k).build();
      const feeds = feedsFor(s);
      const got = gradX(differentiate(forward).graph, feeds);
      expectClose(got, conjugateKernel(s.q, feeds.get("W")!.data, projectorKernel(s.lam, k)));
      expect(gradcheck(forward, feeds).worst).toBeLessThanOrEqual(1e-7);
    });
  }

  for (const [s, k] of [[I4, 2], [D4, 2]] as const) {
    it(`${s.name}, k = ${k}: no gap, so MP5001 at the topEigenProjector call, never NaN`, () => {
      const { graph } = differentiate(projectorLoss(s.lam.length, k).build());
      expectMP5001At(() => executeCPU(graph, feedsFor(s)), "projectorLoss", "linalg.topEigenProjector(", /k-th and \(k\+1\)-th largest eigenvalues are equal/);
    });
  }
});

describe("U·diag(g(w))·Uᵀ written by hand through eigh", () => {
  const spellings: Spelling[] = ["U·diagm(g(w))·Uᵀ", "U·(diagm(g(w))·Uᵀ)", "(U ∘ g(w))·Uᵀ"];
  for (const s of [I4, D4, R5]) {
    for (const fn of ["log", "sqrt", "exp"] as const) {
      for (const spelling of spellings) {
        it(`${spelling}, g = ${fn}: ${s.name} — rewritten, same numbers as ${OP_OF[fn]}`, () => {
          const n = s.lam.length;
          const { graph, stats } = differentiate(handWritten(fn, spelling, n).build());
          expect(stats.fired.get("spectral-function"), "the spectral rewrite fired").toBeGreaterThanOrEqual(1);
          expect(graph.nodes.some((x) => x.op === "eigGapInverse"), "no eigenvector rule left").toBe(false);
          const feeds = feedsFor(s);
          const got = gradX(graph, feeds);
          expectClose(got, conjugateKernel(s.q, feeds.get("W")!.data, loewner(fn, s.lam)));
          expectClose(got, gradX(differentiate(spectralLoss(OP_OF[fn], n).build()).graph, feeds));
        });
      }
    }
  }

  it("U·diag(log w)·Vᵀ with V from another eigh is not rewritten", () => {
    const forward = twoBases(4).build();
    const { graph, stats } = differentiate(forward);
    expect(stats.fired.get("spectral-function")).toBeUndefined();
    expect(graph.nodes.some((x) => x.op === "spectralApply")).toBe(false);
    // Distinct eigenvalues: the chained eigh rule is right.
    const r = new Random(3);
    const X2 = ndarray([4, 4], conjugateDiag(orthogonal(r, 4), [0.5, 1.5, 2.5, 4]));
    const distinct: Spectrum = { name: "distinct", q: orthogonal(r, 4), lam: [0.7, 1.4, 2.2, 3.1] };
    expect(gradcheck(forward, feedsFor(distinct, { X2 })).worst).toBeLessThanOrEqual(1e-7);
    // Repeated eigenvalues of X: the eigenvectors' rule has no answer there.
    expectMP5001At(() => executeCPU(graph, feedsFor(D4, { X2 })), "twoBases", "linalg.eigh(X)", /repeated eigenvalues/);
  });

  it("U·diag(p ∘ log w)·Uᵀ with p a param is not rewritten", () => {
    const forward = paramInG(4).build();
    const { graph, stats } = differentiate(forward);
    expect(stats.fired.get("spectral-function")).toBeUndefined();
    expect(graph.nodes.some((x) => x.op === "spectralApply")).toBe(false);
    const r = new Random(5);
    const p = randn(r, [4]);
    const distinct: Spectrum = { name: "distinct", q: orthogonal(r, 4), lam: [0.7, 1.4, 2.2, 3.1] };
    expect(gradcheck(forward, feedsFor(distinct, { p })).worst).toBeLessThanOrEqual(1e-7);
    expectMP5001At(() => executeCPU(graph, feedsFor(D4, { p })), "paramInG", "linalg.eigh(X)", /repeated eigenvalues/);
  });
});

describe("a loss on the eigenvectors at a repeated eigenvalue", () => {
  for (const s of [I4, D4]) {
    it(`${s.name}: MP5001 at the eigh call, never NaN (torch.linalg.eigh returns NaN/inf here)`, () => {
      const { graph } = differentiate(eigenvectorLoss(4).build());
      const r = new Random(9);
      const feeds = new Map([["X", ndarray([4, 4], conjugateDiag(s.q, s.lam))], ["B", randn(r, [4, 4])], ["a", randn(r, [4])]]);
      expectMP5001At(() => executeCPU(graph, feeds), "eigenvectorLoss", "linalg.eigh(X)", /repeated eigenvalues/);
    });
  }

  it("distinct eigenvalues: the same loss passes the gradient check", () => {
    const r = new Random(13);
    const X = ndarray([4, 4], conjugateDiag(orthogonal(r, 4), [-1, 0.5, 1.7, 3]));
    expect(gradcheck(eigenvectorLoss(4).build(), new Map([["X", X], ["B", randn(r, [4, 4])], ["a", randn(r, [4])]])).worst).toBeLessThanOrEqual(1e-7);
  });
});
