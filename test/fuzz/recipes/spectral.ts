/**
 * Spectral functions and projectors: logm/sqrtm of SPD matrices, expm of symmetric ones, a
 * hand-written U·diag(g(w))·Uᵀ in each spelling the spectral rewrite recognises (so the training
 * step meets spectralApply and divdiff), the top-k eigenprojector at a real gap, the range
 * projector of a full-rank Z, and the normalized-cuts layer (W = F Fᵀ, D^{-1/2} F, range projector).
 */
import type { Value } from "../../../ir/index.js";
import { reject } from "../builder.js";
import { condition, eigenRange, projectorGapOk } from "../conditioning.js";
import { cols, fresh, isMatrix, matrix, moderate, positive, rank, rows, spdFrom, symmetricFrom, type Ctx, type Step } from "../operands.js";

export function logm(c: Ctx, s: Step): void {
  c.b.push(moderate(c, c.b.op1("logm", [spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v)])));
}

export function sqrtm(c: Ctx, s: Step): void {
  c.b.push(moderate(c, c.b.op1("sqrtm", [spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v)])));
}

/** expm of a symmetric matrix scaled to spectral radius ≤ 2 (e² keeps f32 far from overflow). */
export function expm(c: Ctx, s: Step): void {
  const x = symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  const { min, max } = eigenRange(c.b.x(x));
  const radius = Math.max(Math.abs(min), Math.abs(max));
  const scaled = radius > 2 ? c.b.op1("mul", [x, c.b.constant(2 / radius)]) : x;
  c.b.push(moderate(c, c.b.op1("expm", [scaled])));
}

/** g(w) for the hand-written spectral function, by variant; w of an SPD matrix for log and sqrt. */
function spectralG(c: Ctx, w: Value, which: number): Value {
  switch (which % 4) {
    case 0:
      return c.b.op1("exp", [c.b.op1("mul", [w, c.b.constant(0.5)])]);
    case 1:
      return c.b.op1("log", [w]);
    case 2:
      return c.b.op1("sqrt", [w]);
    default:
      return c.b.op1("add", [c.b.op1("mul", [c.b.op1("pow", [w], { p: 3 }), c.b.constant(0.5)]), w]);
  }
}

/** U·diag(g(w))·Uᵀ spelled (U·diagm(v))·Uᵀ, U·(diagm(v)·Uᵀ) or (U ∘ v)·Uᵀ. */
export function handSpectral(c: Ctx, s: Step): void {
  const g = s.v % 4;
  const x = g === 1 || g === 2 ? spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.b) : symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.b);
  // A positive scale keeps an SPD matrix's eigenvalues positive (log and sqrt of them stay defined).
  const [w, u] = c.b.op("eigh", [moderate(c, x)]);
  const v = spectralG(c, w, g);
  const ut = c.b.op1("transpose", [u]);
  let y: Value;
  switch ((s.v >> 2) % 3) {
    case 0:
      y = c.b.op1("matmul", [c.b.op1("matmul", [u, c.b.op1("diagm", [v])]), ut]);
      break;
    case 1:
      y = c.b.op1("matmul", [u, c.b.op1("matmul", [c.b.op1("diagm", [v]), ut])]);
      break;
    default: {
      const row = rank(v) === 1 ? v : c.b.op1("reshape", [v], { shape: [...v.type.shape.slice(0, -1), 1, v.type.shape[rank(v) - 1]] });
      y = c.b.op1("matmul", [c.b.op1("mul", [u, row]), ut]);
    }
  }
  c.b.push(moderate(c, y));
}

export function topEigenProjector(c: Ctx, s: Step): void {
  const x = symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  const n = Number(cols(x));
  const k = 1 + (s.b % n);
  if (!projectorGapOk(c.b.x(x), k)) reject(`no eigenvalue gap at k = ${k}`);
  c.b.push(c.b.op1("topEigenProjector", [x], { k }));
}

/** Tall Z with σ_max/σ_min ≤ 100. */
function fullRank(c: Ctx, z: Value): Value {
  if (Number(rows(z)) < Number(cols(z))) reject("Z is wide");
  if (condition(c.b.x(z)) > 100) reject("Z is close to rank deficient");
  return z;
}

export function rangeProjector(c: Ctx, s: Step): void {
  const m = c.size(s.m);
  const z = matrix(c, s.a, Math.max(m, c.size(s.n)), Math.min(m, c.size(s.n)), (v) => Number(rows(v)) >= Number(cols(v)));
  c.b.push(c.b.op1("rangeProjector", [fullRank(c, moderate(c, z))]));
}

/** The normalized-cuts layer of DESIGN.md: W = F Fᵀ with F > 0, d = W·1, Z = D^{-1/2} F, Π = rangeProjector(Z). */
export function ncuts(c: Ctx, s: Step): void {
  const n = Math.max(c.size(s.m), 3);
  const d = Math.min(c.size(s.n), n, 3 + (s.v % 2));
  const raw = c.b.pick((v) => isMatrix(v) && Number(rows(v)) >= Number(cols(v)) && Number(cols(v)) <= 4, s.a) ?? fresh(c, [...c.batch, n, d], "normal", { param: s.b % 2 === 1 });
  const f = positive(c, moderate(c, raw), s.v + 1);
  const w = c.b.op1("matmul", [f, c.b.op1("transpose", [f])]);
  const deg = c.b.op1("sum", [w], { axis: [-1], keepdims: true });
  const z = c.b.op1("div", [f, c.b.op1("sqrt", [deg])]);
  c.b.push(c.b.op1("rangeProjector", [fullRank(c, z)]));
}
