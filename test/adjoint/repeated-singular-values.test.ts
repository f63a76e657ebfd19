/**
 * Gradients at exactly repeated singular values. The polar factor's rule involves only sums
 * σᵢ + σⱼ (docs/matrix-functions.md), so it is finite at a tie and equals the limit of the rule at
 * distinct values; the expected gradient is computed here from that closed form,
 *   Ā = U ((M − Mᵀ) ∘ K) Vᵀ + (I − UUᵀ) W V Σ⁻¹ Vᵀ,   M = Uᵀ W V,   K_ij = 1/(σᵢ + σⱼ),
 * with the factors the test built A from — no matprop kernel or adjoint is involved. The same
 * factor written as U·Vh through svd stops with MP5001 at the svd call (its rule divides by
 * σⱼ² − σᵢ²; torch.linalg.svd's backward returns NaN/inf there). The nuclear norm's gradient is
 * the polar factor, and the spectral norm's at a tie is the smallest subgradient U_r V_rᵀ / r.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectCloseToClosedForm } from "./closed-form.js";
import "../../index.js";
import { MatpropError } from "../../ir/diagnostics.js";
import { gradcheck } from "../../compiler/gradcheck.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { executeCPU } from "../../runtime/cpu/execute.js";
import { ndarray, type NDArray } from "../../numeric/ndarray.js";
import { Random } from "../../numeric/random.js";
import { orthogonal, randn } from "./cases/types.js";
import { normLoss, polarLoss, procrustesBySvd } from "../models/adjoint/singular-ties.js";

const TOL = 1e-8;
const MODEL_FILE = path.resolve(import.meta.dirname, "../models/adjoint/singular-ties.ts");

// ---- plain row-major arithmetic ----------------------------------------------------------------

type M = { r: number; c: number; d: Float64Array };
const mk = (r: number, c: number, f: (i: number, j: number) => number): M => ({ r, c, d: Float64Array.from({ length: r * c }, (_, t) => f(Math.floor(t / c), t % c)) });
const at = (a: M, i: number, j: number) => a.d[i * a.c + j];
const mul = (a: M, b: M): M => mk(a.r, b.c, (i, j) => {
  let s = 0;
  for (let k = 0; k < a.c; k++) s += at(a, i, k) * at(b, k, j);
  return s;
});
const tr = (a: M): M => mk(a.c, a.r, (i, j) => at(a, j, i));
const zip = (a: M, b: M, f: (x: number, y: number) => number): M => mk(a.r, a.c, (i, j) => f(at(a, i, j), at(b, i, j)));
const firstCols = (q: Float64Array, n: number, k: number): M => mk(n, k, (i, j) => q[i * n + j]);

interface Factors {
  readonly name: string;
  readonly m: number;
  readonly n: number;
  readonly sigma: readonly number[];
}

/** A = U diag(σ) Vᵀ with the first k columns of seeded orthogonal U (m×m) and V (n×n). */
function build(f: Factors, seed: number): { a: M; u: M; v: M } {
  const r = new Random(seed);
  const k = f.sigma.length;
  const u = firstCols(orthogonal(r, f.m), f.m, k);
  const v = firstCols(orthogonal(r, f.n), f.n, k);
  const us = mk(f.m, k, (i, j) => at(u, i, j) * f.sigma[j]);
  return { a: mul(us, tr(v)), u, v };
}

/** The closed form of the polar rule (tall or square). */
function polarGrad(u: M, v: M, sigma: readonly number[], w: M): M {
  const k = sigma.length;
  const mm = mul(mul(tr(u), w), v);
  const skew = mk(k, k, (i, j) => (at(mm, i, j) - at(mm, j, i)) / (sigma[i] + sigma[j]));
  const inner = mul(mul(u, skew), tr(v));
  const outside = zip(w, mul(u, mul(tr(u), w)), (x, y) => x - y); // (I − UUᵀ) W
  const vs = mk(v.r, k, (i, j) => at(v, i, j) / sigma[j]);
  return zip(inner, mul(mul(outside, vs), tr(v)), (x, y) => x + y);
}

const feeds = (a: M, extra: Record<string, NDArray>) => new Map<string, NDArray>([["A", ndarray([a.r, a.c], a.d)], ...Object.entries(extra)]);

function gradA(forward: ReturnType<typeof polarLoss>, f: Map<string, NDArray>): Float64Array {
  const g = executeCPU(differentiate(forward.build()).graph, f).outputs.get("grad.A")!.data;
  expect(g.every(Number.isFinite), "grad.A is finite").toBe(true);
  return g;
}

const expectClose = (got: Float64Array, want: Float64Array) => expectCloseToClosedForm(got, want, TOL);

const TIES: Factors[] = [
  { name: "A orthogonal: σ = (1, 1, 1, 1)", m: 4, n: 4, sigma: [1, 1, 1, 1] },
  { name: "σ = (2, 2, 1), 3×3", m: 3, n: 3, sigma: [2, 2, 1] },
  { name: "σ = (3, 1, 1, 1), 4×4", m: 4, n: 4, sigma: [3, 1, 1, 1] },
  { name: "σ = (2, 2, 0.5), tall 5×3", m: 5, n: 3, sigma: [2, 2, 0.5] },
];

describe("polar at repeated singular values equals the closed form", () => {
  for (const [i, f] of TIES.entries()) {
    it(f.name, () => {
      const { a, u, v } = build(f, 10 + i);
      const w = randn(new Random(20 + i), [f.m, f.n]);
      const fd = feeds(a, { W: w });
      const want = polarGrad(u, v, f.sigma, { r: f.m, c: f.n, d: w.data });
      expectClose(gradA(polarLoss(f.m, f.n), fd), want.d);
      expect(gradcheck(polarLoss(f.m, f.n).build(), fd).worst).toBeLessThanOrEqual(1e-7);
    });
  }

  it("A = I: Ā = (W − Wᵀ)/2 (the skew part: K = 1/2 everywhere)", () => {
    const eye = mk(4, 4, (i, j) => +(i === j));
    const w = randn(new Random(30), [4, 4]);
    const W = { r: 4, c: 4, d: w.data };
    expectClose(gradA(polarLoss(4, 4), feeds(eye, { W: w })), zip(W, tr(W), (x, y) => (x - y) / 2).d);
  });

  it("wide A (3×5, σ = (2, 2, 1)): the transpose of the tall case's closed form", () => {
    const f = { name: "", m: 5, n: 3, sigma: [2, 2, 1] };
    const { a, u, v } = build(f, 31);
    const w = randn(new Random(32), [3, 5]);
    const want = tr(polarGrad(u, v, f.sigma, tr({ r: 3, c: 5, d: w.data })));
    expectClose(gradA(polarLoss(3, 5), feeds(tr(a), { W: w })), want.d);
  });

  it("U·Vh through svd at the same tie: MP5001 at the svd call, never NaN", () => {
    const { a } = build(TIES[1], 11);
    const { graph } = differentiate(procrustesBySvd(3, 3).build());
    let err: unknown;
    try {
      executeCPU(graph, feeds(a, { W: randn(new Random(1), [3, 3]) }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MatpropError);
    expect((err as MatpropError).code).toBe("MP5001");
    const lines = fs.readFileSync(MODEL_FILE, "utf8").split("\n");
    expect((err as MatpropError).loc?.line).toBe(lines.findIndex((l) => l.includes("linalg.svd(A)")) + 1);
  });
});

describe("norms at repeated singular values", () => {
  it("nuc: the gradient is the polar factor U Vᵀ (σ = (2, 2, 1))", () => {
    const f = TIES[1];
    const { a, u, v } = build(f, 41);
    const c = 1.7;
    const got = gradA(normLoss("nuc", 3, 3), feeds(a, { c: ndarray([], [c]) }));
    expectClose(got, mul(u, tr(v)).d.map((x) => c * x));
  });

  it("2: at σ₁ = σ₂ the smallest subgradient U₂ V₂ᵀ / 2; at a simple σ₁, u₁ v₁ᵀ", () => {
    for (const [sigma, r] of [[[2, 2, 1], 2], [[3, 2, 1], 1]] as const) {
      const { a, u, v } = build({ name: "", m: 3, n: 3, sigma }, 43);
      const top = mk(3, 3, (i, j) => {
        let s = 0;
        for (let t = 0; t < r; t++) s += (at(u, i, t) * at(v, j, t)) / r;
        return s;
      });
      expectClose(gradA(normLoss(2, 3, 3), feeds(a, { c: ndarray([], [1]) })), top.d);
    }
  });
});
