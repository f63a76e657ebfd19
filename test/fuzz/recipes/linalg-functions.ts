/**
 * Issue 12's linalg ops, each applied where it is well defined (and its gradient too) at the actual
 * numbers: eigvalsh of a symmetric matrix with distinct eigenvalues; det/slogdet of a
 * well-conditioned square matrix (det scaled to |det| ≈ 1 so f32 keeps it); norms (fro always,
 * nuc/2 with distinct nonzero singular values, vector norms of rows away from 0); qr of a tall or
 * square full-rank matrix; pinv and polar of a full-rank one; powm(X, p) of an SPD matrix; the
 * Newton–Schulz sqrtm with 1–3 steps (each step is ~3 kernels to compile on WebGPU).
 */
import type { Value } from "../../../ir/index.js";
import { slogdetMatrix } from "../../../numeric/linalg/det.js";
import { reject } from "../builder.js";
import { condition, MAX_CONDITION, MIN_REL_GAP, relativeGap, singular, spectra } from "../conditioning.js";
import { cols, fresh, isSquare, matrix, moderate, nonzero, rows, spdFrom, symmetricFrom, type Ctx, type Step } from "../operands.js";

function wellConditioned(c: Ctx, a: Value): Value {
  if (condition(c.b.x(a)) > MAX_CONDITION) reject("matrix is ill-conditioned");
  return a;
}

function squareWellConditioned(c: Ctx, s: Step): Value {
  return wellConditioned(c, moderate(c, c.b.pick(isSquare, s.a) ?? fresh(c, [...c.batch, c.size(s.m), c.size(s.m)])));
}

export function eigvalsh(c: Ctx, s: Step): void {
  const x = symmetricFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  if (spectra(c.b.x(x)).some(({ w }) => relativeGap(w) < MIN_REL_GAP)) reject("eigenvalues too close");
  c.b.push(c.b.op1("eigvalsh", [x]));
}

/** A square well-conditioned matrix scaled so that |det| ≈ 1 (the geometric mean of |pivots| is 1). */
function unitDeterminant(c: Ctx, s: Step): Value {
  const a = squareWellConditioned(c, s);
  const x = c.b.x(a);
  const n = Number(cols(a));
  let logs = 0;
  let count = 0;
  for (let o = 0; o < x.data.length; o += n * n, count++) logs += slogdetMatrix(x.data.subarray(o, o + n * n), n).logAbs;
  return c.b.op1("mul", [a, c.b.constant(Math.exp(-logs / (count * n)))]);
}

/** det of a matrix scaled to |det| ≈ 1, or log|det| (any scale) of a well-conditioned one, by variant. */
export function det(c: Ctx, s: Step): void {
  if (s.v % 2 === 0) {
    c.b.push(c.b.op1("det", [unitDeterminant(c, s)]));
    return;
  }
  c.b.push(c.b.op("slogdet", [squareWellConditioned(c, s)])[1]);
}

export function norm(c: Ctx, s: Step): void {
  const a = moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n)));
  const ord = ["fro", "nuc", "2", "vector"][s.v % 4];
  if (ord === "vector") {
    c.b.push(c.b.op1("norm", [nonzero(c, a, s.b)], { ord: "2", vector: true }));
    return;
  }
  if (ord !== "fro" && singular(c.b.x(a)).some(({ s: sv, k }) => relativeGap(sv) < MIN_REL_GAP || sv[k - 1] / sv[0] < MIN_REL_GAP)) reject("singular values too close or too small");
  c.b.push(c.b.op1("norm", [a], { ord, vector: false }));
}

export function qr(c: Ctx, s: Step): void {
  const a = wellConditioned(c, moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n))));
  if (Number(rows(a)) < Number(cols(a))) reject("qr's gradient needs m ≥ n");
  const [q, r] = c.b.op("qr", [a]);
  if (s.v % 3 === 0) c.b.push(q, r);
  else c.b.push(s.v % 3 === 1 ? q : moderate(c, r));
}

export function pinv(c: Ctx, s: Step): void {
  c.b.push(moderate(c, c.b.op1("pinv", [wellConditioned(c, moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n))))])));
}

export function polar(c: Ctx, s: Step): void {
  c.b.push(c.b.op1("polar", [wellConditioned(c, moderate(c, matrix(c, s.a, c.size(s.m), c.size(s.n))))]));
}

export function powm(c: Ctx, s: Step): void {
  const x = spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  c.b.push(moderate(c, c.b.op1("powm", [x], { p: [0.5, -0.5, 1.5, 0.25][s.b % 4] })));
}

export function newtonSchulz(c: Ctx, s: Step): void {
  const x = spdFrom(c, matrix(c, s.a, c.size(s.m), c.size(s.n)), s.v);
  c.b.push(moderate(c, c.b.op1("sqrtmNewtonSchulz", [x], { iters: 1 + (s.b % 3) })));
}
